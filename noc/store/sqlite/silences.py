"""Silences: label matchers an operator chose not to be notified about, for a while."""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from noc.clock import utc
from noc.store.event_models import Matcher, Silence
from noc.store.events import LifecycleError, NotFoundError
from noc.store.sqlite.db import SqliteDatabase, append_audit, opt_ts, parse_ts, ts_text

_COLUMNS = "id, matchers, starts_at, ends_at, author, reason, created_at, expired_at, expired_by"


def _silence(row: sqlite3.Row | tuple[object, ...]) -> Silence:
    v = [None if x is None else str(x) for x in tuple(row)]
    return Silence(
        id=int(str(v[0])),
        matchers=tuple(Matcher.model_validate(m) for m in json.loads(str(v[1]))),
        starts_at=parse_ts(str(v[2])),
        ends_at=parse_ts(str(v[3])),
        author=str(v[4]),
        reason=str(v[5]),
        created_at=parse_ts(str(v[6])),
        expired_at=opt_ts(v[7]),
        expired_by=v[8],
    )


class SqliteSilences:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def create(
        self,
        matchers: Sequence[Matcher],
        starts_at: datetime,
        ends_at: datetime,
        *,
        author: str,
        reason: str,
    ) -> Silence:
        if not matchers:
            raise LifecycleError(
                f"A silence in the event store at {self._db.path} needs at least one matcher."
            )
        if utc(ends_at) <= utc(starts_at):
            raise LifecycleError(
                f"A silence in the event store at {self._db.path} must end after it starts "
                f"({ts_text(starts_at)} .. {ts_text(ends_at)})."
            )
        now = self._db.now()
        dumped = [m.model_dump() for m in matchers]
        with self._db.write("create a silence") as conn:
            cur = conn.execute(
                f"INSERT INTO silences ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (
                    json.dumps(dumped, sort_keys=True),
                    ts_text(starts_at),
                    ts_text(ends_at),
                    author,
                    reason,
                    ts_text(now),
                ),
            )
            silence = self._load(conn, int(cur.lastrowid or 0))
            append_audit(
                conn,
                ts=now,
                actor=author,
                action="silence.created",
                subject=f"silence:{silence.id}",
                payload={
                    "id": silence.id,
                    "matchers": json.loads(json.dumps(dumped)),
                    "starts_at": ts_text(silence.starts_at),
                    "ends_at": ts_text(silence.ends_at),
                    "reason": reason,
                },
            )
        return silence

    def expire(self, silence_id: int, *, actor: str, at: datetime | None = None) -> Silence:
        now = self._db.now()
        when = now if at is None else utc(at)
        with self._db.write(f"expire silence {silence_id}") as conn:
            silence = self._load(conn, silence_id)
            if silence.expired_at is not None:
                raise LifecycleError(
                    f"Silence {silence_id} in the event store at {self._db.path} is already "
                    "expired."
                )
            conn.execute(
                "UPDATE silences SET expired_at = ?, expired_by = ? WHERE id = ?",
                (ts_text(when), actor, silence_id),
            )
            silence = self._load(conn, silence_id)
            append_audit(
                conn,
                ts=now,
                actor=actor,
                action="silence.expired",
                subject=f"silence:{silence_id}",
                payload={"id": silence_id, "expired_at": ts_text(when)},
            )
        return silence

    def get(self, silence_id: int) -> Silence:
        with self._db.read("read a silence") as conn:
            return self._load(conn, silence_id)

    def list(self, *, include_expired: bool = False) -> builtins.list[Silence]:
        """Silences, oldest first; without ``include_expired`` only those not yet over."""
        with self._db.read("read silences") as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM silences ORDER BY id").fetchall()
        silences = [_silence(r) for r in rows]
        if include_expired:
            return silences
        now = self._db.now()
        return [s for s in silences if s.expired_at is None and s.ends_at > now]

    def active(self, at: datetime | None = None) -> builtins.list[Silence]:
        when = self._db.now() if at is None else utc(at)
        with self._db.read("read silences") as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM silences WHERE starts_at <= ? AND ends_at > ? ORDER BY id",
                (ts_text(when), ts_text(when)),
            ).fetchall()
        return [s for s in (_silence(r) for r in rows) if s.active_at(when)]

    def _load(self, conn: sqlite3.Connection, silence_id: int) -> Silence:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM silences WHERE id = ?", (silence_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"Silence {silence_id} is not in the event store at {self._db.path}."
            )
        return _silence(row)
