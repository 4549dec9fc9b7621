"""One-off maintenance windows on a device, site or service (recurrence kept as text)."""

from __future__ import annotations

import builtins
import sqlite3
from datetime import datetime, timedelta

from noc.clock import utc
from noc.model.observations import ObjectKind, ObjectRef
from noc.store.event_models import MAINTENANCE_TARGETS, MaintenanceWindow
from noc.store.events import LifecycleError, NotFoundError
from noc.store.sqlite.db import SqliteDatabase, append_audit, opt_ts, parse_ts, ts_text

_TICK = timedelta(microseconds=1)
_COLUMNS = (
    "id, target_kind, target_id, starts_at, ends_at, author, reason, recurrence, created_at,"
    " cancelled_at, cancelled_by"
)


def _window(row: sqlite3.Row | tuple[object, ...]) -> MaintenanceWindow:
    v = [None if x is None else str(x) for x in tuple(row)]
    return MaintenanceWindow(
        id=int(str(v[0])),
        target=ObjectRef(kind=ObjectKind(str(v[1])), id=str(v[2])),
        starts_at=parse_ts(str(v[3])),
        ends_at=parse_ts(str(v[4])),
        author=str(v[5]),
        reason=str(v[6]),
        recurrence=v[7],
        created_at=parse_ts(str(v[8])),
        cancelled_at=opt_ts(v[9]),
        cancelled_by=v[10],
    )


class SqliteMaintenance:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def create(
        self,
        target: ObjectRef,
        starts_at: datetime,
        ends_at: datetime,
        *,
        author: str,
        reason: str,
        recurrence: str | None = None,
    ) -> MaintenanceWindow:
        if target.kind not in MAINTENANCE_TARGETS:
            raise LifecycleError(
                f"A maintenance window in the event store at {self._db.path} covers a device, "
                f"site or service, not {target}."
            )
        if utc(ends_at) <= utc(starts_at):
            raise LifecycleError(
                f"A maintenance window for {target} in the event store at {self._db.path} must "
                f"end after it starts ({ts_text(starts_at)} .. {ts_text(ends_at)})."
            )
        now = self._db.now()
        with self._db.write("create a maintenance window") as conn:
            cur = conn.execute(
                f"INSERT INTO maintenance_windows ({_COLUMNS})"
                " VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (
                    target.kind.value,
                    target.id,
                    ts_text(starts_at),
                    ts_text(ends_at),
                    author,
                    reason,
                    recurrence,
                    ts_text(now),
                ),
            )
            window = self._load(conn, int(cur.lastrowid or 0))
            append_audit(
                conn,
                ts=now,
                actor=author,
                action="maintenance.created",
                subject=str(target),
                payload={
                    "id": window.id,
                    "starts_at": ts_text(window.starts_at),
                    "ends_at": ts_text(window.ends_at),
                    "reason": reason,
                    "recurrence": recurrence,
                },
            )
        return window

    def cancel(
        self, window_id: int, *, actor: str, at: datetime | None = None
    ) -> MaintenanceWindow:
        now = self._db.now()
        when = now if at is None else utc(at)
        with self._db.write(f"cancel maintenance window {window_id}") as conn:
            window = self._load(conn, window_id)
            if window.cancelled_at is not None:
                raise LifecycleError(
                    f"Maintenance window {window_id} in the event store at {self._db.path} "
                    "is already cancelled."
                )
            conn.execute(
                "UPDATE maintenance_windows SET cancelled_at = ?, cancelled_by = ? WHERE id = ?",
                (ts_text(when), actor, window_id),
            )
            window = self._load(conn, window_id)
            append_audit(
                conn,
                ts=now,
                actor=actor,
                action="maintenance.cancelled",
                subject=str(window.target),
                payload={"id": window_id, "cancelled_at": ts_text(when)},
            )
        return window

    def get(self, window_id: int) -> MaintenanceWindow:
        with self._db.read("read a maintenance window") as conn:
            return self._load(conn, window_id)

    def list(
        self,
        target: ObjectRef | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> builtins.list[MaintenanceWindow]:
        where, args = ["1 = 1"], builtins.list[object]()
        if target is not None:
            where.append("target_kind = ? AND target_id = ?")
            args += [target.kind.value, target.id]
        if since is not None:
            where.append("ends_at > ?")
            args.append(ts_text(since))
        if until is not None:
            where.append("starts_at < ?")
            args.append(ts_text(until))
        sql = (
            f"SELECT {_COLUMNS} FROM maintenance_windows WHERE {' AND '.join(where)}"
            " ORDER BY starts_at, id"
        )
        with self._db.read("read maintenance windows") as conn:
            return [_window(r) for r in conn.execute(sql, args).fetchall()]

    def active(self, at: datetime | None = None) -> builtins.list[MaintenanceWindow]:
        when = self._db.now() if at is None else utc(at)
        around = self.list(since=when, until=when + _TICK)
        return [w for w in around if w.active_at(when)]

    def _load(self, conn: sqlite3.Connection, window_id: int) -> MaintenanceWindow:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM maintenance_windows WHERE id = ?", (window_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"Maintenance window {window_id} is not in the event store at {self._db.path}."
            )
        return _window(row)
