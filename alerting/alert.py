"""An alert: one rule about one object, and the moves of its state machine.

``inactive -> pending`` (condition true, waiting ``for``) ``-> firing -> resolved``; ``flapping``
is a state of its own, entered after many changes in a window and left after a quiet one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from noc.model.observations import ObjectRef
from noc.store.events import Severity


class AlertState(StrEnum):
    inactive = "inactive"
    pending = "pending"
    firing = "firing"
    flapping = "flapping"
    resolved = "resolved"

    @property
    def active(self) -> bool:
        """Whether the object has a problem that people should know about."""
        return self in (AlertState.firing, AlertState.flapping)


def alert_key(rule: str, obj: ObjectRef | str) -> str:
    """The identity of an alert: ``device_down/device:core-1`` (one per rule and object)."""
    return f"{rule}/{obj}"


class Alert(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    rule: str
    object: ObjectRef
    state: AlertState
    severity: Severity
    labels: dict[str, str]
    summary: dict[str, str]  # language -> text
    value: float | None = None
    site: str | None = None
    correlate: str | None = None
    since: datetime | None = None  # when the current state began
    fired_at: datetime | None = None
    resolved_at: datetime | None = None


class Transition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    alert: Alert
    old: AlertState
    at: datetime

    @property
    def new(self) -> AlertState:
        return self.alert.state
