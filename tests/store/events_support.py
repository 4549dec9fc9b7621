"""Helpers shared by the event-store tests (not a conftest: tests/store is shared)."""

from __future__ import annotations

from pathlib import Path

from noc.clock import ManualClock
from noc.store.sqlite_events import SqliteEventStore, open_sqlite_event_store


def open_store(tmp_path: Path, clock: ManualClock, name: str = "events.db") -> SqliteEventStore:
    return open_sqlite_event_store(tmp_path / name, clock)
