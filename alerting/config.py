"""Alerting settings from a YAML file: rule files, grouping, retries, channels, escalation.

Channels are ``{name, type, min_severity, settings}``; ``settings`` is validated by the channel
type's own model (found by name in :mod:`alerting.notify`), and its errors name the key.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from alerting.duration import Duration
from alerting.escalation import EscalationPolicy
from alerting.notify.base import Notifier, channel_types
from alerting.oncall import Rotation
from alerting.people import Contact
from noc.store.events import Severity

SEVERITY_RANK = {
    Severity.info: 0,
    Severity.warning: 1,
    Severity.minor: 2,
    Severity.major: 3,
    Severity.critical: 4,
}


class _Strict(BaseModel):
    # Settings hold secrets: a validation error never echoes its input.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class ChannelConfig(_Strict):
    """A channel; ``settings`` is checked by its type's own model and kept as that model, so a
    secret in it is a ``SecretStr`` from here on (never shown by repr or a dump)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    type: str
    min_severity: Severity = Severity.warning
    settings: Any = Field(default_factory=dict)

    @model_validator(mode="after")
    def _typed_settings(self) -> ChannelConfig:
        types = channel_types()
        kind = types.get(self.type)
        if kind is None:
            raise ValueError(f"unknown channel type {self.type!r}; use one of {', '.join(types)}")
        if isinstance(self.settings, kind.config):
            return self
        try:
            typed = kind.config.model_validate(self.settings)
        except ValidationError as err:
            first = err.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"settings.{where}: {first['msg']}") from None
        object.__setattr__(self, "settings", typed)
        return self


class Retry(_Strict):
    initial: Duration = timedelta(seconds=10)
    maximum: Duration = timedelta(minutes=10)
    attempts: int = Field(12, ge=1, le=1000)

    def delay(self, attempts_done: int) -> timedelta:
        seconds = self.initial.total_seconds() * (2 ** max(attempts_done - 1, 0))
        return min(timedelta(seconds=seconds), self.maximum)


class Grouping(_Strict):
    wait: Duration = timedelta(seconds=30)
    interval: Duration = timedelta(minutes=5)


class AlertingConfig(_Strict):
    version: int = 1
    rule_files: list[str] | None = Field(None, description="default: the shipped rule set")
    group: Grouping = Field(default_factory=Grouping)
    retry: Retry = Field(default_factory=Retry)
    reopen_within: Duration = timedelta(minutes=30)
    channels: list[ChannelConfig] = Field(default_factory=list)
    rotations: list[Rotation] = Field(default_factory=list)
    people: dict[str, Contact] = Field(
        default_factory=dict, description="username -> how escalation reaches them"
    )
    escalation: EscalationPolicy | None = Field(None, description="none: no escalation")

    @model_validator(mode="after")
    def _targets_exist(self) -> AlertingConfig:
        rotations = {r.name for r in self.rotations}
        channels = {c.name for c in self.channels}
        for i, step in enumerate(self.escalation.steps if self.escalation else ()):
            for t in step.targets:
                kind, _, name = t.partition(":")
                if kind == "rotation" and name not in rotations:
                    raise ValueError(f"escalation step {i}: no rotation named {name!r}")
            for ch in step.channels:
                if ch not in channels:
                    raise ValueError(f"escalation step {i}: no channel named {ch!r}")
        return self

    @field_validator("channels")
    @classmethod
    def _unique(cls, v: list[ChannelConfig]) -> list[ChannelConfig]:
        names = [c.name for c in v]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"channel names must be unique: {', '.join(dupes)}")
        return v


def build_notifiers(config: AlertingConfig) -> dict[str, Notifier]:
    """A notifier per channel (settings were checked when the config was)."""
    out: dict[str, Notifier] = {}
    types = channel_types()
    for ch in config.channels:
        out[ch.name] = types[ch.type].build(ch.name, ch.settings)
    return out
