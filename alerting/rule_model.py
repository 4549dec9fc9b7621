"""Alert rules as read from YAML: conditions, ``for``, hysteresis, severity, templates.

A rule says when an object (device, interface, link, ring, site) has a problem. Its condition is
one of three kinds, over the latest observation of that object:

- ``threshold``: a metric compared with a value (or with a value carried in a label), with an
  optional ``clear`` value for hysteresis; ``rate: true`` compares the per-second rate of a counter;
- ``absent``: no sample of a metric for ``after`` (once the series was seen);
- ``state``: the object's latest state is one of ``in``.

``any`` / ``all`` combine several conditions on the same object. Every model forbids unknown keys.
"""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alerting.duration import Duration
from noc.model.observations import ObjectKind
from noc.store.events import Severity

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_FIELD = re.compile(r"\{([^{}]*)\}")
RULE_SEVERITIES = (Severity.critical, Severity.major, Severity.minor, Severity.warning)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Op(StrEnum):
    gt = ">"
    ge = ">="
    lt = "<"
    le = "<="
    eq = "=="
    ne = "!="

    def holds(self, value: float, against: float) -> bool:
        match self:
            case Op.gt:
                return value > against
            case Op.ge:
                return value >= against
            case Op.lt:
                return value < against
            case Op.le:
                return value <= against
            case Op.eq:
                return value == against
            case Op.ne:
                return value != against
        raise AssertionError(self)  # pragma: no cover


