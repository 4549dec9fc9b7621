"""The event store's interfaces: one small Protocol per repository, grouped by :class:`EventStore`.

Callers depend on these names only; ``open_event_store`` picks the backend (SQLite today), so a
PostgreSQL backend can be added without touching callers.

Every write that changes state appends its audit entry in the same transaction: a crash never
leaves an event without its audit entry or the other way round. Writes take their time from the
store's clock unless the caller passes ``at`` (state changes carry their own ``ts``). The store is
synchronous and thread-safe; async code calls it off the event loop.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Protocol

from pydantic import JsonValue

from noc.clock import Clock
from noc.errors import StoreError
from noc.model.observations import ObjectRef, StateChange
from noc.store.audit import ChainVerdict
from noc.store.event_models import (
    ApiToken,
    AuditEntry,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    Language,
    LogbookEntry,
    MaintenanceWindow,
    Matcher,
    Role,
    Severity,
    Silence,
    StateChangeRecord,
    User,
)

__all__ = [
    "AlreadyExistsError",
    "ApiToken",
    "AuditEntry",
    "AuditLog",
    "ChainVerdict",
    "EventStore",
    "Incident",
    "IncidentEvent",
    "IncidentEventKind",
    "IncidentRepository",
    "IncidentStatus",
    "Language",
    "LastAdminError",
    "LifecycleError",
    "LogbookEntry",
    "LogbookRepository",
    "MaintenanceRepository",
    "MaintenanceWindow",
    "Matcher",
    "NotFoundError",
    "Role",
    "Severity",
    "Silence",
    "SilenceRepository",
    "StateChangeRecord",
    "StateChangeRepository",
    "TokenRepository",
    "User",
    "UserRepository",
    "open_event_store",
]

SYSTEM_ACTOR = "system"


class NotFoundError(StoreError):
    """The record asked for does not exist."""


class LifecycleError(StoreError):
    """The step asked does not fit the record's state (e.g. acknowledging a resolved incident)."""


class AlreadyExistsError(StoreError):
    """A record with that name is already stored (e.g. a second user ``budi``)."""


class LastAdminError(LifecycleError):
    """The step would leave no enabled admin: nobody could manage users any more."""


