"""State changes of devices, links, sites and services, each with its audit entry."""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from noc.model.observations import ObjectKind, ObjectRef, StateChange
from noc.store.event_models import StateChangeRecord
from noc.store.events import SYSTEM_ACTOR, NotFoundError
from noc.store.sqlite.db import SqliteDatabase, append_audit, parse_ts, ts_text

_COLUMNS = "id, object_kind, object_id, old, new, ts, cause, recorded_at"


def _record(row: sqlite3.Row | tuple[object, ...]) -> StateChangeRecord:
    id_, kind, obj, old, new, ts, cause, recorded = tuple(row)
    return StateChangeRecord(
        id=int(str(id_)),
        object=ObjectRef(kind=ObjectKind(str(kind)), id=str(obj)),
        old=str(old),
        new=str(new),
        ts=parse_ts(str(ts)),
        cause=str(cause),
        recorded_at=parse_ts(str(recorded)),
    )


class SqliteStateChanges:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def append(self, change: StateChange, *, actor: str = SYSTEM_ACTOR) -> StateChangeRecord:
        return self.append_many([change], actor=actor)[0]

    def append_many(
        self, changes: Sequence[StateChange], *, actor: str = SYSTEM_ACTOR
    ) -> builtins.list[StateChangeRecord]:
        now = self._db.now()
        out: builtins.list[StateChangeRecord] = []
        with self._db.write("record state changes") as conn:
            for change in changes:
                cur = conn.execute(
                    f"INSERT INTO state_changes ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        change.object.kind.value,
                        change.object.id,
                        change.old,
                        change.new,
                        ts_text(change.ts),
                        change.cause,
                        ts_text(now),
                    ),
                )
                record = StateChangeRecord(
                    id=int(cur.lastrowid or 0), recorded_at=now, **change.model_dump()
                )
                append_audit(
                    conn,
                    ts=now,
                    actor=actor,
                    action="state_change.recorded",
                    subject=str(change.object),
                    payload={
                        "id": record.id,
                        "old": record.old,
                        "new": record.new,
                        "ts": ts_text(record.ts),
                        "cause": record.cause,
                    },
                )
                out.append(record)
        return out

    def get(self, change_id: int) -> StateChangeRecord:
        with self._db.read("read a state change") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM state_changes WHERE id = ?", (change_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(
                f"State change {change_id} is not in the event store at {self._db.path}."
            )
        return _record(row)

    def list(
        self,
        obj: ObjectRef | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> builtins.list[StateChangeRecord]:
        where, args = ["1 = 1"], builtins.list[object]()
        if obj is not None:
            where.append("object_kind = ? AND object_id = ?")
            args += [obj.kind.value, obj.id]
        if since is not None:
            where.append("ts >= ?")
            args.append(ts_text(since))
        if until is not None:
            where.append("ts < ?")
            args.append(ts_text(until))
        args.append(-1 if limit is None else limit)
        sql = (
            f"SELECT {_COLUMNS} FROM state_changes WHERE {' AND '.join(where)}"
            " ORDER BY ts, id LIMIT ?"
        )
        with self._db.read("read state changes") as conn:
            rows = conn.execute(sql, args).fetchall()
        return [_record(r) for r in rows]

    def state_at(self, obj: ObjectRef, at: datetime) -> StateChangeRecord | None:
        with self._db.read("read a state change") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM state_changes WHERE object_kind = ? AND object_id = ?"
                " AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1",
                (obj.kind.value, obj.id, ts_text(at)),
            ).fetchone()
        return None if row is None else _record(row)
