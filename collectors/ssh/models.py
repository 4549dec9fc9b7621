"""Typed results of parsing one device output: optics, neighbors, environment, facts, ports.

These are what ``noc parse`` prints (stable JSON) and what the SSH collector turns into
samples and neighbor observations. Units are the device's natural ones (dBm, mA, Celsius);
conversion to base units happens when samples are made.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Kind(StrEnum):
    """What a command's output describes."""

    optics = "optics"
    neighbors = "neighbors"
    environment = "environment"
    facts = "facts"
    interfaces = "interfaces"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Alarm and warning limits the device itself reports for one reading."""

    high_alarm: float | None = None
    high_warning: float | None = None
    low_warning: float | None = None
    low_alarm: float | None = None


class Optic(_Strict):
    """Digital optical monitoring of one transceiver (one lane when ``lane`` is set)."""

    interface: str = Field(min_length=1)
    lane: int | None = None
    rx_power_dbm: float | None = None
    tx_power_dbm: float | None = None
    bias_ma: float | None = None
    temperature_c: float | None = None
    voltage_v: float | None = None
    rx_power_thresholds: Thresholds | None = None
    tx_power_thresholds: Thresholds | None = None
    bias_thresholds: Thresholds | None = None
    temperature_thresholds: Thresholds | None = None


class NeighborEntry(_Strict):
    """One LLDP/CDP neighbor as the device prints it."""

    local_interface: str = Field(min_length=1)
    remote_system: str = ""
    remote_port: str = ""
    remote_port_description: str = ""
    remote_address: str | None = None
    remote_chassis_id: str = ""
    protocol: str = "lldp"


class EnvComponent(_Strict):
    """A power supply, fan or temperature sensor and its state."""

    kind: str  # psu, fan, temperature
    name: str = Field(min_length=1)
    state: str = ""
    ok: bool | None = None
    value: float | None = None  # celsius for temperature, rpm for fans, watts for PSUs
    model: str = ""
    serial: str = ""
    thresholds: Thresholds | None = None


class Facts(_Strict):
    """What the asset register wants to know about a device."""

    hostname: str = ""
    vendor: str = ""
    model: str = ""
    os_version: str = ""
    serial: str = ""
    uptime_seconds: float | None = None


class InterfaceStatus(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    admin_up: bool | None = None
    oper_up: bool | None = None


class Parsed(_Strict):
    """The parse of one command's output; only the list for its ``kind`` is filled."""

    platform: str
    command: str
    kind: Kind
    optics: list[Optic] = Field(default_factory=list)
    neighbors: list[NeighborEntry] = Field(default_factory=list)
    environment: list[EnvComponent] = Field(default_factory=list)
    interfaces: list[InterfaceStatus] = Field(default_factory=list)
    facts: Facts | None = None
