"""Devices: switches, routers, power and cooling equipment, sensors and servers."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, IPvAnyAddress, model_validator

from noc.model.base import Bandwidth, Identifier, InventoryModel


class DeviceRole(StrEnum):
    core_switch = "core_switch"
    distribution_switch = "distribution_switch"
    access_switch = "access_switch"
    router = "router"
    firewall = "firewall"
    ups = "ups"
    genset = "genset"
    ats = "ats"
    pdu = "pdu"
    hvac = "hvac"
    env_sensor = "env_sensor"
    server = "server"


POWER_ROLES = frozenset({DeviceRole.ats, DeviceRole.ups, DeviceRole.pdu, DeviceRole.genset})
"""Roles that feed power to other devices."""


class Interface(InventoryModel):
    """A named port; in YAML either a plain name or ``{name, description, speed}``."""

    name: str = Field(min_length=1)
    description: str = ""
    speed: Bandwidth | None = None  # bits per second

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class PollIntervals(InventoryModel):
    """Seconds between polls, per collector kind."""

    snmp: int = Field(default=60, gt=0)
    ssh: int = Field(default=300, gt=0)
    icmp: int = Field(default=30, gt=0)


class PollOverrides(InventoryModel):
    """Per-device poll intervals in seconds; unset ones follow ``settings.poll_intervals``."""

    snmp: int | None = Field(default=None, gt=0)
    ssh: int | None = Field(default=None, gt=0)
    icmp: int | None = Field(default=None, gt=0)


class SnmpAccess(InventoryModel):
    credentials: str = Field(min_length=1)  # name of an snmp_* credential set
    port: int | None = Field(default=None, ge=1, le=65535)  # default: settings.snmp_port


class SshAccess(InventoryModel):
    credentials: str = Field(min_length=1)  # name of an ssh credential set
    port: int | None = Field(default=None, ge=1, le=65535)  # default: settings.ssh_port


class Device(InventoryModel):
    id: Identifier
    name: str = ""  # defaults to the id
    site: str
    role: DeviceRole
    vendor: str = ""
    model: str = ""
    platform: str | None = None  # cisco_ios, juniper_junos, arista_eos, huawei_vrp, ...
    profile: str | None = None  # collector profile; None: chosen by sysObjectID
    address: IPvAnyAddress  # management address
    snmp: SnmpAccess | None = None
    ssh: SshAccess | None = None
    depends_on: list[str] = Field(default_factory=list)
    interfaces: list[Interface] = Field(default_factory=list)
    poll_intervals: PollOverrides = Field(default_factory=PollOverrides)
    redundant_peer: str | None = None
    policy: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name") and isinstance(data.get("id"), str):
            return {**data, "name": data["id"]}
        return data

    def interface(self, name: str) -> Interface | None:
        """The interface called ``name``, or None."""
        return next((i for i in self.interfaces if i.name == name), None)
