"""The facts the SLA is computed from: state changes, maintenance windows and incidents.

A :class:`History` is read either from the event store (:func:`history_from_store`) or replayed
from an audit chain (:func:`sla.replay.history_from_audit`); both give the same facts, which is
what lets an auditor recompute every figure from an export alone.

The engine reads the state changes as columns (:class:`ChangeColumns`: numpy arrays grouped by
object). From the SQLite event store they come out that way directly (one scan, no record per
row); a history built from a list of :class:`Change` is turned into columns once. Either form
gives the other on demand, so ``history.changes`` is always the list in time order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from operator import attrgetter
from typing import Any

import numpy as np

from noc.store.events import EventStore, Incident, MaintenanceWindow, StateChangeRecord
from sla.intervals import I64, to_us


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
    """Planned maintenance on ``target`` over ``[start, end)`` (cancellation already applied).

    With a ``recurrence`` (an RFC 5545 RRULE), ``[start, end)`` is the first occurrence and the
    rule repeats it in the target's time zone (see :mod:`sla.recurrence`); ``stop`` is when the
    window was cancelled: no occurrence lasts past it.
    """

    id: int
    target: str
    start: int
    end: int
    recurrence: str | None = None
    stop: int | None = None


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


STATE_CODES = {"down": 1, "maintenance": 2, "unknown": 3, "unreachable": 4}  # others: 0 (up)


@dataclass(frozen=True, eq=False)
class ChangeColumns:
    """Every state change as columns, grouped by object (what :mod:`sla.leaves` reads).

    Rows are sorted by object, then time, then ``order``: the changes of ``refs[j]`` are rows
    ``bounds[j]:bounds[j + 1]``. ``ts`` and ``order`` are int64; ``old``, ``new`` and ``cause``
    index ``texts`` (states and causes share one vocabulary).
    """

    refs: list[str]
    bounds: I64
    ts: I64
    order: I64
    old: I64
    new: I64
    cause: I64
    texts: list[str]

    def __len__(self) -> int:
        return int(self.ts.size)

    @cached_property
    def codes(self) -> I64:
        """The engine's code of each text as a state (:data:`STATE_CODES`; 0 for the others)."""
        return np.array([STATE_CODES.get(t, 0) for t in self.texts], dtype=np.int64)

    @cached_property
    def old_code(self) -> I64:
        return self.codes[self.old] if self.texts else np.zeros(len(self), np.int64)

    @cached_property
    def new_code(self) -> I64:
        return self.codes[self.new] if self.texts else np.zeros(len(self), np.int64)

    @cached_property
    def span(self) -> tuple[int, int]:
        """The earliest and latest change (0, -1 when there is none)."""
        if self.ts.size == 0:
            return 0, -1
        return int(self.ts.min()), int(self.ts.max())

    def count_before(self, groups: I64, t: int) -> I64:
        """For each group: how many of its rows are before ``t`` (a binary search in every
        group at once: a few steps over the groups, not a pass over the rows)."""
        a, b = self.bounds[groups], self.bounds[groups + 1]
        first, last = self.span
        if t <= first:
            return np.zeros(groups.size, np.int64)
        if t > last:
            return b - a
        low, high = a.copy(), b.copy()  # the answer is in [low, high]
        ts, top = self.ts, self.ts.size - 1
        while True:
            open_ = low < high
            if not bool(open_.any()):
                return low - a
            mid = (low + high) // 2
            right = ts[np.minimum(mid, top)] < t
            low = np.where(open_ & right, mid + 1, low)
            high = np.where(open_ & ~right, mid, high)

    def changes(self) -> list[Change]:
        """The rows as :class:`Change`, in time order (``ts``, then ``order``)."""
        idx = np.lexsort((self.order, self.ts))
        key = np.repeat(np.arange(len(self.refs), dtype=np.int64), np.diff(self.bounds))[idx]
        refs, texts = self.refs, self.texts
        return [
            Change(refs[k], t, texts[o], texts[n], texts[c], r)
            for k, t, o, n, c, r in zip(
                key.tolist(),
                self.ts[idx].tolist(),
                self.old[idx].tolist(),
                self.new[idx].tolist(),
                self.cause[idx].tolist(),
                self.order[idx].tolist(),
                strict=True,
            )
        ]


