"""Alerting's own small SQLite file: alert states, incident anchors, the notification log.

It lets a restart resume where it stopped: active alerts are restored (so they resolve later),
incidents are found again by their anchors, and every notification is a row that is sent once
(``pending`` until delivered; a group's last sent fingerprint stops a repeat).
It lives next to the event store (``alerting.sqlite``) so the event store's schema stays theirs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from alerting.alert import Alert
from alerting.mute import Mute
from noc.clock import utc
from noc.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
  key TEXT PRIMARY KEY, state TEXT NOT NULL, record TEXT NOT NULL, updated_at TEXT NOT NULL,
  notified INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS anchors (
  anchor TEXT PRIMARY KEY, incident_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, group_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, created_at TEXT NOT NULL,
  sent_at TEXT, last_error TEXT,
  UNIQUE (channel, group_key, fingerprint));
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS group_state (
  group_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, sent_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS escalations (
  incident_id INTEGER NOT NULL, step INTEGER NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY (incident_id, step));
"""


class AlertRecord(BaseModel):
    """An alert as last seen, with the mute that applied and its incident."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alert: Alert
    mute: Mute | None = None
    incident_id: int | None = None
    notified: bool = False  # people were told it fires (set when its group is sent)


class Outbox(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    channel: str
    group_key: str
    fingerprint: str
    payload: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None = None


def _ts(value: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order in SQL."""
    return utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Journal:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as e:
            raise StoreError(
                f"The alerting journal at {self.path} could not be opened: {e}.",
                hint="check that the folder exists and is writable",
            ) from e

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # --- alerts and anchors -------------------------------------------------------------------

    def save_alert(self, record: AlertRecord, at: datetime) -> None:
        """Upsert; ``notified`` is kept (the dispatcher sets it) unless the record clears it."""
        with self._tx() as c:
            c.execute(
                "INSERT INTO alerts VALUES (?, ?, ?, ?, 0) ON CONFLICT (key) DO UPDATE SET "
                "state=excluded.state, record=excluded.record, updated_at=excluded.updated_at, "
                "notified=CASE WHEN ? THEN notified ELSE 0 END",
                (
                    record.alert.key,
                    record.alert.state.value,
                    record.model_dump_json(exclude={"notified"}),
                    _ts(at),
                    record.notified,
                ),
            )

    def mark_notified(self, keys: dict[str, bool]) -> None:
        with self._tx() as c:
            c.executemany(
                "UPDATE alerts SET notified = ? WHERE key = ?", [(v, k) for k, v in keys.items()]
            )

    def alerts(self, *, states: tuple[str, ...] | None = None) -> list[AlertRecord]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT record, state, notified FROM alerts ORDER BY key"
            ).fetchall()
        return [_record(r[0], r[2]) for r in rows if states is None or r[1] in states]

    def alert(self, key: str) -> AlertRecord | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT record, notified FROM alerts WHERE key = ?", (key,)
            ).fetchone()
        return _record(row[0], row[1]) if row else None

    def set_anchors(self, anchors: list[str], incident_id: int) -> None:
        with self._tx() as c:
            c.executemany(
                "INSERT INTO anchors VALUES (?, ?) ON CONFLICT (anchor) DO UPDATE SET "
                "incident_id=excluded.incident_id",
                [(a, incident_id) for a in anchors],
            )

    def anchor(self, anchor: str) -> int | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT incident_id FROM anchors WHERE anchor = ?", (anchor,)
            ).fetchone()
        return int(row[0]) if row else None

    def drop_anchors(self, incident_id: int) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM anchors WHERE incident_id = ?", (incident_id,))

    # --- notification log ---------------------------------------------------------------------

    def last_fingerprint(self, group_key: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT fingerprint FROM group_state WHERE group_key = ?", (group_key,)
            ).fetchone()
        return str(row[0]) if row else None

    def enqueue(
        self, channels: list[str], group_key: str, fingerprint: str, payload: str, at: datetime
    ) -> None:
        """One pending row per channel and the group's new fingerprint, in one transaction."""
        with self._tx() as c:
            for ch in channels:
                c.execute(
                    "INSERT OR IGNORE INTO notifications (channel, group_key, fingerprint, "
                    "payload, status, next_attempt_at, created_at) "
                    "VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                    (ch, group_key, fingerprint, payload, _ts(at), _ts(at)),
                )
            c.execute(
                "INSERT INTO group_state VALUES (?, ?, ?) ON CONFLICT (group_key) DO UPDATE SET "
                "fingerprint=excluded.fingerprint, sent_at=excluded.sent_at",
                (group_key, fingerprint, _ts(at)),
            )

    def due(self, at: datetime, limit: int = 100) -> list[Outbox]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, channel, group_key, fingerprint, payload, status, attempts, "
                "next_attempt_at, last_error FROM notifications "
                "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                (_ts(at), limit),
            ).fetchall()
        return [_outbox(r) for r in rows]

    def next_attempt(self) -> datetime | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT MIN(next_attempt_at) FROM notifications WHERE status = 'pending'"
            ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def mark(
        self,
        row_id: int,
        status: str,
        *,
        at: datetime,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        with self._tx() as c:
            c.execute(
                "UPDATE notifications SET status = ?, attempts = attempts + 1, last_error = ?, "
                "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                "next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
                (
                    status,
                    error,
                    status,
                    _ts(at),
                    _ts(next_attempt_at) if next_attempt_at else None,
                    row_id,
                ),
            )

    def notifications(self, *, status: str | None = None) -> list[Outbox]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, channel, group_key, fingerprint, payload, status, attempts, "
                "next_attempt_at, last_error FROM notifications "
                "WHERE ? IS NULL OR status = ? ORDER BY id",
                (status, status),
            ).fetchall()
        return [_outbox(r) for r in rows]

    # --- escalation steps done ----------------------------------------------------------------

    def escalation_done(self, incident_id: int, step: int) -> bool:
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM escalations WHERE incident_id = ? AND step = ?", (incident_id, step)
            ).fetchone()
        return row is not None

    def record_escalation(self, incident_id: int, step: int, at: datetime) -> bool:
        """True when this step was not recorded before (so it must be carried out now)."""
        with self._tx() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO escalations VALUES (?, ?, ?)", (incident_id, step, _ts(at))
            )
            return cur.rowcount == 1


def _record(text: str, notified: int) -> AlertRecord:
    return AlertRecord.model_validate_json(text).model_copy(update={"notified": bool(notified)})


def _outbox(r: tuple[object, ...]) -> Outbox:
    return Outbox(
        id=r[0],
        channel=r[1],
        group_key=r[2],
        fingerprint=r[3],
        payload=r[4],
        status=r[5],
        attempts=r[6],
        next_attempt_at=datetime.fromisoformat(str(r[7])),
        last_error=r[8],
    )


def dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
