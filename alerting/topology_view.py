"""What alerting needs from topology, as a small Protocol, and a first implementation.

``ReachabilityTopology`` answers from the inventory and topology's reachability tracker (the
``depends_on`` rule). Topology's graph-based root cause can replace it without touching alerting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from noc.model.devices import DeviceRole
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


@runtime_checkable
class PowerAware(Protocol):
    def power_group(self, obj: ObjectRef) -> str | None:
        """``power:<site>`` for a device that goes dark with the utility (no UPS feeds it)."""
        ...


_SELF_POWERED = frozenset({DeviceRole.ups, DeviceRole.ats, DeviceRole.genset})


def unprotected_devices(inventory: Inventory) -> dict[str, str]:
    """Devices with a power feed but no UPS anywhere upstream, by id -> their site.

    They lose power when the utility fails (until the genset carries the ATS): a CRAC, say.
    Their ``device down`` is a symptom of the site's power incident, not a page of its own.
    """
    roles = {d.id: d.role for d in inventory.devices}
    out: dict[str, str] = {}
    for d in inventory.devices:
        if d.role in _SELF_POWERED:
            continue  # a UPS, ATS or genset keeps its own management card alive
        if not inventory.feeds_to(d.id):
            continue
        upstream = inventory.power_upstream(d.id)
        if not any(roles.get(s) is DeviceRole.ups for s in upstream):
            out[d.id] = d.site
    return out


class WithPower:
    """A topology view plus the power feeds (which devices share their site's utility fate)
    and the link ends (which link an interface belongs to)."""

    def __init__(self, view: TopologyView, inventory: Inventory) -> None:
        self._view = view
        self._unprotected = unprotected_devices(inventory)
        self.ring_ends: Callable[[str], list[str]] | None = None  # LinkStates.down_ends
        self._ends = {link.id: (link.a.device, link.b.device) for link in inventory.links}
        self._link_of = {
            f"{end.device}:{end.interface}": link.id
            for link in inventory.links
            for end in (link.a, link.b)
        }

    @classmethod
    def around(cls, view: TopologyView) -> TopologyView:
        """``view`` with power groups when it can tell its inventory (topology's graph view)."""
        inventory: Any = getattr(
            getattr(getattr(view, "live", None), "graph", None), "inventory", None
        )
        return cls(view, inventory) if isinstance(inventory, Inventory) else view

    def power_group(self, obj: ObjectRef) -> str | None:
        if obj.kind is not ObjectKind.device or obj.id not in self._unprotected:
            return None
        return f"power:{self._unprotected[obj.id]}"

    def link_of(self, obj: ObjectRef) -> ObjectRef | None:
        """The link an interface is an end of (its rx power drops with the link)."""
        if obj.kind is not ObjectKind.interface or obj.id not in self._link_of:
            return None
        return ObjectRef(kind=ObjectKind.link, id=self._link_of[obj.id])

    def ends_of(self, obj: ObjectRef) -> list[ObjectRef]:
        """The devices at the ends of a link, or of a ring's down segments (a dead device takes
        its links, and its rings' redundancy, down with it)."""
        if obj.kind is ObjectKind.ring and self.ring_ends is not None:
            ids: Sequence[str] = self.ring_ends(obj.id)
        elif obj.kind is ObjectKind.link:
            ids = self._ends.get(obj.id, ())
        else:
            return []
        return [ObjectRef(kind=ObjectKind.device, id=d) for d in ids]

    def root_cause_of(self, obj: ObjectRef) -> ObjectRef | None:
        return self._view.root_cause_of(obj)

    def affected_services(self, objs: Iterable[ObjectRef]) -> list[str]:
        return self._view.affected_services(objs)

    def site_of(self, obj: ObjectRef) -> str | None:
        return self._view.site_of(obj)

    def redundancy_group(self, obj: ObjectRef) -> str | None:
        return self._view.redundancy_group(obj)


def inventory_of(view: TopologyView) -> Inventory | None:
    """The inventory behind topology's graph view (``view.live.graph.inventory``), if any."""
    found: Any = getattr(getattr(getattr(view, "live", None), "graph", None), "inventory", None)
    return found if isinstance(found, Inventory) else None
