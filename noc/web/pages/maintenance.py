"""Maintenance windows (planned work: not notified, excluded from SLA) and silences (operator's
choice: not notified, still counted against SLA). Read from the event store; planned, cancelled,
created and expired through /api/v1/maintenance and /api/v1/silences."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from alerting.mute import window_active, window_zone
from noc.api.auth import RuntimeDep
from noc.model import Inventory
from noc.model.recurrence import next_start
from noc.store.events import MaintenanceWindow, Silence
from noc.web.pages import PageContext, open_page, remember_language
from noc.web.pages.desk import PLANNERS, SILENCERS, local_input, may, next_hour, zone_offset
from noc.web.pages.maintenance_scope import SlaEffect, scope_choices, sla_effect, target_name

router = APIRouter(include_in_schema=False)
PAST_SHOWN = 30


@dataclass(frozen=True)
class WindowRow:
    window: MaintenanceWindow
    name: str
    effect: SlaEffect
    next_start: datetime | None  # the next occurrence of a recurring window


@dataclass(frozen=True)
class Windows:
    active: list[WindowRow]
    planned: list[WindowRow]
    past: list[WindowRow]


@dataclass(frozen=True)
class Silences:
    active: list[Silence]
    planned: list[Silence]
    ended: list[Silence]


def next_occurrence(window: MaintenanceWindow, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When the window next starts after ``now`` (None when it never will again)."""
    return next_start(
        window.starts_at,
        window.ends_at,
        window.recurrence,
        zone,
        now,
        cancelled_at=window.cancelled_at,
    )


def sort_windows(found: list[MaintenanceWindow], inventory: Inventory, now: datetime) -> Windows:
    active: list[WindowRow] = []
    planned: list[WindowRow] = []
    past: list[WindowRow] = []
    for w in found:
        zone = window_zone(inventory, w)
        upcoming = next_occurrence(w, now, zone)
        row = WindowRow(
            w, target_name(inventory, w.target), sla_effect(inventory, w.target), upcoming
        )
        if window_active(w, now, zone):
            active.append(row)
        elif upcoming is not None:
            planned.append(row)
        else:
            past.append(row)
    planned.sort(key=lambda r: r.next_start or r.window.starts_at)
    past.sort(key=lambda r: r.window.cancelled_at or r.window.ends_at, reverse=True)
    return Windows(active, planned, past[:PAST_SHOWN])


def sort_silences(found: list[Silence], now: datetime) -> Silences:
    active = [s for s in found if s.active_at(now)]
    planned = [s for s in found if s.expired_at is None and s.starts_at > now]
    ended = [s for s in found if s not in active and s not in planned]
    ended.sort(key=lambda s: s.expired_at or s.ends_at, reverse=True)
    return Silences(active, planned, ended[:PAST_SHOWN])


def matcher_text(silence: Silence) -> list[str]:
    ops = {(False, False): "=", (False, True): "!=", (True, False): "=~", (True, True): "!~"}
    return [f"{m.name}{ops[(m.regex, m.negate)]}{m.value}" for m in silence.matchers]


@router.get("/maintenance", response_class=HTMLResponse)
async def maintenance_page(
    request: Request, runtime: RuntimeDep, lang: Annotated[str | None, Query()] = None
) -> Response:
    page = await open_page(request, runtime, "maintenance", lang)
    if not isinstance(page, PageContext):
        return page
    now = runtime.clock.now()
    windows, silences = await asyncio.gather(
        asyncio.to_thread(runtime.events.maintenance.list),
        asyncio.to_thread(runtime.events.silences.list, include_expired=True),
    )
    start = next_hour(now)
    response = page.render(
        "maintenance/index.html",
        "maintenance",
        windows=sort_windows(windows, runtime.inventory, now),
        silences=sort_silences(silences, now),
        matcher_text=matcher_text,
        scopes=scope_choices(runtime.inventory),
        can_plan=may(page.user, PLANNERS),
        can_silence=may(page.user, SILENCERS),
        offset=zone_offset(page.zone, now),
        default_start=local_input(start, page.zone),
        default_end=local_input(start + timedelta(hours=2), page.zone),
        silence_start=local_input(now, page.zone),
        silence_end=local_input(now + timedelta(hours=4), page.zone),
    )
    return remember_language(response, page.lang, lang)
