"""The log book's timeline: the staff's entries with the automatic events of the same period
(incidents opened, acknowledged, resolved; maintenance started), grouped by day and shift in
the site's time zone, newest first.

The NOC works three eight-hour shifts, local time: morning 07-15, afternoon 15-23, night 23-07.
A night shift belongs to the day it starts on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from noc.model import ObjectRef
from noc.model.recurrence import occurrences
from noc.store.events import Incident, LogbookEntry, MaintenanceWindow

SHIFTS = (("morning", 7), ("afternoon", 15), ("night", 23))


@dataclass(frozen=True)
class Item:
    """One line of the timeline. ``kind`` is ``entry``, ``handover`` (written by a person) or
    an automatic kind: ``incident_opened``, ``incident_acknowledged``, ``incident_resolved``,
    ``maintenance_started``."""

    at: datetime
    kind: str
    author: str
    text: str
    link: str = ""

    @property
    def automatic(self) -> bool:
        return self.kind not in ("entry", "handover")


@dataclass
class Shift:
    name: str
    starts: datetime  # local
    items: list[Item] = field(default_factory=list)

    @property
    def handovers(self) -> int:
        return sum(1 for i in self.items if i.kind == "handover")


@dataclass
class Day:
    day: date
    shifts: list[Shift] = field(default_factory=list)


def shift_of(at: datetime, zone: ZoneInfo) -> tuple[date, str, datetime]:
    """The shift ``at`` falls in: its day, its name and its local start."""
    local = at.astimezone(zone)
    for name, hour in reversed(SHIFTS):
        start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        if local >= start:
            return start.date(), name, start
    night = (local - timedelta(days=1)).replace(hour=SHIFTS[-1][1], minute=0, second=0)
    return night.date(), SHIFTS[-1][0], night.replace(microsecond=0)


def entry_items(entries: list[LogbookEntry]) -> list[Item]:
    return [Item(e.at, "handover" if e.handover else "entry", e.author, e.text) for e in entries]


def incident_items(incidents: list[Incident], lo: datetime, hi: datetime) -> list[Item]:
    out: list[Item] = []
    for inc in incidents:
        link = f"/incidents/{inc.id}"
        steps = (
            ("incident_opened", inc.opened_at, inc.opened_by),
            ("incident_acknowledged", inc.acknowledged_at, inc.acknowledged_by),
            ("incident_resolved", inc.resolved_at, inc.resolved_by),
        )
        for kind, at, who in steps:
            if at is not None and lo <= at < hi:
                out.append(Item(at, kind, who or "", f"#{inc.id} {inc.title}", link))
    return out


def maintenance_items(
    windows: list[MaintenanceWindow],
    lo: datetime,
    hi: datetime,
    name: Callable[[ObjectRef], str] = str,
    zone: Callable[[MaintenanceWindow], ZoneInfo] = lambda _w: ZoneInfo("UTC"),
) -> list[Item]:
    """Each start of a window in ``[lo, hi)`` (every occurrence of a recurring one, in its
    target's ``zone``); ``name`` says what the target is called."""
    out: list[Item] = []
    for w in windows:
        found = occurrences(
            w.starts_at, w.ends_at, w.recurrence, zone(w), lo, hi, cancelled_at=w.cancelled_at
        )
        for at, _end in found:
            if lo <= at < hi:
                text = f"{name(w.target)}: {w.reason}"
                out.append(Item(at, "maintenance_started", w.author, text))
    return out


def timeline(items: list[Item], zone: ZoneInfo) -> list[Day]:
    """Days, newest first; in each, shifts newest first; in each, items newest first."""
    days: dict[date, Day] = {}
    shifts: dict[datetime, Shift] = {}
    for item in sorted(items, key=lambda i: i.at, reverse=True):
        day, name, start = shift_of(item.at, zone)
        if start not in shifts:
            shifts[start] = Shift(name, start)
            days.setdefault(day, Day(day)).shifts.append(shifts[start])
        shifts[start].items.append(item)
    return list(days.values())
