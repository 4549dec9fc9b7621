"""The shift log book: what the people on shift wrote (hand-over notes stand out), with the
incidents and maintenance of the same hours marked as automatic. Entries are added through
POST /api/v1/logbook."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from alerting.mute import window_zone
from noc.api.auth import RuntimeDep
from noc.web.i18n import format_time
from noc.web.pages import PageContext, open_page, remember_language
from noc.web.pages.desk import LOG_WRITERS, may
from noc.web.pages.logbook_timeline import (
    SHIFTS,
    entry_items,
    incident_items,
    maintenance_items,
    shift_of,
    timeline,
)
from noc.web.pages.maintenance_scope import target_name

router = APIRouter(include_in_schema=False)
PERIODS = (1, 3, 7, 14, 31)


def day_label(day: date, lang: str, zone: str) -> str:
    """'15 Okt 2026' (the date part of the app's time format)."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(zone))
    return " ".join(format_time(noon, lang, zone).split()[:3])


@router.get("/logbook", response_class=HTMLResponse)
async def logbook_page(
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, Query()] = None,
    days: Annotated[int, Query()] = 3,
    handover_only: Annotated[bool, Query()] = False,
    automatic: Annotated[bool, Query()] = True,
) -> Response:
    page = await open_page(request, runtime, "logbook", lang)
    if not isinstance(page, PageContext):
        return page
    days = min(max(days, 1), max(PERIODS))  # a page clamps rather than refuses
    now = runtime.clock.now()
    lo, hi = now - timedelta(days=days), now + timedelta(seconds=1)
    events = runtime.events
    entries, incidents, windows = await asyncio.gather(
        asyncio.to_thread(events.logbook.list, since=lo, until=hi, handover_only=handover_only),
        asyncio.to_thread(events.incidents.list, since=lo - timedelta(days=31)),
        asyncio.to_thread(events.maintenance.list, until=hi),
    )
    items = entry_items(entries)
    show_auto = automatic and not handover_only
    if show_auto:
        inventory = runtime.inventory
        items += incident_items(incidents, lo, hi)
        items += maintenance_items(
            windows,
            lo,
            hi,
            lambda ref: target_name(inventory, ref),
            lambda w: window_zone(inventory, w),
        )
    zone = ZoneInfo(page.zone)
    _day, shift_now, _start = shift_of(now, zone)
    response = page.render(
        "logbook/index.html",
        "logbook",
        days=timeline(items, zone),
        period=days,
        periods=PERIODS,
        handover_only=handover_only,
        automatic=show_auto,
        shift_now=shift_now,
        shift_hours={name: hour for name, hour in SHIFTS},
        can_write=may(page.user, LOG_WRITERS),
        entry_count=len(entries),
        fmt_day=lambda d: day_label(d, page.lang, page.zone),
        fmt_clock=lambda v: v.astimezone(zone).strftime("%H:%M"),
    )
    return remember_language(response, page.lang, lang)