class StateChangeRepository(Protocol):
    def append(self, change: StateChange, *, actor: str = SYSTEM_ACTOR) -> StateChangeRecord: ...

    def append_many(
        self, changes: Sequence[StateChange], *, actor: str = SYSTEM_ACTOR
    ) -> builtins.list[StateChangeRecord]:
        """All in one transaction: every change is stored, or none."""
        ...

    def get(self, change_id: int) -> StateChangeRecord: ...

    def list(
        self,
        obj: ObjectRef | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> builtins.list[StateChangeRecord]:
        """Changes with ``since <= ts < until``, oldest first (ties in storage order)."""
        ...

    def state_at(self, obj: ObjectRef, at: datetime) -> StateChangeRecord | None:
        """The last change of ``obj`` at or before ``at`` (its state then), or None."""
        ...


class IncidentRepository(Protocol):
    def open(
        self,
        title: str,
        severity: Severity,
        *,
        actor: str = SYSTEM_ACTOR,
        at: datetime | None = None,
        source_alert: str | None = None,
        root_cause: ObjectRef | None = None,
        affected_services: Sequence[str] = (),
        symptom_alerts: Sequence[str] = (),
        text: str = "",
    ) -> Incident: ...

    def acknowledge(
        self, incident_id: int, *, actor: str, at: datetime | None = None, text: str = ""
    ) -> Incident: ...

    def assign(
        self, incident_id: int, assignee: str, *, actor: str, at: datetime | None = None
    ) -> Incident: ...

    def comment(
        self, incident_id: int, text: str, *, actor: str, at: datetime | None = None
    ) -> IncidentEvent: ...

    def escalate(
        self,
        incident_id: int,
        *,
        actor: str,
        severity: Severity | None = None,
        text: str = "",
        at: datetime | None = None,
    ) -> Incident: ...

    def link_alert(
        self, incident_id: int, alert: str, *, actor: str = SYSTEM_ACTOR, at: datetime | None = None
    ) -> Incident: ...

    def resolve(
        self,
        incident_id: int,
        *,
        actor: str,
        at: datetime | None = None,
        root_cause: ObjectRef | None = None,
        text: str = "",
    ) -> Incident: ...

    def reopen(
        self, incident_id: int, *, actor: str, at: datetime | None = None, text: str = ""
    ) -> Incident: ...

    def get(self, incident_id: int) -> Incident: ...

    def list(
        self,
        *,
        status: IncidentStatus | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> builtins.list[Incident]:
        """Incidents opened in ``[since, until)`` (any when None), oldest first."""
        ...

    def events(self, incident_id: int) -> builtins.list[IncidentEvent]: ...


class MaintenanceRepository(Protocol):
    def create(
        self,
        target: ObjectRef,
        starts_at: datetime,
        ends_at: datetime,
        *,
        author: str,
        reason: str,
        recurrence: str | None = None,
    ) -> MaintenanceWindow: ...

    def cancel(
        self, window_id: int, *, actor: str, at: datetime | None = None
    ) -> MaintenanceWindow: ...

    def get(self, window_id: int) -> MaintenanceWindow: ...

    def list(
        self,
        target: ObjectRef | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> builtins.list[MaintenanceWindow]:
        """Windows (cancelled ones too) overlapping ``[since, until)``, by start."""
        ...

    def active(self, at: datetime | None = None) -> builtins.list[MaintenanceWindow]: ...


class SilenceRepository(Protocol):
    def create(
        self,
        matchers: Sequence[Matcher],
        starts_at: datetime,
        ends_at: datetime,
        *,
        author: str,
        reason: str,
    ) -> Silence: ...

    def expire(self, silence_id: int, *, actor: str, at: datetime | None = None) -> Silence: ...

    def get(self, silence_id: int) -> Silence: ...

    def list(self, *, include_expired: bool = False) -> builtins.list[Silence]: ...

    def active(self, at: datetime | None = None) -> builtins.list[Silence]: ...


class LogbookRepository(Protocol):
    def add(
        self, author: str, text: str, *, handover: bool = False, at: datetime | None = None
    ) -> LogbookEntry: ...

    def get(self, entry_id: int) -> LogbookEntry: ...

    def list(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        handover_only: bool = False,
    ) -> builtins.list[LogbookEntry]: ...


class UserRepository(Protocol):
    def create(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        *,
        actor: str = SYSTEM_ACTOR,
    ) -> User: ...

    def get(self, username: str) -> User | None: ...

    def authenticate(self, username: str, password: str) -> User:
        """The user, or :class:`~noc.errors.AuthError` saying only that the login failed."""
        ...

    def disable(self, username: str, *, actor: str) -> User:
        """Refused with :class:`LastAdminError` for the last enabled admin."""
        ...

    def enable(self, username: str, *, actor: str) -> User: ...

    def set_role(self, username: str, role: Role, *, actor: str) -> User:
        """Refused with :class:`LastAdminError` when it demotes the last enabled admin."""
        ...

    def set_password(self, username: str, password: str, *, actor: str) -> User:
        """A new password (an admin's reset or the person's own change); audited without it."""
        ...

    def set_language(self, username: str, language: Language | None, *, actor: str) -> User: ...

    def list(self) -> builtins.list[User]: ...


class TokenRepository(Protocol):
    def create(
        self,
        username: str,
        name: str,
        *,
        actor: str,
        expires_at: datetime | None = None,
    ) -> tuple[ApiToken, str]:
        """The token and its plaintext secret, which is shown once and never stored."""
        ...

    def resolve(self, secret: str) -> tuple[User, ApiToken] | None:
        """The enabled user and usable token for ``secret``, else None."""
        ...

    def revoke(self, token_id: int, *, actor: str) -> ApiToken: ...

    def get(self, token_id: int) -> ApiToken:
        """The token's metadata, or :class:`NotFoundError`."""
        ...

    def list(self, username: str | None = None) -> builtins.list[ApiToken]: ...


class AuditLog(Protocol):
    def append(
        self,
        action: str,
        subject: str,
        payload: dict[str, JsonValue],
        *,
        actor: str,
    ) -> AuditEntry:
        """Record an action that is not one of the store's own writes (e.g. an inventory reload)."""
        ...

    def entries(
        self, *, after_seq: int = 0, limit: int | None = None
    ) -> builtins.list[AuditEntry]: ...

    def head(self) -> AuditEntry | None: ...

    def verify(self) -> ChainVerdict: ...

    def export(self, out: IO[str]) -> int:
        """Write the whole chain as JSON Lines (see :mod:`noc.store.audit`); return the count."""
        ...


class EventStore(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def state_changes(self) -> StateChangeRepository: ...

    @property
    def incidents(self) -> IncidentRepository: ...

    @property
    def maintenance(self) -> MaintenanceRepository: ...

    @property
    def silences(self) -> SilenceRepository: ...

    @property
    def logbook(self) -> LogbookRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    def close(self) -> None: ...


def open_event_store(path: str | Path, clock: Clock) -> EventStore:
    """Open (creating and migrating as needed) the event store at ``path``: a SQLite file."""
    from noc.store.sqlite_events import open_sqlite_event_store

    return open_sqlite_event_store(path, clock)
