"""A fixed LabView for tests, benchmarks and demos until the lab state drives the servers.

It implements :class:`~noc.lab.view.LabView` with plain mutable objects, so a test can inject
the lab's faults by hand: ``link_down``, ``optic_degrade``, ``device_down``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from noc.lab.view import LabComponent, LabInterface


@dataclass
class StaticDevice:
    id: str
    hostname: str
    platform: str | None
    vendor: str = "Cisco"
    model: str = "C9500-16X"
    serial: str = "FCW2233A0AB"
    os_version: str = "17.9.4"
    uptime: float = 3 * 86400 + 4 * 3600 + 5 * 60
    up: bool = True
    ports: list[LabInterface] = field(default_factory=list)
    parts: list[LabComponent] = field(default_factory=list)

    def answering(self) -> bool:
        return self.up

    def uptime_seconds(self) -> float:
        return self.uptime

    def interfaces(self) -> Sequence[LabInterface]:
        return list(self.ports)

    def components(self) -> Sequence[LabComponent]:
        return list(self.parts)

    def link_down(self, name: str) -> None:
        """The fault as the lab shows it: port down, no light, the neighbor gone."""
        self._edit(
            name, oper_up=False, rx_power_dbm=-40.0, neighbor_system=None, neighbor_port=None
        )

    def optic_degrade(self, name: str, rx_dbm: float) -> None:
        self._edit(name, rx_power_dbm=rx_dbm)

    def _edit(self, name: str, **changes: object) -> None:
        self.ports = [
            dataclasses.replace(p, **changes) if p.name == name else p  # type: ignore[arg-type]
            for p in self.ports
        ]


class StaticLab:
    def __init__(self, devices: list[StaticDevice]) -> None:
        self._devices = {d.id: d for d in devices}

    def device(self, device_id: str) -> StaticDevice:
        return self._devices[device_id]

    def devices(self) -> Sequence[StaticDevice]:
        return list(self._devices.values())


def port(
    index: int, name: str, *, neighbor: tuple[str, str] | None = None, rx: float | None = -3.1
) -> LabInterface:
    """A 10G fiber port; ``neighbor`` is (system, port) on the far end."""
    return LabInterface(
        index=index,
        name=name,
        description=f"to {neighbor[0]}" if neighbor else "",
        speed_bps=10_000_000_000,
        admin_up=True,
        oper_up=True,
        in_octets=1000 * index,
        out_octets=2000 * index,
        in_errors=0,
        out_errors=0,
        in_discards=0,
        out_discards=0,
        rx_power_dbm=rx,
        tx_power_dbm=-2.0 if rx is not None else None,
        optic_temperature_c=35.0 if rx is not None else None,
        bias_ma=30.5 if rx is not None else None,
        rx_low_warning_dbm=-12.0 if rx is not None else None,
        rx_low_alarm_dbm=-14.4 if rx is not None else None,
        neighbor_system=neighbor[0] if neighbor else None,
        neighbor_port=neighbor[1] if neighbor else None,
    )


def switch(
    device_id: str, platform: str, names: Sequence[str], peer: str = "core-2"
) -> StaticDevice:
    """A switch whose ports all face ``peer`` (same port names), with PSUs, fans, sensors."""
    ports = [port(i + 1, n, neighbor=(peer, n)) for i, n in enumerate(names)]
    parts = [
        LabComponent("psu", "PSU1", True, 350.0),
        LabComponent("psu", "PSU2", True, 340.0),
        LabComponent("fan", "Fan1", True, 8000.0),
        LabComponent("fan", "Fan2", True, 8100.0),
        LabComponent("temperature", "Inlet", True, 28.0),
        LabComponent("temperature", "Outlet", True, 41.0),
    ]
    return StaticDevice(
        id=device_id, hostname=device_id, platform=platform, ports=ports, parts=parts
    )
