"""The topology picture's words in the wall's language, from the message catalog."""

from __future__ import annotations

from functools import cache

from noc.web.i18n import catalog
from topology.models import RingStatus
from topology.svg import STATE_COLORS, SvgWords


@cache
def svg_words(lang: str) -> SvgWords:
    t = catalog(lang)
    return SvgWords(
        states={s: t.get(f"state.{s}", s) for s in STATE_COLORS},
        rings={r.value: t.get(f"ring.{r.value}", r.value) for r in RingStatus},
        ring_degraded=t["topology.ring_degraded"],
        ring_split=t["topology.ring_split"],
        topology=t["wall.topology"],
        data_center=t["topology.data_center"],
        segment=t["topology.segment"],
    )
