"""What works and what is reachable when a given set of elements has failed.

The failure set names devices, links and utility power sources by index. Power is worked out
first (a device that loses every feed stops working), then reachability from the data center
over working devices and unfailed links, then ``depends_on`` for devices without links.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from noc.model import DeviceRole
from topology.graph import TopologyGraph
from topology.spanning import reach_after


@dataclass(frozen=True)
class Failures:
    devices: frozenset[int] = frozenset()
    links: frozenset[int] = frozenset()
    sources: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.devices or self.links or self.sources)


@dataclass
class Evaluation:
    working: list[bool]
    reachable: list[bool]
    failed_links: frozenset[int]
    link_ends: list[tuple[int, int]]
    on_battery: list[int] = field(default_factory=list)  # UPSs running without input
    unpowered: list[int] = field(default_factory=list)  # not failed, but without power

    def link_alive(self, li: int) -> bool:
        """Not failed, and both ends work."""
        a, b = self.link_ends[li]
        return li not in self.failed_links and self.working[a] and self.working[b]


def power(graph: TopologyGraph, failures: Failures, *, battery: bool = True) -> list[bool]:
    """Which devices work: not failed and (no feeds, or some feed delivers power).

    With ``battery`` a UPS that lost its input keeps its loads up (it is on battery); without
    it, the state once the batteries are empty.
    """
    working = [i not in failures.devices for i in range(graph.n)]
    for d in graph.power_order:
        if not working[d]:
            continue
        fed = any(
            (j not in failures.sources) if is_source else working[j]
            for is_source, j in graph.feeds[d]
        )
        if not fed and not (battery and graph.role_of[d] is DeviceRole.ups):
            working[d] = False
    return working


def on_battery(graph: TopologyGraph, failures: Failures, working: list[bool]) -> list[int]:
    return [
        d
        for d in graph.power_order
        if working[d]
        and graph.role_of[d] is DeviceRole.ups
        and not any(
            (j not in failures.sources) if is_source else working[j]
            for is_source, j in graph.feeds[d]
        )
    ]


def reach(graph: TopologyGraph, working: list[bool], failed_links: frozenset[int]) -> list[bool]:
    """Devices reachable from the data center over working devices and unfailed links."""
    # one lookup per neighbor: devices that do not work are marked "seen" up front
    seen = bytearray(not w for w in working)
    queue: deque[int] = deque()
    for r in graph.roots:
        if not seen[r]:
            seen[r] = 1
            queue.append(r)
    reached = list(queue)
    adjacency = graph.adjacency
    pop, push, keep = queue.popleft, queue.append, reached.append
    while queue:
        for nb, li in adjacency[pop()]:
            if not seen[nb] and li not in failed_links:
                seen[nb] = 1
                push(nb)
                keep(nb)
    reachable = [False] * graph.n
    for d in reached:
        reachable[d] = True
    for d in graph.unlinked_order:
        if working[d] and not reachable[d] and any(reachable[u] for u in graph.upstream[d]):
            reachable[d] = True
    return reachable


def evaluate(
    graph: TopologyGraph, failures: Failures, *, battery: bool = True, full_search: bool = False
) -> Evaluation:
    """``full_search`` searches the whole graph instead of the subtrees below the failures
    (same answer, slower: the benchmark's anchor and the tests' cross-check)."""
    working = power(graph, failures, battery=battery)
    down = set(failures.devices) | {d for d in graph.power_order if not working[d]}
    if full_search:
        reachable = reach(graph, working, failures.links)
    else:
        reachable = reach_after(graph, working, down, failures.links)
    return Evaluation(
        working=working,
        reachable=reachable,
        failed_links=failures.links,
        link_ends=graph.link_ends,
        on_battery=on_battery(graph, failures, working) if battery else [],
        unpowered=sorted(down - failures.devices),
    )
