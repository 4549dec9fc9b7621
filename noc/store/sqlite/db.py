"""The SQLite connection every repository shares, its transactions, and the audit append.

One connection in autocommit mode guarded by a re-entrant lock: each write is an explicit
``BEGIN IMMEDIATE ... COMMIT`` that also appends its audit entry, so an event and its audit
entry are committed together or not at all. WAL with ``synchronous=FULL``: a committed
transaction survives a crash of the process or of the machine.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pydantic import JsonValue

from noc.clock import Clock, utc
from noc.errors import StoreError
from noc.store.audit import GENESIS_HASH, canonical_entry, canonical_json, entry_hash, iso_utc
from noc.store.audit import parse_iso_utc as parse_ts
from noc.store.event_models import AuditEntry
from noc.store.migrate import migrate

BUSY_TIMEOUT_MS = 10_000

__all__ = ["SqliteDatabase", "append_audit", "opt_ts", "parse_ts", "ts_text"]


def ts_text(value: datetime) -> str:
    return iso_utc(value)


def opt_ts(text: str | None) -> datetime | None:
    return None if text is None else parse_ts(text)


class SqliteDatabase:
    """An open event-store file. Use :meth:`write` for changes and :meth:`read` for queries."""

    def __init__(self, path: str | Path, clock: Clock) -> None:
        self.path = str(path)
        self.clock = clock
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        except sqlite3.Error as e:
            raise self._error("could not be opened", e) from e
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if self.path != ":memory:" and str(mode).lower() != "wal":
                raise StoreError(
                    f"The event store at {self.path} could not switch to WAL mode (got {mode})."
                )
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, self.path, clock)
        except sqlite3.Error as e:
            conn.close()
            raise self._error("could not be opened", e) from e
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _error(self, what: str, e: sqlite3.Error) -> StoreError:
        hint = "check that the folder exists, is writable and has free space"
        if "not a database" in str(e):
            hint = "point the event store at its own SQLite file, not at another file"
        return StoreError(f"The event store at {self.path} {what}: {e}.", hint=hint)

    def now(self) -> datetime:
        return utc(self.clock.now())

    @contextmanager
    def write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One transaction: commits when the block ends, rolls back everything if it raises."""
        with self._lock:
            conn = self._open_conn()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self._error(f"could not start to {what}", e) from e
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback(conn)
                raise self._error(f"could not {what}", e) from e
            except BaseException:
                self._rollback(conn)
                raise

    @contextmanager
    def read(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._open_conn()
            try:
                yield conn
            except sqlite3.Error as e:
                raise self._error(f"could not {what}", e) from e

    def _open_conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"The event store at {self.path} is closed.")
        return self._conn

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            conn.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def append_audit(
    conn: sqlite3.Connection,
    *,
    ts: datetime,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, JsonValue],
) -> AuditEntry:
    """Append one entry to the chain. Call inside :meth:`SqliteDatabase.write`."""
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS_HASH)
    payload_text = canonical_json(payload)
    clean: dict[str, JsonValue] = json.loads(payload_text)
    digest = entry_hash(prev, canonical_entry(seq, ts, actor, action, subject, clean))
    conn.execute(
        "INSERT INTO audit (seq, ts, actor, action, subject, payload, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, ts_text(ts), actor, action, subject, payload_text, prev, digest),
    )
    return AuditEntry(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        subject=subject,
        payload=clean,
        prev_hash=prev,
        hash=digest,
    )


def audit_from_row(row: sqlite3.Row | tuple[object, ...]) -> AuditEntry:
    seq, ts, actor, action, subject, payload, prev_hash, digest = tuple(row)
    return AuditEntry(
        seq=int(str(seq)),
        ts=parse_ts(str(ts)),
        actor=str(actor),
        action=str(action),
        subject=str(subject),
        payload=json.loads(str(payload)),
        prev_hash=str(prev_hash),
        hash=str(digest),
    )
