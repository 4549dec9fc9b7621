"""The SQLite event store: one file, WAL, ``synchronous=FULL``, migrated on open."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import TracebackType

from noc.clock import Clock
from noc.store.sqlite.audit_log import SqliteAuditLog
from noc.store.sqlite.columns import (
    MaintenanceColumns,
    StateChangeColumns,
    maintenance_columns,
    state_change_columns,
)
from noc.store.sqlite.db import SqliteDatabase
from noc.store.sqlite.incidents import SqliteIncidents
from noc.store.sqlite.logbook import SqliteLogbook
from noc.store.sqlite.maintenance import SqliteMaintenance
from noc.store.sqlite.silences import SqliteSilences
from noc.store.sqlite.state_changes import SqliteStateChanges
from noc.store.sqlite.tokens import SqliteTokens
from noc.store.sqlite.users import SqliteUsers


class SqliteEventStore:
    """Every repository of the event store over one shared, lock-guarded connection."""

    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db
        self.state_changes = SqliteStateChanges(db)
        self.incidents = SqliteIncidents(db)
        self.maintenance = SqliteMaintenance(db)
        self.silences = SqliteSilences(db)
        self.logbook = SqliteLogbook(db)
        self.users = SqliteUsers(db)
        self.tokens = SqliteTokens(db)
        self.audit = SqliteAuditLog(db)

    @property
    def path(self) -> str:
        return self._db.path

    def state_change_columns(self, until: datetime | None = None) -> StateChangeColumns:
        """Every state change before ``until`` as numpy columns (read-only, one scan; what the
        SLA engine reads instead of one record per row, see :mod:`noc.store.sqlite.columns`)."""
        with self._db.read("read state changes") as conn:
            return state_change_columns(conn, until)

    def maintenance_columns(self, until: datetime | None = None) -> MaintenanceColumns:
        """Every maintenance window starting before ``until`` as plain rows (read-only)."""
        with self._db.read("read maintenance windows") as conn:
            return maintenance_columns(conn, until)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteEventStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_sqlite_event_store(path: str | Path, clock: Clock) -> SqliteEventStore:
    """Open the SQLite event store at ``path``, creating it and applying migrations as needed.

    Raises :class:`~noc.errors.StoreError` when the file cannot be opened, is not SQLite, or
    has a schema newer than this code knows.
    """
    return SqliteEventStore(SqliteDatabase(path, clock))
