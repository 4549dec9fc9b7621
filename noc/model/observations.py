"""What collectors observe: samples of metrics and changes of state.

These are the only things that flow from collectors to the stores.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class Sample(BaseModel):
    """One measured value of one series: ``metric{labels} = value @ ts``.

    Metric names follow Prometheus conventions (snake_case, base units, unit suffix).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: str
    labels: dict[str, str] = Field(default_factory=dict)
    value: float
    ts: AwareDatetime

    @field_validator("metric")
    @classmethod
    def _metric_name(cls, v: str) -> str:
        if not _METRIC_NAME.match(v):
            raise ValueError(f"metric name {v!r} is not a valid Prometheus metric name")
        return v

    @field_validator("labels")
    @classmethod
    def _label_names(cls, v: dict[str, str]) -> dict[str, str]:
        for k in v:
            if not _LABEL_NAME.match(k) or k.startswith("__"):
                raise ValueError(f"label name {k!r} is not a valid Prometheus label name")
        return v

    def series_key(self) -> str:
        """A stable identity of the series: metric name and sorted labels."""
        return series_key(self.metric, self.labels)


def series_key(metric: str, labels: dict[str, str]) -> str:
    inner = ",".join(f'{k}="{labels[k]}"' for k in sorted(labels))
    return f"{metric}{{{inner}}}"


class ObjectKind(StrEnum):
    device = "device"
    link = "link"
    interface = "interface"
    ring = "ring"
    site = "site"
    service = "service"
    power_source = "power_source"  # where a UPS's output comes from: normal, battery, bypass


class DeviceState(StrEnum):
    """Device states exactly as DESIGN.md defines them."""

    up = "up"
    down = "down"  # does not answer, and its upstream does
    unreachable = "unreachable"  # its upstream is down: root cause elsewhere
    unknown = "unknown"  # not polled yet
    maintenance = "maintenance"


class LinkState(StrEnum):
    up = "up"
    down = "down"
    degraded = "degraded"
    unknown = "unknown"
    maintenance = "maintenance"


class ObjectRef(BaseModel):
    """Which object a state belongs to: ``device:core-1``, ``link:core-1:Te1/1--dist-2:Te1/1``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ObjectKind
    id: str = Field(min_length=1)

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> ObjectRef:
        kind, sep, ident = text.partition(":")
        if not sep or not ident:
            raise ValueError(f"object reference {text!r} is not of the form kind:id")
        return cls(kind=ObjectKind(kind), id=ident)


class StateChange(BaseModel):
    """An object moved from one state to another, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    object: ObjectRef
    old: str
    new: str
    ts: AwareDatetime
    cause: str = ""
