"""Single points of failure: every element whose failure alone cuts off a site or downs a service.

Network elements (links and devices that feed no power) come from one dominator tree over the
graph with links as nodes of their own: what an element dominates is what its failure cuts off.
Power elements (utility sources and the devices that feed others) change what *works*, not just
what is reachable, so each is checked with a full evaluation; there are few of them. Power is
judged once the UPS batteries are empty: a battery is minutes, a single point is for good.
"""

from __future__ import annotations

from noc.model import DeviceRole, ObjectKind, ObjectRef
from topology.dominators import dominator_tree
from topology.evaluate import Failures, evaluate
from topology.graph import TopologyGraph
from topology.models import PowerSinglePoint, ServiceStatus, SinglePoint, SpofReport
from topology.services import ServiceEvaluator


class _Judge:
    """Which sites and services a set of unreachable devices (and a failed link) takes down."""

    def __init__(self, graph: TopologyGraph, baseline_reachable: list[bool]) -> None:
        self.graph = graph
        self.base = baseline_reachable
        self.site_size = {s: len(ds) for s, ds in graph.site_devices.items()}
        self.uses: dict[int, list[str]] = {}  # device -> link components touching it
        self.link_comp: set[str] = set()
        self.dev_comp: set[str] = set()
        for s in graph.services:
            for c in s.components:
                if c.kind is ObjectKind.device:
                    self.dev_comp.add(c.id)
                elif c.kind is ObjectKind.link and c.id in graph.link_index:
                    self.link_comp.add(c.id)
        for lid in self.link_comp:
            for d in graph.link_ends[graph.link_index[lid]]:
                self.uses.setdefault(d, []).append(lid)
        base_lost = {d for d in range(graph.n) if not self.base[d]}
        self.base_count: dict[str, int] = {}
        for d in base_lost:
            self.base_count[graph.site_of[d]] = self.base_count.get(graph.site_of[d], 0) + 1
        self.base_sites = set(self._sites(base_lost))
        self.base_down = set(self._services(base_lost, None))

    def _sites(self, lost: set[int]) -> list[str]:
        count = dict(self.base_count)  # devices already unreachable with nothing failed
        for d in lost:
            if self.base[d]:
                s = self.graph.site_of[d]
                count[s] = count.get(s, 0) + 1
        return sorted(s for s, c in count.items() if c == self.site_size.get(s, -1))

    def _services(self, lost: set[int], link: int | None) -> list[str]:
        g = self.graph
        touched = any(g.devices[d] in self.dev_comp or d in self.uses for d in lost)
        if not touched and (link is None or g.links[link] not in self.link_comp):
            return []

        def up(ref: ObjectRef) -> bool:
            if ref.kind is ObjectKind.device:
                d = g.index.get(ref.id)
                return d is not None and d not in lost and self.base[d]
            li = g.link_index.get(ref.id)
            if li is None or li == link:
                return False
            a, b = g.link_ends[li]
            return a not in lost and b not in lost and self.base[a] and self.base[b]

        ev = ServiceEvaluator(g.services, up)
        return [s.id for s in g.services if ev.status(s.id)[0] is ServiceStatus.down]

    def judge(
        self, element: str, kind: str, lost: set[int], link: int | None
    ) -> SinglePoint | None:
        sites = [s for s in self._sites(lost) if s not in self.base_sites]
        services = [s for s in self._services(lost, link) if s not in self.base_down]
        if not sites and not services:
            return None
        return SinglePoint(
            element=element,
            kind=kind,
            sites_cut_off=sites,
            services_down=services,
            devices_cut_off=len([d for d in lost if self.base[d]]),
        )


def spof_report(graph: TopologyGraph) -> SpofReport:
    n, m = graph.n, len(graph.links)
    base = evaluate(graph, Failures(), battery=False)
    judge = _Judge(graph, base.reachable)
    # node numbering: 0 = NOC, 1..n devices, n+1..n+m links
    succ: list[list[int]] = [[] for _ in range(1 + n + m)]
    succ[0] = [1 + r for r in graph.roots if base.working[r]]
    for li, (a, b) in enumerate(graph.link_ends):
        if a != b:
            node = 1 + n + li
            succ[1 + a].append(node)
            succ[1 + b].append(node)
            succ[node] += [1 + a, 1 + b]
    for d in graph.unlinked_order:
        for u in graph.upstream[d]:
            succ[1 + u].append(1 + d)
    tree = dominator_tree(succ, 0)
    points: list[SinglePoint] = []
    for d in range(n):
        if d in graph.feeders:
            continue
        lost = {x - 1 for x in tree.dominated(1 + d) if 1 <= x <= n} | {d}
        found = judge.judge(f"device:{graph.devices[d]}", "device", lost, None)
        if found:
            points.append(found)
    for li in range(m):
        lost = {x - 1 for x in tree.dominated(1 + n + li) if 1 <= x <= n}
        found = judge.judge(f"link:{graph.links[li]}", "link", lost, li)
        if found:
            points.append(found)
    unpowered: dict[int, list[str]] = {}
    for kind, element, failures in _power_elements(graph):
        ev = evaluate(graph, failures, battery=False)
        lost = {d for d in range(n) if not ev.reachable[d]}
        found = judge.judge(element, kind, lost, None)
        if found:
            points.append(found)
        for d in range(n):
            if base.working[d] and not ev.working[d] and d not in failures.devices:
                unpowered.setdefault(d, []).append(element)
    points.sort(key=lambda p: (-len(p.sites_cut_off) - len(p.services_down), p.element))
    return SpofReport(
        elements_checked=n + m + len(graph.sources),
        single_points=points,
        power_single_points=_power_points(graph, unpowered),
    )


def _power_elements(graph: TopologyGraph) -> list[tuple[str, str, Failures]]:
    out = [
        ("source", f"source:{s}", Failures(sources=frozenset({i})))
        for i, s in enumerate(graph.sources)
    ]
    out += [
        ("device", f"device:{graph.devices[d]}", Failures(devices=frozenset({d})))
        for d in sorted(graph.feeders)
    ]
    return out


def _power_points(graph: TopologyGraph, unpowered: dict[int, list[str]]) -> list[PowerSinglePoint]:
    out: list[PowerSinglePoint] = []
    for d in graph.power_order:
        if d in graph.feeders:
            continue
        ups = _upses(graph, d)
        feeds = len(graph.feeds[d])
        if feeds > 1 and len(ups) > 1:
            continue
        name = graph.devices[d]
        if not ups:
            why = f"{name} is not on a UPS"
        elif len(ups) == 1:
            why = f"{name} is fed by one UPS ({ups[0]})"
        else:
            why = f"{name} hangs on one feed"
        if feeds == 1 and len(ups) <= 1:
            why += " and has no second feed" if not ups else " with no second feed"
        points = sorted(e.removeprefix("device:") for e in unpowered.get(d, []))
        if points:
            why += f"; its power rests on {', '.join(points)}"
        out.append(
            PowerSinglePoint(device=name, feeds=feeds, ups=ups, single_points=points, message=why)
        )
    return out


def _upses(graph: TopologyGraph, device: int) -> list[str]:
    """The UPSs somewhere upstream of ``device`` in the power chain."""
    seen: set[int] = set()
    stack = [j for is_src, j in graph.feeds[device] if not is_src]
    found: set[str] = set()
    while stack:
        j = stack.pop()
        if j in seen:
            continue
        seen.add(j)
        if graph.role_of[j] is DeviceRole.ups:
            found.add(graph.devices[j])
            continue
        stack += [k for is_src, k in graph.feeds[j] if not is_src]
    return sorted(found)
