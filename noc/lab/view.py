"""What the lab's device simulators (SNMP agents, SSH servers) read: one consistent view.

The lab's state (noc.lab) implements :class:`LabView`; the SNMP agents and the SSH
simulators only read through it, so a fault such as ``link-down`` or ``optic-degrade``
shows up the same way over both protocols. Values are computed when read (traffic moves
with the time of day), from the lab's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LabInterface:
    """One port as the device reports it at the moment of reading."""

    index: int  # ifIndex
    name: str  # ifName / CLI name, as in inventory.yaml
    description: str
    speed_bps: int
    admin_up: bool
    oper_up: bool
    in_octets: int  # 64-bit counters
    out_octets: int
    in_errors: int
    out_errors: int
    in_discards: int
    out_discards: int
    rx_power_dbm: float | None = None  # optics, None on copper
    tx_power_dbm: float | None = None
    optic_temperature_c: float | None = None
    bias_ma: float | None = None
    rx_low_warning_dbm: float | None = None
    rx_low_alarm_dbm: float | None = None
    neighbor_system: str | None = None  # LLDP/CDP: the far end's hostname
    neighbor_port: str | None = None


@dataclass(frozen=True)
class LabComponent:
    """A PSU, fan or temperature sensor of a switch: name, ok, and a reading if any."""

    kind: str  # psu, fan, temperature
    name: str
    ok: bool
    value: float | None = None  # celsius for temperature, rpm for fans, watts for PSUs


class LabDevice(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def hostname(self) -> str: ...

    @property
    def platform(self) -> str | None: ...  # cisco_ios, juniper_junos, arista_eos, huawei_vrp

    @property
    def vendor(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def serial(self) -> str: ...

    @property
    def os_version(self) -> str: ...

    def answering(self) -> bool:
        """False while a ``device-down`` fault (or an upstream failure) silences it."""
        ...

    def uptime_seconds(self) -> float: ...

    def interfaces(self) -> Sequence[LabInterface]: ...

    def components(self) -> Sequence[LabComponent]: ...


class LabView(Protocol):
    def device(self, device_id: str) -> LabDevice:
        """The device with that inventory id; KeyError when there is none."""
        ...

    def devices(self) -> Sequence[LabDevice]: ...
