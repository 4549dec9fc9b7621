"""Read-only bulk reads of the event store as columns (numpy arrays), for the SLA engine.

``SqliteStateChanges.list`` builds one pydantic record per row: right for the API, but a year
of a large city (a million state changes) takes over a minute that way. Here each column comes
out of SQLite as one ``group_concat`` string from a single scan in rowid order, and numpy parses
it: integers with ``fromstring``, the fixed-width timestamps (``YYYY-MM-DDTHH:MM:SS.ffffffZ``,
see :mod:`noc.store.audit`) as ``datetime64[us]``, and texts (objects, states, causes) are
dictionary-encoded (a list of distinct texts and one index per row).

Texts are joined with the unit separator (U+001F); should any text contain it, or a timestamp
not be in the canonical form, the read falls back to fetching rows one by one, so the result is
exact either way. Nothing here writes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from noc.store.sqlite.db import parse_ts, ts_text

I64 = npt.NDArray[np.int64]
_SEP = "\x1f"
_TS_WIDTH = 27  # len("2026-10-01T00:00:00.000000Z")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


@dataclass(frozen=True, eq=False)
class StateChangeColumns:
    """State changes as columns, in id order: ``objects[obj[i]]`` (``kind:id``) moved from
    ``texts[old[i]]`` to ``texts[new[i]]`` at ``ts[i]`` (microseconds since the epoch, UTC)
    because of ``texts[cause[i]]``; ``ids[i]`` is its id."""

    ids: I64
    ts: I64
    objects: list[str]
    obj: I64
    texts: list[str]
    old: I64
    new: I64
    cause: I64

    def __len__(self) -> int:
        return int(self.ids.size)


@dataclass(frozen=True, eq=False)
class MaintenanceColumns:
    """Maintenance windows as rows of plain values (they are few): ``(id, target, starts_at,
    ends_at, recurrence, cancelled_at)``, times in microseconds, ``target`` as ``kind:id``."""

    rows: list[tuple[int, str, int, int, str | None, int | None]]


def _to_us(text: str) -> int:
    return (parse_ts(text) - _EPOCH) // _US


def _parse_ts(joined: str, n: int) -> I64 | None:
    """``n`` canonical timestamps written back to back, or None when they are not."""
    if len(joined) != n * _TS_WIDTH:
        return None
    raw = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8).reshape(n, _TS_WIDTH)
    if n and not (
        (raw[:, 26] == ord("Z")).all()
        and (raw[:, 10] == ord("T")).all()
        and (raw[:, 19] == ord(".")).all()
    ):
        return None
    body = np.ascontiguousarray(raw[:, :26]).view("S26").reshape(n)
    try:
        return body.astype("datetime64[us]").astype(np.int64)
    except ValueError:
        return None


def _encode(texts: list[str], vocab: dict[str, int]) -> I64:
    """Indexes of ``texts`` in ``vocab``, adding the new ones in order of first appearance."""
    for t in dict.fromkeys(texts):
        if t not in vocab:
            vocab[t] = len(vocab)
    return np.fromiter(map(vocab.__getitem__, texts), np.int64, len(texts))


def _split(joined: str | None, n: int) -> list[str] | None:
    if n == 0:
        return []
    parts = (joined or "").split(_SEP)
    return parts if len(parts) == n else None


_BULK = (
    "SELECT count(*), group_concat(id), group_concat(ts, ''),"
    " group_concat(object_kind || ':' || object_id, char(31)), group_concat(old, char(31)),"
    " group_concat(new, char(31)), group_concat(cause, char(31))"
    " FROM state_changes NOT INDEXED WHERE {where}"
)
_ROWS = (
    "SELECT id, ts, object_kind || ':' || object_id, old, new, cause"
    " FROM state_changes WHERE {where} ORDER BY id"
)


def state_change_columns(
    conn: sqlite3.Connection, until: datetime | None = None
) -> StateChangeColumns:
    """Every state change before ``until`` (all when None), in id order, as columns."""
    where, args = ("ts < ?", (ts_text(until),)) if until is not None else ("1 = 1", ())
    n, ids_s, ts_s, obj_s, old_s, new_s, cause_s = conn.execute(
        _BULK.format(where=where), args
    ).fetchone()
    n = int(n)
    ids = np.fromstring(ids_s or "", sep=",", dtype=np.int64) if n else np.empty(0, np.int64)
    ts = _parse_ts(ts_s or "", n)
    objs, olds, news, causes = (_split(x, n) for x in (obj_s, old_s, new_s, cause_s))
    if (
        ids.size != n
        or ts is None
        or objs is None
        or olds is None
        or news is None
        or causes is None
    ):
        return _row_by_row(conn, where, args)
    objects: dict[str, int] = {}
    texts: dict[str, int] = {}
    return StateChangeColumns(
        ids=ids,
        ts=ts,
        obj=_encode(objs, objects),
        objects=list(objects),
        old=_encode(olds, texts),
        new=_encode(news, texts),
        cause=_encode(causes, texts),
        texts=list(texts),
    )


def _row_by_row(conn: sqlite3.Connection, where: str, args: tuple[str, ...]) -> StateChangeColumns:
    rows = conn.execute(_ROWS.format(where=where), args).fetchall()
    objects: dict[str, int] = {}
    texts: dict[str, int] = {}
    return StateChangeColumns(
        ids=np.array([int(r[0]) for r in rows], dtype=np.int64),
        ts=np.array([_to_us(str(r[1])) for r in rows], dtype=np.int64),
        obj=_encode([str(r[2]) for r in rows], objects),
        objects=list(objects),
        old=_encode([str(r[3]) for r in rows], texts),
        new=_encode([str(r[4]) for r in rows], texts),
        cause=_encode([str(r[5]) for r in rows], texts),
        texts=list(texts),
    )


def maintenance_columns(
    conn: sqlite3.Connection, until: datetime | None = None
) -> MaintenanceColumns:
    """Every maintenance window that starts before ``until`` (all when None), by start, id."""
    where, args = ("starts_at < ?", (ts_text(until),)) if until is not None else ("1 = 1", ())
    rows = conn.execute(
        "SELECT id, target_kind || ':' || target_id, starts_at, ends_at, recurrence,"
        f" cancelled_at FROM maintenance_windows WHERE {where} ORDER BY starts_at, id",
        args,
    ).fetchall()
    out = []
    for wid, target, s, e, rec, cancelled in rows:
        out.append(
            (
                int(wid),
                str(target),
                _to_us(str(s)),
                _to_us(str(e)),
                None if rec is None else str(rec),
                None if cancelled is None else _to_us(str(cancelled)),
            )
        )
    return MaintenanceColumns(rows=out)
