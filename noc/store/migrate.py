"""A tiny schema migration runner for SQLite.

Migrations are ``NNNN_name.sql`` files applied in order. Each runs in its own transaction
together with its row in ``schema_version``: a migration is applied entirely or not at all.
A database whose schema is newer than this code knows is refused, never guessed at.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from noc.clock import Clock
from noc.errors import StoreError
from noc.store.audit import iso_utc

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def sqlite_migrations() -> list[Migration]:
    """The migrations shipped in ``noc/store/migrations/sqlite``, by version."""
    found: list[Migration] = []
    for item in resources.files("noc.store.migrations.sqlite").iterdir():
        match = _NAME.match(item.name)
        if match:
            found.append(Migration(int(match[1]), match[2], item.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    return found


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (trigger bodies stay whole)."""
    statements: list[str] = []
    current = ""
    for line in sql.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def schema_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(
    conn: sqlite3.Connection,
    db_path: str,
    clock: Clock,
    migrations: Sequence[Migration] | None = None,
) -> int:
    """Bring the database at ``db_path`` up to the newest migration; return its version.

    ``conn`` must be in autocommit mode (``isolation_level=None``): the runner opens its own
    ``BEGIN IMMEDIATE`` transactions.
    """
    todo = list(sqlite_migrations() if migrations is None else migrations)
    known = max((m.version for m in todo), default=0)
    try:
        current = schema_version(conn)
    except sqlite3.Error as e:
        raise StoreError(f"The event store at {db_path} cannot be read as SQLite: {e}.") from e
    _refuse_newer(db_path, current, known)
    for migration in todo:
        if migration.version <= current:
            continue
        _apply(conn, db_path, clock, migration, known)
        current = migration.version
    return current


def _refuse_newer(db_path: str, current: int, known: int) -> None:
    if current > known:
        raise StoreError(
            f"The event store at {db_path} has schema version {current}, newer than this "
            f"program knows (up to {known}).",
            hint="run a newer NOC Command Center, or restore a backup made by this version",
        )


def _apply(
    conn: sqlite3.Connection, db_path: str, clock: Clock, migration: Migration, known: int
) -> None:
    label = f"{migration.version:04d}_{migration.name}"
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as e:
        raise StoreError(
            f"The event store at {db_path} could not be locked to migrate: {e}."
        ) from e
    try:
        # Another process may have migrated while we waited for the lock.
        current = schema_version(conn)
        _refuse_newer(db_path, current, known)
        if current >= migration.version:
            conn.execute("ROLLBACK")
            return
        for statement in split_statements(migration.sql):
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, iso_utc(clock.now())),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(
            f"The event store at {db_path} could not apply migration {label}: {e}; "
            "nothing of it was kept."
        ) from e
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