def _encode(values: Sequence[str], vocab: dict[str, int]) -> I64:
    """Indexes of ``values`` in ``vocab``, adding new values in order of first appearance."""
    for v in dict.fromkeys(values):
        if v not in vocab:
            vocab[v] = len(vocab)
    return np.fromiter(map(vocab.__getitem__, values), np.int64, len(values))


def grouped(
    obj: I64,
    refs: Sequence[str],
    ts: I64,
    order: I64,
    old: I64,
    new: I64,
    cause: I64,
    texts: Sequence[str],
) -> ChangeColumns:
    """Columns grouped by object from rows in any order (``obj`` indexes ``refs``).

    Rows of one object keep their relative order when ``ts`` and ``order`` tie, as a stable
    sort by ``(ts, order)`` does. Store rows come mostly in time order: a stable sort by object
    (a radix sort for up to 65,536 objects) then leaves each object's rows in time order, and a
    full three-key sort is needed only when that check fails.
    """
    n_refs = len(refs)
    if obj.size and n_refs <= 2**16:
        idx = np.argsort(obj.astype(np.uint16), kind="stable")
    else:
        idx = np.argsort(obj, kind="stable")
    k, t, o = obj[idx], ts[idx], order[idx]
    same = k[1:] == k[:-1]
    later = (t[1:] > t[:-1]) | ((t[1:] == t[:-1]) & (o[1:] >= o[:-1]))
    if not bool((later | ~same).all()):
        idx = np.lexsort((order, ts, obj))
        k, t, o = obj[idx], ts[idx], order[idx]
    counts = np.bincount(k, minlength=n_refs) if k.size else np.zeros(n_refs, np.int64)
    present = np.flatnonzero(counts)
    bounds = np.concatenate(([0], np.cumsum(counts[present]))).astype(np.int64)
    cols = ChangeColumns(
        refs=[refs[i] for i in present.tolist()],
        bounds=bounds,
        ts=t,
        order=o,
        old=old[idx],
        new=new[idx],
        cause=cause[idx],
        texts=list(texts),
    )
    # Decoded here, with the rest of the reading, not in each period's computation.
    _ = cols.old_code, cols.new_code, cols.span
    return cols


def columns_of(changes: Sequence[Change]) -> ChangeColumns:
    n = len(changes)
    refs: dict[str, int] = {}
    texts: dict[str, int] = {}
    return grouped(
        _encode(list(map(attrgetter("ref"), changes)), refs),
        list(refs),
        np.fromiter(map(attrgetter("ts"), changes), np.int64, n),
        np.fromiter(map(attrgetter("order"), changes), np.int64, n),
        _encode(list(map(attrgetter("old"), changes)), texts),
        _encode(list(map(attrgetter("new"), changes)), texts),
        _encode(list(map(attrgetter("cause"), changes)), texts),
        list(texts),
    )


@dataclass(frozen=True, eq=False)
class WindowColumns:
    """The one-off windows as columns (``target[i]`` indexes ``targets``), plus the recurring
    ones as they are (each period expands them on its own)."""

    targets: list[str]
    target: I64
    start: I64
    end: I64
    recurring: tuple[Window, ...]


def window_columns(windows: Sequence[Window]) -> WindowColumns:
    once = [w for w in windows if not w.recurrence]
    vocab: dict[str, int] = {}
    target = _encode([w.target for w in once], vocab)
    n = len(once)
    return WindowColumns(
        targets=list(vocab),
        target=target,
        start=np.fromiter(map(attrgetter("start"), once), np.int64, n),
        end=np.fromiter(map(attrgetter("end"), once), np.int64, n),
        recurring=tuple(w for w in windows if w.recurrence),
    )


