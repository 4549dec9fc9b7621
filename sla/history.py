"""The facts the SLA is computed from: state changes, maintenance windows and incidents.

A :class:`History` is read either from the event store (:func:`history_from_store`) or replayed
from an audit chain (:func:`sla.replay.history_from_audit`); both give the same facts, which is
what lets an auditor recompute every figure from an export alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from operator import attrgetter
from typing import Any

import numpy as np

from noc.store.events import EventStore, Incident, MaintenanceWindow, StateChangeRecord
from sla.intervals import to_us


@dataclass(frozen=True, slots=True)
class Change:
    """``ref`` moved from ``old`` to ``new`` at ``ts`` (microseconds); ``order`` breaks ties."""

    ref: str
    ts: int
    old: str
    new: str
    cause: str = ""
    order: int = 0


@dataclass(frozen=True, slots=True)
class Window:
    """Planned maintenance on ``target`` over ``[start, end)`` (cancellation already applied)."""

    id: int
    target: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    id: int
    title: str
    severity: str
    opened_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    resolved_at: datetime | None = None
    root_cause: str | None = None
    affected_services: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeColumns:
    """``changes`` as columns (what :mod:`sla.leaves` reads): refs, then int64 arrays of
    times, tie-breaking orders, and the old and new states' codes (``codes`` names them)."""

    refs: list[str]
    ts: Any
    order: Any
    old: Any
    new: Any


STATE_CODES = {"down": 1, "maintenance": 2, "unknown": 3, "unreachable": 4}  # others: 0 (up)


def _codes(states: Any, n: int) -> Any:
    return np.fromiter(map(STATE_CODES.get, states, repeat(0)), np.int64, n)


def columns_of(changes: list[Change]) -> ChangeColumns:
    n = len(changes)
    return ChangeColumns(
        refs=list(map(attrgetter("ref"), changes)),
        ts=np.fromiter(map(attrgetter("ts"), changes), np.int64, n),
        order=np.fromiter(map(attrgetter("order"), changes), np.int64, n),
        old=_codes(map(attrgetter("old"), changes), n),
        new=_codes(map(attrgetter("new"), changes), n),
    )


@dataclass
class History:
    changes: list[Change] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    incidents: list[IncidentFacts] = field(default_factory=list)
    _columns: tuple[list[Change], int, ChangeColumns] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def columns(self) -> ChangeColumns:
        """The changes as columns, computed once per list of changes (a report evaluates the
        month and the year to date from one history); a new or longer list recomputes them."""
        c = self._columns
        if c is None or c[0] is not self.changes or c[1] != len(self.changes):
            c = self._columns = (self.changes, len(self.changes), columns_of(self.changes))
        return c[2]


def change_of(rec: StateChangeRecord) -> Change:
    return Change(str(rec.object), to_us(rec.ts), rec.old, rec.new, rec.cause, rec.id)


def window_of(w: MaintenanceWindow) -> Window | None:
    """The effective window, or None when it was cancelled before it began."""
    end = w.ends_at if w.cancelled_at is None else min(w.ends_at, w.cancelled_at)
    if end <= w.starts_at:
        return None
    return Window(w.id, str(w.target), to_us(w.starts_at), to_us(end))


def incident_of(i: Incident) -> IncidentFacts:
    return IncidentFacts(
        id=i.id,
        title=i.title,
        severity=i.severity.value,
        opened_at=i.opened_at,
        acknowledged_at=i.acknowledged_at,
        acknowledged_by=i.acknowledged_by,
        resolved_at=i.resolved_at,
        root_cause=None if i.root_cause is None else str(i.root_cause),
        affected_services=tuple(i.affected_services),
    )


def history_from_store(events: EventStore, until: datetime | None = None) -> History:
    """Every state change, window and incident up to ``until`` (all of them when None).

    Changes before the period are needed too: they give each object's state when it starts.
    """
    changes = [change_of(r) for r in events.state_changes.list(until=until)]
    windows = [w for w in map(window_of, events.maintenance.list(until=until)) if w is not None]
    incidents = [incident_of(i) for i in events.incidents.list(until=until)]
    return History(changes=changes, windows=windows, incidents=incidents)
