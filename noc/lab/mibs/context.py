"""What every renderer gets: the city, the device, the moment, and its interfaces."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from noc.lab.snmp.ber import Oid, Value
from noc.lab.view import LabInterface

if TYPE_CHECKING:
    from noc.lab.city import LabCity
    from noc.lab.node import LabNode

Table = dict[Oid, Value]


@dataclass
class Context:
    city: LabCity
    node: LabNode
    t: float
    engine_id: bytes

    @property
    def uptime(self) -> float:
        return max(0.0, self.t - self.node.boot_at)

    @cached_property
    def interfaces(self) -> list[LabInterface]:
        return self.node.interfaces()

    @property
    def has_ports_with_links(self) -> bool:
        return any(i.neighbor_system for i in self.interfaces)

    def text(self, template: str) -> str:
        node = self.node
        return template.format(
            vendor=node.vendor,
            model=node.model,
            hostname=node.hostname,
            serial=node.serial,
            os_version=node.os_version,
        )

    def last_change(self, index: int) -> int:
        """ifLastChange in ticks since boot for the port with this ifIndex."""
        port = self.city.ports[self.node.id][index - 1]
        return int(max(0.0, port.changed_at - self.node.boot_at) * 100)
