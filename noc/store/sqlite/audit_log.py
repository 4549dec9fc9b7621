"""The audit chain as stored in SQLite: read, verify, export, and append foreign actions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from pydantic import JsonValue

from noc.store.audit import ChainVerdict, verify_chain, write_export
from noc.store.event_models import AuditEntry
from noc.store.sqlite.db import SqliteDatabase, append_audit, audit_from_row

_COLUMNS = "seq, ts, actor, action, subject, payload, prev_hash, hash"


class SqliteAuditLog:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def append(
        self, action: str, subject: str, payload: dict[str, JsonValue], *, actor: str
    ) -> AuditEntry:
        with self._db.write("append to the audit log") as conn:
            return append_audit(
                conn,
                ts=self._db.now(),
                actor=actor,
                action=action,
                subject=subject,
                payload=payload,
            )

    def entries(self, *, after_seq: int = 0, limit: int | None = None) -> list[AuditEntry]:
        with self._db.read("read the audit log") as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                (after_seq, -1 if limit is None else limit),
            ).fetchall()
        return [audit_from_row(r) for r in rows]

    def head(self) -> AuditEntry | None:
        with self._db.read("read the audit log") as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else audit_from_row(row)

    def _all(self, batch: int = 5000) -> Iterator[AuditEntry]:
        after = 0
        while True:
            chunk = self.entries(after_seq=after, limit=batch)
            yield from chunk
            if len(chunk) < batch:
                return
            after = chunk[-1].seq

    def verify(self) -> ChainVerdict:
        """Verify the whole stored chain, reading it in batches."""
        return verify_chain(self._all())

    def export(self, out: IO[str]) -> int:
        """Write the chain as JSON Lines; one read transaction, so the export is consistent."""
        with self._db.read("export the audit log") as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq").fetchall()
        return write_export([audit_from_row(r) for r in rows], out)
