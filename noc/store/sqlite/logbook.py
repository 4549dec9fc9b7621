"""The NOC's daily shift log. Entries are never edited: a correction is a new entry."""

from __future__ import annotations

import builtins
import sqlite3
from datetime import datetime

from noc.clock import utc
from noc.store.event_models import LogbookEntry
from noc.store.events import NotFoundError
from noc.store.sqlite.db import SqliteDatabase, append_audit, parse_ts, ts_text

_COLUMNS = "id, at, author, text, handover, recorded_at"


def _entry(row: sqlite3.Row | tuple[object, ...]) -> LogbookEntry:
    id_, at, author, text, handover, recorded = tuple(row)
    return LogbookEntry(
        id=int(str(id_)),
        at=parse_ts(str(at)),
        author=str(author),
        text=str(text),
        handover=bool(handover),
        recorded_at=parse_ts(str(recorded)),
    )


class SqliteLogbook:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def add(
        self, author: str, text: str, *, handover: bool = False, at: datetime | None = None
    ) -> LogbookEntry:
        now = self._db.now()
        when = now if at is None else utc(at)
        with self._db.write("add a log book entry") as conn:
            cur = conn.execute(
                f"INSERT INTO logbook ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?)",
                (ts_text(when), author, text, int(handover), ts_text(now)),
            )
            entry = LogbookEntry(
                id=int(cur.lastrowid or 0),
                at=when,
                author=author,
                text=text,
                handover=handover,
                recorded_at=now,
            )
            append_audit(
                conn,
                ts=now,
                actor=author,
                action="logbook.added",
                subject=f"logbook:{entry.id}",
                payload={"id": entry.id, "at": ts_text(when), "text": text, "handover": handover},
            )
        return entry

    def get(self, entry_id: int) -> LogbookEntry:
        with self._db.read("read a log book entry") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM logbook WHERE id = ?", (entry_id,)
            ).fetchone()
        if row is None:
            raise NotFoundError(
                f"Log book entry {entry_id} is not in the event store at {self._db.path}."
            )
        return _entry(row)

    def list(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        handover_only: bool = False,
    ) -> builtins.list[LogbookEntry]:
        """Entries with ``since <= at < until``, in time order."""
        where, args = ["1 = 1"], builtins.list[object]()
        if since is not None:
            where.append("at >= ?")
            args.append(ts_text(since))
        if until is not None:
            where.append("at < ?")
            args.append(ts_text(until))
        if handover_only:
            where.append("handover = 1")
        sql = f"SELECT {_COLUMNS} FROM logbook WHERE {' AND '.join(where)} ORDER BY at, id"
        with self._db.read("read the log book") as conn:
            return [_entry(r) for r in conn.execute(sql, args).fetchall()]
