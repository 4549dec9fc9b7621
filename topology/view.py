"""Topology as alerting sees it: root cause, affected services, site, redundancy group.

:class:`GraphTopologyView` has the methods of ``alerting.topology_view.TopologyView`` (a
Protocol, so nothing is imported from alerting) and answers them over the graph: root causes
count redundant paths, and affected services are those an object's failure would take down or
degrade (nested services included), not only those that list it.
"""

from __future__ import annotations

from collections.abc import Iterable

from noc.model import ObjectKind, ObjectRef
from topology.elements import UnknownElementError, resolve
from topology.impact import impact
from topology.live import LiveTopology


class GraphTopologyView:
    def __init__(self, live: LiveTopology) -> None:
        self.live = live
        graph = live.graph
        inv = graph.inventory
        self._groups: dict[str, str] = {}
        self._users: dict[str, set[str]] = {}  # "kind:id" -> services listing it, transitively
        if inv is None:
            return
        for d in inv.devices:
            if d.redundant_peer:
                self._groups[d.id] = "+".join(sorted({d.id, d.redundant_peer}))
        for k in inv.links:
            if k.ring:
                self._groups[f"link:{k.id}"] = f"ring:{k.ring}"
        parents: dict[str, set[str]] = {}
        for s in inv.services:
            for c in s.components:
                parents.setdefault(str(c), set()).add(s.id)
        for key in parents:
            found: set[str] = set()
            todo = list(parents[key])
            while todo:
                svc = todo.pop()
                if svc not in found:
                    found.add(svc)
                    todo += parents.get(f"service:{svc}", ())
            self._users[key] = found

    def root_cause_of(self, obj: ObjectRef) -> ObjectRef | None:
        """The first root cause of an unreachable device (a device or a link), else None."""
        if obj.kind is not ObjectKind.device:
            return None
        roots = self.live.root_causes(obj.id)
        if not roots:
            return None
        kind, sep, ident = roots[0].partition(":")
        if sep and kind == "link":
            return ObjectRef(kind=ObjectKind.link, id=ident)
        return ObjectRef(kind=ObjectKind.device, id=roots[0])

    def affected_services(self, objs: Iterable[ObjectRef]) -> list[str]:
        """Services that list any of ``objs`` (directly or nested), or that their failure
        together would take down or degrade."""
        refs = list(objs)
        found: set[str] = set()
        for o in refs:
            found |= self._users.get(str(o), set())
        failing = [str(o) for o in refs if o.kind in (ObjectKind.device, ObjectKind.link)]
        if failing:
            try:
                im = impact(self.live.graph, resolve(self.live.graph, failing), battery=False)
            except UnknownElementError:
                im = None
            if im is not None:
                found |= {s.service for s in im.services_down + im.services_degraded}
        return sorted(found)

    def site_of(self, obj: ObjectRef) -> str | None:
        if obj.kind is ObjectKind.site:
            return obj.id
        device = obj.id.split(":", 1)[0] if obj.kind is ObjectKind.interface else obj.id
        graph = self.live.graph
        if obj.kind is ObjectKind.link and obj.id in graph.link_index:
            a, _ = graph.link_ends[graph.link_index[obj.id]]
            return graph.site_of[a]
        d = graph.index.get(device)
        return None if d is None else graph.site_of[d]

    def redundancy_group(self, obj: ObjectRef) -> str | None:
        """The core pair (``redundant_peer``) for a device; the ring for a ring segment."""
        if obj.kind is ObjectKind.device:
            return self._groups.get(obj.id)
        if obj.kind is ObjectKind.link:
            return self._groups.get(f"link:{obj.id}")
        return None
