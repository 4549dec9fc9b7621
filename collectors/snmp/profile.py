"""The profile schema: which MIB objects a device kind is read with and how they become samples.

A profile is one YAML file in ``collectors/snmp/profiles`` (file stem = profile name), in the
spirit of snmp_exporter's modules. The collector only interprets profiles: vendors live in
YAML, never in Python.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

_METRIC = re.compile(r"^[a-z_][a-z0-9_]*$")
_LABEL = re.compile(r"^[a-z_][a-z0-9_]*$")
_OID = re.compile(r"^\d+(\.\d+)*$")
_PROFILE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def _oid(v: str) -> str:
    v = v.strip().lstrip(".")
    if not _OID.match(v):
        raise ValueError(f"{v!r} is not a numeric OID like 1.3.6.1.2.1.1.3.0")
    return v


OidText = Annotated[str, AfterValidator(lambda v: _oid(v))]
MetricName = Annotated[str, AfterValidator(lambda v: _metric_name(v))]
LabelName = Annotated[str, AfterValidator(lambda v: _label_name(v))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rate(_Strict):
    """A per-second rate derived from a counter (wraps and resets never make a spike)."""

    name: MetricName
    scale: float = 1.0  # e.g. 8 for octets -> bits
    unit: str = ""


class Filter(_Strict):
    """Keep a table row only when the column ``oid`` equals one of ``values``.

    ``index_parts`` picks the index components that key ``oid`` (None: the whole index).
    """

    oid: OidText
    values: list[int | str] = Field(min_length=1)
    index_parts: list[int] | None = None


class RowScale(_Strict):
    """Per-row scaling read from other columns of the same row (ENTITY-SENSOR-MIB style).

    value * 10 ** exponent_map[exponent] / 10 ** precision / divisor
    """

    exponent_oid: OidText | None = None
    exponent_map: dict[int, int] = Field(default_factory=dict)
    precision_oid: OidText | None = None
    divisor_oid: OidText | None = None
    index_parts: list[int] | None = None  # index components keying these columns


class Metric(_Strict):
    """One scalar (``oid`` ends in ``.0`` or any exact instance) or one table column."""

    name: MetricName
    oid: OidText
    type: Literal["gauge", "counter", "enum"] = "gauge"
    help: str = ""
    unit: str = ""  # base unit shown by `noc poll`: bytes, celsius, volts, ratio, seconds ...
    scale: float = 1.0
    offset: float = 0.0
    mask: int | None = None  # bit field: value & mask before the enum lookup
    bits: Literal[32, 64] = 64  # counter width, for wrap detection
    enum: dict[int, str] = Field(default_factory=dict)
    ignore: list[int] = Field(default_factory=list)  # sentinels meaning "no value"
    rate: Rate | None = None
    labels: dict[str, str] = Field(default_factory=dict)  # constant labels
    filter: list[Filter] = Field(default_factory=list)  # all must hold
    row_scale: RowScale | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Metric:
        if self.type == "enum" and not self.enum:
            raise ValueError(f"{self.name}: an enum metric needs an 'enum' mapping")
        if self.type != "enum" and self.enum:
            raise ValueError(f"{self.name}: 'enum' is only for type enum")
        if self.rate is not None and self.type != "counter":
            raise ValueError(f"{self.name}: 'rate' is only for counters")
        if self.type == "counter" and not self.name.endswith("_total"):
            raise ValueError(f"{self.name}: a counter's name ends in _total")
        for k in self.labels:
            _label_name(k)
        return self


class Lookup(_Strict):
    """A label read from another column with the row's index (or one part of it)."""

    label: LabelName
    oid: OidText
    index_parts: list[int] | None = None  # which index components key the lookup; None: all
    format: Literal["text", "hex", "int"] = "text"
    enum: dict[int, str] = Field(default_factory=dict)


class Derived(_Strict):
    """A metric computed from two others of the same row after decoding.

    ``utilization``: rate ``a`` / capacity (the inventory link's capacity, else metric ``b``).
    ``ratio``: a / b. ``difference``: a - b (optical margin to a threshold).
    """

    name: MetricName
    kind: Literal["utilization", "ratio", "difference"]
    a: str
    b: str | None = None
    unit: str = ""


class Table(_Strict):
    name: str
    index_labels: list[LabelName] = Field(default_factory=lambda: ["index"])
    lookups: list[Lookup] = Field(default_factory=list)
    metrics: list[Metric] = Field(min_length=1)
    derived: list[Derived] = Field(default_factory=list)


class NeighborTable(_Strict):
    """An LLDP or CDP remote table read into Neighbor observations."""

    protocol: Literal["lldp", "cdp"]
    local_interface: list[Lookup] = Field(min_length=1)  # first that answers; label ignored
    remote_system: OidText
    remote_port: OidText | None = None
    remote_port_description: OidText | None = None
    remote_address: OidText | None = None


class Profile(_Strict):
    name: str
    description: str = ""
    match: list[OidText] = Field(default_factory=list)  # sysObjectID prefixes
    probe: list[OidText] = Field(default_factory=list)  # subtrees whose presence identifies it
    include: list[str] = Field(default_factory=list)  # other profiles read as well
    scalars: list[Metric] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    neighbors: list[NeighborTable] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _PROFILE.match(v):
            raise ValueError(f"profile name {v!r}: use lower case letters, digits and '_'")
        return v


def _metric_name(v: str) -> str:
    if not _METRIC.match(v):
        raise ValueError(f"metric name {v!r}: use snake_case (Prometheus conventions)")
    return v


def _label_name(v: str) -> str:
    if not _LABEL.match(v) or v.startswith("__"):
        raise ValueError(f"label name {v!r}: use snake_case")
    return v
