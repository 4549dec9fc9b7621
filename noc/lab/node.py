"""One simulated device as the simulators see it: the :class:`LabDevice` of noc.lab.view."""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

from noc.lab.catalog import Model, load_catalog
from noc.lab.network import rx_power
from noc.lab.view import LabComponent, LabInterface
from noc.model import Device

if TYPE_CHECKING:
    from noc.lab.city import LabCity

PACKET_BYTES = 760  # average packet size, for packet counters


class LabNode:
    def __init__(self, city: LabCity, device: Device, t0: float) -> None:
        self.city = city
        self.device = device
        self.model_data: Model = load_catalog().model_for(device.model, device.role.value)
        self.boot_at = t0 - 86_400 * (3 + int(self._hash("boot"), 16) % 40)
        self.boots = 1 + int(self._hash("boots"), 16) % 7

    def _hash(self, salt: str) -> str:
        return hashlib.sha256(f"{self.device.id}|{salt}".encode()).hexdigest()

    # -- LabDevice --

    @property
    def id(self) -> str:
        return self.device.id

    @property
    def hostname(self) -> str:
        return self.device.id

    @property
    def platform(self) -> str | None:
        return self.device.platform

    @property
    def vendor(self) -> str:
        return self.device.vendor

    @property
    def model(self) -> str:
        return self.device.model

    @property
    def serial(self) -> str:
        digits = str(int(self._hash("serial"), 16))[:8]
        return f"{self.model_data.serial_prefix}{digits}"

    @property
    def os_version(self) -> str:
        return self.model_data.os_version

    def answering(self) -> bool:
        with self.city.lock:
            return self.id in self.city.reachable(self.city.now())

    def uptime_seconds(self) -> float:
        return max(0.0, self.city.now() - self.boot_at)

    def reboot(self, t: float) -> None:
        self.boot_at = t
        self.boots += 1

    def interfaces(self) -> list[LabInterface]:
        city = self.city
        with city.lock:
            t = city.now()
            out = []
            for port in city.ports[self.id]:
                sim = city.port_link(port)
                up = sim.up if sim is not None else True
                neighbor = sim.link.other_end(self.id) if sim is not None and up else None
                rx = rx_power(port, sim, t)
                optic = port.optic
                out.append(
                    LabInterface(
                        index=port.index,
                        name=port.name,
                        description=port.description,
                        speed_bps=port.speed_bps,
                        admin_up=True,
                        oper_up=up,
                        in_octets=port.rx.octets(t),
                        out_octets=port.tx.octets(t),
                        in_errors=port.errors.value(t),
                        out_errors=0,
                        in_discards=port.rx.octets(t) // 10**9,
                        out_discards=port.tx.octets(t) // (3 * 10**9),
                        rx_power_dbm=rx,
                        tx_power_dbm=None if optic is None else round(optic.tx_dbm, 2),
                        optic_temperature_c=None if optic is None else port.optic_temperature_c,
                        bias_ma=None if optic is None else port.bias_ma,
                        rx_low_warning_dbm=None if optic is None else optic.rx_low_warning,
                        rx_low_alarm_dbm=None if optic is None else optic.rx_low_alarm,
                        neighbor_system=neighbor.device if neighbor else None,
                        neighbor_port=neighbor.interface if neighbor else None,
                    )
                )
            return out

    def components(self) -> list[LabComponent]:
        t = self.city.now()
        temp = round(38.0 + 4 * math.sin(t / 1800.0) + int(self._hash("t"), 16) % 4, 1)
        return [
            LabComponent("psu", "PS1", True, 180.0),
            LabComponent("psu", "PS2", True, 176.0),
            LabComponent("fan", "Fan1", True, 7200.0),
            LabComponent("fan", "Fan2", True, 7150.0),
            LabComponent("temperature", "Inlet", True, temp),
        ]

    def packets(self, octets: int) -> int:
        return octets // PACKET_BYTES
