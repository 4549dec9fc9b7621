"""Schema migrations: applied once, all or nothing; a newer database is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.errors import StoreError
from noc.store.migrate import Migration, migrate, split_statements, sqlite_migrations
from tests.store.events_support import open_store


def test_fresh_database_gets_every_migration_once(tmp_path: Path, clock: ManualClock) -> None:
    open_store(tmp_path, clock).close()
    open_store(tmp_path, clock).close()  # reopening applies nothing again
    raw = sqlite3.connect(tmp_path / "events.db")
    try:
        rows = raw.execute("SELECT version, name, applied_at FROM schema_version").fetchall()
        assert rows == [
            (1, "initial", "2026-10-01T00:00:00.000000Z"),
            (2, "user_language", "2026-10-01T00:00:00.000000Z"),
        ]
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {
            "state_changes",
            "incidents",
            "incident_events",
            "maintenance_windows",
            "silences",
            "logbook",
            "users",
            "api_tokens",
            "audit",
        } <= tables
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()


def test_store_connection_is_wal_full_sync_with_foreign_keys(
    tmp_path: Path, clock: ManualClock
) -> None:
    store = open_store(tmp_path, clock)
    try:
        with store._db.read("check pragmas") as conn:
            assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
            assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    finally:
        store.close()


def test_newer_database_is_refused_with_its_path(tmp_path: Path, clock: ManualClock) -> None:
    open_store(tmp_path, clock).close()
    raw = sqlite3.connect(tmp_path / "events.db")
    raw.execute("INSERT INTO schema_version VALUES (7, 'future', '2027-01-01T00:00:00.000000Z')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as err:
        open_store(tmp_path, clock)
    path = str(tmp_path / "events.db")
    assert err.value.message == (
        f"The event store at {path} has schema version 7, newer than this program knows (up to 2)."
    )
    assert err.value.hint is not None and "newer" in err.value.hint


def test_failed_migration_keeps_nothing(tmp_path: Path, clock: ManualClock) -> None:
    open_store(tmp_path, clock).close()
    broken = Migration(
        3, "broken", "CREATE TABLE half (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n"
    )
    conn = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
    try:
        with pytest.raises(
            StoreError, match=r"could not apply migration 0003_broken: no such table"
        ):
            migrate(conn, "events.db", clock, [*sqlite_migrations(), broken])
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "half" not in names
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone() == (2,)
        good = Migration(3, "extra", "CREATE TABLE extra (x INTEGER);")
        assert migrate(conn, "events.db", clock, [*sqlite_migrations(), good]) == 3
        assert migrate(conn, "events.db", clock, [*sqlite_migrations(), good]) == 3
    finally:
        conn.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path, clock: ManualClock) -> None:
    (tmp_path / "events.db").write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(StoreError, match=r"^The event store at .*events\.db could not be opened"):
        open_store(tmp_path, clock)


def test_missing_folder_is_a_clear_error(tmp_path: Path, clock: ManualClock) -> None:
    with pytest.raises(
        StoreError, match=r"The event store at .*nope.*events\.db could not be opened"
    ):
        open_store(tmp_path / "nope", clock)


def test_trigger_bodies_stay_whole() -> None:
    sql = (
        "-- a comment\nCREATE TABLE t (x INTEGER);\n\n"
        "CREATE TRIGGER t_ro BEFORE DELETE ON t\nBEGIN\n    SELECT RAISE(ABORT, 'no');\nEND;\n"
    )
    assert split_statements(sql) == [
        "CREATE TABLE t (x INTEGER);",
        "CREATE TRIGGER t_ro BEFORE DELETE ON t\nBEGIN\n    SELECT RAISE(ABORT, 'no');\nEND;",
    ]
