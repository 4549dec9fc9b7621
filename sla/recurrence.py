"""Recurring maintenance windows, expanded into their occurrences inside a period.

The rules (local wall-clock time of the target's zone, DST, UNTIL/COUNT, cancellation) are
:mod:`noc.model.recurrence`'s, which alerting's mute stage uses too, so a window mutes alerts
exactly when the SLA counts it as planned. Here they are applied to the engine's windows, in
microseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from noc.model.recurrence import occurrences as occurrences_between
from sla.history import Window
from sla.intervals import from_us, to_us


def occurrences(window: Window, tz: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int]]:
    """``[start, end)`` (microseconds) of each occurrence of ``window`` that overlaps
    ``[lo, hi)``, cut at its cancellation; not clipped to the period."""
    found = occurrences_between(
        from_us(window.start),
        from_us(window.end),
        window.recurrence,
        tz,
        from_us(lo),
        from_us(hi),
        cancelled_at=None if window.stop is None else from_us(window.stop),
    )
    return [(to_us(s), to_us(e)) for s, e in found]


def expand(
    windows: Iterable[Window], zone_of: Callable[[str], ZoneInfo], lo: int, hi: int
) -> list[Window]:
    """One-off windows as they are; each recurring one as its occurrences in ``[lo, hi)``
    (one-off windows of the same id and target), in its target's zone (``zone_of``)."""
    out: list[Window] = []
    for w in windows:
        if not w.recurrence:
            out.append(w)
            continue
        out += [Window(w.id, w.target, s, e) for s, e in occurrences(w, zone_of(w.target), lo, hi)]
    return out