def _check_metric(v: str) -> str:
    if not re.match(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$", v):
        raise ValueError(f"{v!r} is not a valid Prometheus metric name")
    return v


class Threshold(_Strict):
    metric: str
    op: Op
    value: float | None = None
    value_label: str | None = Field(
        None, description="compare against this label's value of the same sample"
    )
    value_metric: str | None = Field(
        None, description="compare against the latest value of this metric, same labels"
    )
    clear: float | None = Field(None, description="the condition ends only past this (hysteresis)")
    rate: bool = Field(False, description="compare the per-second rate of a counter")
    match: dict[str, str] = Field(default_factory=dict, description="only samples with labels")

    _metric = field_validator("metric")(_check_metric)

    @model_validator(mode="after")
    def _sides(self) -> Threshold:
        given = [v for v in (self.value, self.value_label, self.value_metric) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of value, value_label, value_metric")
        if self.value_metric is not None:
            _check_metric(self.value_metric)
        if self.clear is not None:
            if self.op in (Op.eq, Op.ne):
                raise ValueError(f"clear makes no sense with {self.op.value!r}")
            if self.value is not None and self.op.holds(self.clear, self.value):
                raise ValueError(
                    f"clear {self.clear} must be on the healthy side of {self.op.value} "
                    f"{self.value} (hysteresis)"
                )
        return self

    def limit(self, labels: dict[str, str]) -> float | None:
        if self.value is not None:
            return self.value
        raw = labels.get(self.value_label or "")
        try:
            return float(raw) if raw is not None else None
        except ValueError:
            return None


class Absent(_Strict):
    metric: str
    after: Duration = Field(gt=timedelta(0))
    match: dict[str, str] = Field(default_factory=dict)

    _metric = field_validator("metric")(_check_metric)


class EnumIn(_Strict):
    """An enum metric (a code, its name in a label) whose name is one of ``in``."""

    metric: str
    label: str = "state"
    in_: tuple[str, ...] = Field(alias="in", min_length=1)
    match: dict[str, str] = Field(default_factory=dict)

    _metric = field_validator("metric")(_check_metric)


class StateIn(_Strict):
    kind: ObjectKind
    in_: tuple[str, ...] = Field(alias="in", min_length=1)


class Condition(_Strict):
    """Exactly one of ``threshold``, ``enum``, ``absent``, ``state``."""

    threshold: Threshold | None = None
    enum: EnumIn | None = None
    absent: Absent | None = None
    state: StateIn | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        kinds = ("threshold", "enum", "absent", "state")
        if len([k for k in kinds if getattr(self, k) is not None]) != 1:
            raise ValueError("a condition is exactly one of threshold, enum, absent, state")
        return self

    @property
    def series(self) -> Threshold | EnumIn | Absent | None:
        return self.threshold or self.enum or self.absent

    @property
    def metric(self) -> str | None:
        inner = self.series
        return inner.metric if inner is not None else None


class Text(_Strict):
    """A jinja2 template in both working languages."""

    id: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Flap(_Strict):
    """``changes`` condition changes within ``window`` make the alert flapping: paged once as
    flapping, then quiet until the window passes without a change."""

    window: Duration = Field(timedelta(minutes=10), gt=timedelta(0))
    changes: int = Field(6, ge=2)

    def episodes_per_window(self) -> int:
        """How many episodes (a fire and its resolve: two changes) may start within one window
        and never count as flapping, whatever their length: one more may still end inside it."""
        return (self.changes - 2) // 2

    def quiet_spacing(self) -> timedelta | None:
        """Episodes that start more than this apart are each paged as a new fault, never as
        flapping; None when a window cannot hold even one episode and the end of another."""
        episodes = self.episodes_per_window()
        return self.window / episodes if episodes else None


class Rule(_Strict):
    name: str
    severity: Annotated[Severity, Field()]
    object: str = Field(
        "device:{device}",
        description="kind:id of the alert's object; {label} takes a sample label (states: "
        "the changed object itself)",
    )
    condition: Condition | None = None
    any: tuple[Condition, ...] | None = Field(None, min_length=2)
    all: tuple[Condition, ...] | None = Field(None, min_length=2)
    for_: Duration = Field(timedelta(0), alias="for", ge=timedelta(0))
    flap: Flap = Field(default_factory=Flap)
    correlate: str | None = Field(
        None, description="alerts with the same rendered key join one incident, e.g. power:{site}"
    )
    labels: dict[str, str] = Field(default_factory=dict)
    summary: Text
    description: Text | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError(f"{v!r}: use lower_snake_case")
        return v

    @field_validator("severity")
    @classmethod
    def _severity(cls, v: Severity) -> Severity:
        if v not in RULE_SEVERITIES:
            raise ValueError("a rule's severity is critical, major, minor or warning")
        return v

    @field_validator("labels")
    @classmethod
    def _labels(cls, v: dict[str, str]) -> dict[str, str]:
        for k in v:
            if not _LABEL.match(k):
                raise ValueError(f"label name {k!r} is not a valid label name")
        return v

    @field_validator("object")
    @classmethod
    def _object(cls, v: str) -> str:
        kind, sep, ident = v.partition(":")
        if not sep or not ident:
            raise ValueError(f"{v!r} is not of the form kind:id")
        ObjectKind(kind)
        return v

    @model_validator(mode="after")
    def _combination(self) -> Rule:
        given = [k for k in ("condition", "any", "all") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a rule has exactly one of condition, any, all")
        kinds = {c.state.kind for c in self.conditions if c.state is not None}
        if kinds and len(self.conditions) > 1:
            raise ValueError("state conditions cannot be combined with others")
        return self

    @property
    def conditions(self) -> tuple[Condition, ...]:
        if self.condition is not None:
            return (self.condition,)
        return self.any or self.all or ()

    @property
    def needs_all(self) -> bool:
        return self.all is not None

    @property
    def metrics(self) -> frozenset[str]:
        return frozenset(m for c in self.conditions if (m := c.metric) is not None)

    def object_fields(self) -> list[str]:
        return _FIELD.findall(self.object)


class RuleFile(_Strict):
    version: Literal[1] = 1
    rules: list[Rule] = Field(default_factory=list)


class RuleSet(_Strict):
    rules: tuple[Rule, ...] = ()

    def by_name(self, name: str) -> Rule:
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(name)
