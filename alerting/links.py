"""Which links are down now, from the link state changes alerting is given.

Topology (``topology.link_states``) turns port status into link and ring states; alerting keeps
which links are down so that a ring's alert can find the incident of a dead device at the end
of one of the ring's down segments (a dead core switch takes its ring segments down with it).
"""

from __future__ import annotations

from collections.abc import Iterable

from noc.model.inventory import Inventory
from noc.model.observations import ObjectKind, StateChange


class LinkStates:
    def __init__(self, inventory: Inventory) -> None:
        self._devices: dict[str, tuple[str, str]] = {}
        self._rings: dict[str, list[str]] = {}
        for link in inventory.links:
            self._devices[link.id] = (link.a.device, link.b.device)
            if link.ring:
                self._rings.setdefault(link.ring, []).append(link.id)
        self._down: set[str] = set()

    def observe(self, changes: Iterable[StateChange]) -> None:
        for c in changes:
            if c.object.kind is ObjectKind.link and c.object.id in self._devices:
                (self._down.add if c.new == "down" else self._down.discard)(c.object.id)

    def down_ends(self, ring: str) -> list[str]:
        """Devices at the ends of a ring's down segments: a dead one explains the ring."""
        out: list[str] = []
        for link in self._rings.get(ring, ()):
            if link in self._down:
                out += [d for d in self._devices[link] if d not in out]
        return out
