"""Which inventory link a port name belongs to, whatever way a device spells the name.

The inventory writes ``TenGigabitEthernet1/0/1``; SNMP's ifName on the same Cisco port says
``Te1/0/1``, Huawei's says ``XGE0/0/1`` for ``XGigabitEthernet0/0/1``. An exact match (after
:func:`topology.lldp.interface_key`) wins; otherwise the one port of that device whose name
:func:`topology.lldp.same_interface` says is the same.
"""

from __future__ import annotations

from functools import lru_cache

from noc.model import Inventory
from topology.lldp import interface_key, same_interface


class LinkPorts:
    def __init__(self, inventory: Inventory) -> None:
        self._exact: dict[tuple[str, tuple[str, str]], str] = {}
        self._by_device: dict[str, list[tuple[str, str]]] = {}
        for link in inventory.links:
            for end in (link.a, link.b):
                self._exact[(end.device, interface_key(end.interface))] = link.id
                self._by_device.setdefault(end.device, []).append((end.interface, link.id))
        self.link_of = lru_cache(maxsize=4096)(self._link_of)

    def _link_of(self, device: str, name: str) -> str | None:
        """The link whose end is port ``name`` of ``device``, or None."""
        if not name:
            return None
        found = self._exact.get((device, interface_key(name)))
        if found is not None:
            return found
        alike = [
            link for port, link in self._by_device.get(device, ()) if same_interface(name, port)
        ]
        return alike[0] if len(alike) == 1 else None