class History:
    """State changes, maintenance windows and incidents.

    Built from a list of :class:`Change` (``History(changes=...)``) or from columns
    (``History(columns=...)``, what :func:`history_from_store` does); ``changes`` and
    :meth:`columns` give either form, each computed once. Appending to ``changes`` (or giving
    a new list) recomputes the columns on the next call.
    """

    def __init__(
        self,
        changes: list[Change] | None = None,
        windows: list[Window] | None = None,
        incidents: list[IncidentFacts] | None = None,
        *,
        columns: ChangeColumns | None = None,
        window_columns: WindowColumns | None = None,
    ) -> None:
        if changes is not None and columns is not None:
            raise ValueError("give the changes either as a list or as columns, not both")
        self._changes = changes if changes is not None or columns is not None else []
        self.windows: list[Window] = [] if windows is None else windows
        self.incidents: list[IncidentFacts] = [] if incidents is None else incidents
        self._columns: tuple[object, int, ChangeColumns] | None = (
            None if columns is None else (None, -1, columns)
        )
        self._window_columns: tuple[object, int, WindowColumns] | None = (
            None if window_columns is None else (self.windows, len(self.windows), window_columns)
        )

    @property
    def changes(self) -> list[Change]:
        if self._changes is None:
            assert self._columns is not None
            self._changes = self._columns[2].changes()
            self._columns = (self._changes, len(self._changes), self._columns[2])
        return self._changes

    @changes.setter
    def changes(self, value: list[Change]) -> None:
        self._changes = value

    def columns(self) -> ChangeColumns:
        """The changes as columns, computed once per list of changes (a report evaluates the
        month and the year to date from one history); a new or longer list recomputes them."""
        c = self._columns
        if c is not None and (
            self._changes is None or (c[0] is self._changes and c[1] == len(self._changes))
        ):
            return c[2]
        changes = self.changes
        c = self._columns = (changes, len(changes), columns_of(changes))
        return c[2]

    def window_columns(self) -> WindowColumns:
        c = self._window_columns
        if c is None or c[0] is not self.windows or c[1] != len(self.windows):
            c = self._window_columns = (
                self.windows,
                len(self.windows),
                window_columns(self.windows),
            )
        return c[2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return (self.changes, self.windows, self.incidents) == (
            other.changes,
            other.windows,
            other.incidents,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        n = len(self._columns[2]) if self._changes is None and self._columns else None
        count = len(self._changes) if self._changes is not None else n
        return (
            f"History({count} changes, {len(self.windows)} windows, "
            f"{len(self.incidents)} incidents)"
        )


def change_of(rec: StateChangeRecord) -> Change:
    return Change(str(rec.object), to_us(rec.ts), rec.old, rec.new, rec.cause, rec.id)


def window_of(w: MaintenanceWindow) -> Window | None:
    """The effective window, or None when it was cancelled before it began."""
    return _window(
        w.id,
        str(w.target),
        to_us(w.starts_at),
        to_us(w.ends_at),
        w.recurrence,
        None if w.cancelled_at is None else to_us(w.cancelled_at),
    )


def _window(
    wid: int, target: str, start: int, end: int, recurrence: str | None, cancelled: int | None
) -> Window | None:
    if cancelled is not None and cancelled <= start:
        return None
    if recurrence:
        return Window(wid, target, start, end, recurrence, cancelled)
    stop = end if cancelled is None else min(end, cancelled)
    return Window(wid, target, start, stop) if stop > start else None


def windows_of(
    rows: Iterable[tuple[int, str, int, int, str | None, int | None]],
) -> list[Window]:
    """Windows from ``(id, target, start, end, recurrence, cancelled)`` rows."""
    return [w for w in (_window(*r) for r in rows) if w is not None]


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
    A store that reads columns in bulk (the SQLite one: ``state_change_columns``) is read that
    way; any other one record by record.
    """
    bulk: Callable[..., Any] | None = getattr(events, "state_change_columns", None)
    bulk_windows: Callable[..., Any] | None = getattr(events, "maintenance_columns", None)
    incidents = [incident_of(i) for i in events.incidents.list(until=until)]
    if bulk is None or bulk_windows is None:
        changes = [change_of(r) for r in events.state_changes.list(until=until)]
        windows = [w for w in map(window_of, events.maintenance.list(until=until)) if w]
        return History(changes=changes, windows=windows, incidents=incidents)
    raw = bulk(until)
    columns = grouped(raw.obj, raw.objects, raw.ts, raw.ids, raw.old, raw.new, raw.cause, raw.texts)
    windows = windows_of(bulk_windows(until).rows)
    return History(
        columns=columns,
        windows=windows,
        incidents=incidents,
        window_columns=window_columns(windows),
    )
