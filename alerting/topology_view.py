"""What alerting needs from topology, as a small Protocol, and a first implementation.

``ReachabilityTopology`` answers from the inventory and topology's reachability tracker (the
``depends_on`` rule). Topology's graph-based root cause can replace it without touching alerting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from noc.model.inventory import Inventory
from noc.model.observations import ObjectKind, ObjectRef


class TopologyView(Protocol):
    def root_cause_of(self, obj: ObjectRef) -> ObjectRef | None:
        """The object whose failure explains ``obj``'s problem, or None when ``obj`` is its own."""
        ...

    def affected_services(self, objs: Iterable[ObjectRef]) -> list[str]:
        """Ids of the services that use any of ``objs``."""
        ...

    def site_of(self, obj: ObjectRef) -> str | None: ...

    def redundancy_group(self, obj: ObjectRef) -> str | None:
        """A name shared by objects that back each other up (the core pair), else None."""
        ...


class ReachabilityTopology:
    """Root cause over ``depends_on``; ``root_causes`` is the live tracker's method."""

    def __init__(
        self,
        device_sites: Mapping[str, str],
        depends_on: Mapping[str, Sequence[str]],
        service_components: Mapping[str, Sequence[str]],
        root_causes: Callable[[str], list[str]],
        link_rings: Mapping[str, str] | None = None,
    ) -> None:
        self._sites = dict(device_sites)
        self._services = {s: frozenset(c) for s, c in service_components.items()}
        self._root_causes = root_causes
        self._groups: dict[str, str] = {}
        for ups in depends_on.values():
            if len(ups) > 1:
                name = "+".join(sorted(ups))
                for dev in ups:
                    self._groups.setdefault(f"device:{dev}", name)
        for link, ring in (link_rings or {}).items():
            self._groups[f"link:{link}"] = f"ring:{ring}"

    @classmethod
    def from_inventory(
        cls, inventory: Inventory, root_causes: Callable[[str], list[str]]
    ) -> ReachabilityTopology:
        """``root_causes``: typically the running pipeline's ``ReachabilityTracker.root_causes``."""
        return cls(
            {d.id: d.site for d in inventory.devices},
            {d.id: d.depends_on for d in inventory.devices},
            {s.id: [str(c) for c in s.components] for s in inventory.services},
            root_causes,
            {k.id: k.ring for k in inventory.links if k.ring},
        )

    def root_cause_of(self, obj: ObjectRef) -> ObjectRef | None:
        if obj.kind is not ObjectKind.device:
            return None
        roots = self._root_causes(obj.id)
        return ObjectRef(kind=ObjectKind.device, id=roots[0]) if roots else None

    def affected_services(self, objs: Iterable[ObjectRef]) -> list[str]:
        names = {str(o) for o in objs}
        return sorted(s for s, comps in self._services.items() if comps & names)

    def site_of(self, obj: ObjectRef) -> str | None:
        if obj.kind is ObjectKind.site:
            return obj.id
        device = obj.id.split(":", 1)[0] if obj.kind is ObjectKind.interface else obj.id
        return self._sites.get(device)

    def redundancy_group(self, obj: ObjectRef) -> str | None:
        if obj.kind is ObjectKind.ring:
            return f"ring:{obj.id}"
        return self._groups.get(str(obj))


class NoTopology:
    """Every object is its own root cause (tests, or before topology is wired)."""

    def root_cause_of(self, obj: ObjectRef) -> ObjectRef | None:
        return None

    def affected_services(self, objs: Iterable[ObjectRef]) -> list[str]:
        return []

    def site_of(self, obj: ObjectRef) -> str | None:
        return None

    def redundancy_group(self, obj: ObjectRef) -> str | None:
        return None
