"""Root cause from what answers: down (the fault is here) or unreachable (the fault is upstream).

Seen from the data center over the graph and ``depends_on``: a device that does not answer is
``down`` when some path to it is proven (it is a root, or a neighbor over a link that is not
down answers, or for a device without links an upstream answers); otherwise ``unreachable``,
and its root causes are the failures on the border of the silent region around it: down or
maintenance devices, and links reported down. Redundant paths count: a ring
district with one segment cut still has a neighbor that answers. ``held_down``: silent devices
known to be down already (see :meth:`topology.live.LiveTopology.classification`), which stay
down: their own failure is proven, so they explain the silence around them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from noc.model import DeviceState
from topology.graph import TopologyGraph


@dataclass(frozen=True)
class Classification:
    states: list[DeviceState]
    roots: list[list[str]]  # per device: root causes when unreachable, else []


def classify(
    graph: TopologyGraph,
    answered: list[bool | None],
    maintenance: Collection[int] = (),
    links_down: Collection[int] = (),
    held_down: Collection[int] = (),
) -> Classification:
    n = graph.n
    is_root = [False] * n
    for r in graph.roots:
        is_root[r] = True
    ok = [a is True for a in answered]  # proof that a path exists
    adjacency, upstream = graph.adjacency, graph.upstream

    def proven(d: int) -> bool:
        if is_root[d] or d in held_down:
            return True
        if any(ok[nb] and li not in links_down for nb, li in adjacency[d]):
            return True
        return any(ok[u] for u in upstream[d])

    states: list[DeviceState] = []
    for d in range(n):
        if d in maintenance:
            states.append(DeviceState.maintenance)
        elif answered[d] is True:
            states.append(DeviceState.up)
        elif answered[d] is None:
            states.append(DeviceState.unknown)
        else:
            states.append(DeviceState.down if proven(d) else DeviceState.unreachable)
    # the silent region: unreachable, plus unknown devices (which prove nothing)
    blocked = [s in (DeviceState.unreachable, DeviceState.unknown) for s in states]
    cause = [
        s in (DeviceState.down, DeviceState.maintenance) and not ok[i] for i, s in enumerate(states)
    ]
    comp = [-1] * n
    comp_roots: list[set[str]] = []
    for start in range(n):
        if not blocked[start] or comp[start] != -1 or not adjacency[start]:
            continue
        cid = len(comp_roots)
        found: set[str] = set()
        comp[start] = cid
        stack = [start]
        while stack:
            z = stack.pop()
            if states[z] is DeviceState.unknown and proven(z):
                found.add(graph.devices[z])  # not polled yet, but nothing else explains it
            for nb, li in adjacency[z]:
                if cause[nb]:
                    found.add(graph.devices[nb])  # a down device explains its links too
                elif li in links_down:
                    found.add(f"link:{graph.links[li]}")
                elif blocked[nb] and comp[nb] == -1:
                    comp[nb] = cid
                    stack.append(nb)
        comp_roots.append(found)
    unlinked_roots: dict[int, set[str]] = {}
    for z in graph.unlinked_order:
        if not blocked[z]:
            continue
        found = set()
        if states[z] is DeviceState.unknown and proven(z):
            found.add(graph.devices[z])
        for u in upstream[z]:
            if cause[u]:
                found.add(graph.devices[u])
            elif blocked[u]:
                found |= comp_roots[comp[u]] if comp[u] != -1 else unlinked_roots.get(u, set())
        unlinked_roots[z] = found
    roots: list[list[str]] = []
    for d in range(n):
        if states[d] is not DeviceState.unreachable:
            roots.append([])
        elif comp[d] != -1:
            roots.append(sorted(comp_roots[comp[d]]))
        else:
            roots.append(sorted(unlinked_roots.get(d, set())))
    return Classification(states=states, roots=roots)
