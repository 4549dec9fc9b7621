"""Records the event store keeps: state changes, incidents, mutes, the log book, users, audit.

Every record is a frozen pydantic model with ``extra="forbid"``; every timestamp is UTC.
Import these from :mod:`noc.store.events`, which re-exports them next to the repository
interfaces.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from noc.clock import utc
from noc.model.observations import ObjectKind, ObjectRef, StateChange


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, v: object) -> object:
        # Every datetime of every record is timezone-aware and kept in UTC.
        return utc(v) if isinstance(v, datetime) else v


Language = Literal["id", "en"]  # the languages the UI and reports speak (DESIGN.md)
LANGUAGES: tuple[Language, ...] = ("id", "en")


class Role(StrEnum):
    """What a user may do (DESIGN.md, Roles)."""

    viewer = "viewer"  # the wall
    operator = "operator"  # ack, silence, log book
    oncall = "oncall"
    manager = "manager"  # reports
    auditor = "auditor"  # read-only + exports
    admin = "admin"  # users, inventory


class Severity(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"
    warning = "warning"
    info = "info"


class IncidentStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


class IncidentEventKind(StrEnum):
    """The lifecycle events of an incident, in the order they usually happen."""

    opened = "opened"
    acknowledged = "acknowledged"
    assigned = "assigned"
    commented = "commented"
    escalated = "escalated"
    linked = "linked"  # a symptom alert was linked to this (root) incident
    resolved = "resolved"
    reopened = "reopened"


class StateChangeRecord(_Record):
    """A stored :class:`StateChange`: ``ts`` is when it happened, ``recorded_at`` when stored."""

    id: int
    object: ObjectRef
    old: str
    new: str
    ts: datetime
    cause: str = ""
    recorded_at: datetime

    def to_change(self) -> StateChange:
        return StateChange(
            object=self.object, old=self.old, new=self.new, ts=self.ts, cause=self.cause
        )


class Incident(_Record):
    """An incident as it stands now; its history is the list of :class:`IncidentEvent`.

    ``acknowledged_at``/``acknowledged_by`` keep the FIRST acknowledgement (response time is
    ``acknowledged_at - opened_at``); a reopened incident keeps them. Notes are the
    ``commented`` events.
    """

    id: int
    title: str
    severity: Severity
    status: IncidentStatus
    opened_at: datetime  # detection time
    opened_by: str
    source_alert: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    assignee: str | None = None
    escalation_level: int = 0
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    root_cause: ObjectRef | None = None
    affected_services: tuple[str, ...] = ()
    symptom_alerts: tuple[str, ...] = ()
    updated_at: datetime


class IncidentEvent(_Record):
    """One step of an incident's lifecycle. ``detail`` holds kind-specific values
    (``assignee`` for assigned, ``level``/``severity`` for escalated, ``alert`` for linked,
    ``root_cause`` for resolved)."""

    id: int
    incident_id: int
    kind: IncidentEventKind
    at: datetime
    actor: str
    text: str = ""
    detail: dict[str, str] = Field(default_factory=dict)


MAINTENANCE_TARGETS = frozenset({ObjectKind.device, ObjectKind.site, ObjectKind.service})


class MaintenanceWindow(_Record):
    """Planned work on a device, site or service: recorded, not notified, excluded from SLA.

    ``recurrence`` is kept verbatim (e.g. an RFC 5545 RRULE) for the alerting part to expand;
    the store does not interpret it.
    """

    id: int
    target: ObjectRef
    starts_at: datetime
    ends_at: datetime
    author: str
    reason: str
    recurrence: str | None = None
    created_at: datetime
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None

    def active_at(self, at: datetime) -> bool:
        """True when ``at`` is inside ``[starts_at, min(ends_at, cancelled_at))``."""
        end = self.ends_at if self.cancelled_at is None else min(self.ends_at, self.cancelled_at)
        return self.starts_at <= utc(at) < end


class Matcher(BaseModel):
    """``name = value`` (or ``!=``, ``=~``, ``!~``) over alert labels, as Alertmanager does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    value: str
    regex: bool = False
    negate: bool = False

    @model_validator(mode="after")
    def _compiles(self) -> Matcher:
        if self.regex:
            try:
                re.compile(self.value)
            except re.error as e:
                raise ValueError(f"matcher {self.name}: {self.value!r} is not a regex: {e}") from e
        return self

    def matches(self, labels: dict[str, str]) -> bool:
        got = labels.get(self.name, "")
        hit = re.fullmatch(self.value, got) is not None if self.regex else got == self.value
        return hit != self.negate


class Silence(_Record):
    """An operator's choice not to be notified: muted, but still counted against the SLA."""

    id: int
    matchers: tuple[Matcher, ...] = Field(min_length=1)
    starts_at: datetime
    ends_at: datetime
    author: str
    reason: str
    created_at: datetime
    expired_at: datetime | None = None
    expired_by: str | None = None

    def active_at(self, at: datetime) -> bool:
        end = self.ends_at if self.expired_at is None else min(self.ends_at, self.expired_at)
        return self.starts_at <= utc(at) < end

    def matches(self, labels: dict[str, str]) -> bool:
        return all(m.matches(labels) for m in self.matchers)


class LogbookEntry(_Record):
    """A line of the NOC's daily shift log; ``handover`` marks a shift hand-over note."""

    id: int
    at: datetime
    author: str
    text: str
    handover: bool = False
    recorded_at: datetime


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
USERNAME_RULE = "use 1-64 lowercase letters, digits, '.', '_' or '-'"


def valid_username(username: str) -> bool:
    return _USERNAME.match(username) is not None


class User(_Record):
    """A person who logs in. The password hash never leaves the store."""

    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool = False
    created_at: datetime
    disabled_at: datetime | None = None
    language: Language | None = None  # None: the default from settings
    password_set_at: datetime | None = None  # last reset or change; sessions before it end


class ApiToken(_Record):
    """An API token's metadata; the secret is shown once at creation and stored only hashed."""

    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def usable_at(self, at: datetime) -> bool:
        at = utc(at)
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        return self.expires_at is None or at < self.expires_at


class AuditEntry(_Record):
    """One link of the append-only audit chain.

    ``hash = sha256(prev_hash + canonical_json(seq, ts, actor, action, subject, payload))``;
    see :mod:`noc.store.audit`.
    """

    seq: int = Field(ge=1)
    ts: datetime
    actor: str
    action: str
    subject: str
    payload: dict[str, JsonValue]
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
