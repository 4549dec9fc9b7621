"""Cycles that make no sense: a device depending on itself through others, a service
containing itself through others."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from noc.inventory.problems import Finding
from noc.model.inventory import Inventory
from noc.model.observations import ObjectKind


def find_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each elementary cycle found by a depth-first walk, once, in the graph's key order."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(graph, white)
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for root in graph:
        if color[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        color[root] = grey
        while stack:
            node, nxt = stack[-1]
            succ = [s for s in graph.get(node, ()) if s in color]
            if nxt >= len(succ):
                stack.pop()
                path.pop()
                color[node] = black
                continue
            stack[-1] = (node, nxt + 1)
            child = succ[nxt]
            if color[child] == grey:
                cycle = path[path.index(child) :]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    cycles.append(cycle)
            elif color[child] == white:
                color[child] = grey
                stack.append((child, 0))
                path.append(child)
    return cycles


def check_cycles(inv: Inventory) -> list[Finding]:
    out: list[Finding] = []
    position = {d.id: i for i, d in reversed(list(enumerate(inv.devices)))}
    deps = {d.id: [x for x in d.depends_on if x != d.id] for d in inv.devices}
    for cycle in find_cycles(deps):
        chain = " -> ".join([*cycle, cycle[0]])
        msg = f"depends_on forms a cycle: {chain}"
        out.append(Finding(("devices", position[cycle[0]], "depends_on"), msg))
    where = {s.id: i for i, s in reversed(list(enumerate(inv.services)))}
    parts = {
        s.id: [c.id for c in s.components if c.kind is ObjectKind.service and c.id != s.id]
        for s in inv.services
    }
    for cycle in find_cycles(parts):
        chain = " -> ".join([*cycle, cycle[0]])
        msg = f"services contain each other in a cycle: {chain}"
        out.append(Finding(("services", where[cycle[0]], "components"), msg))
    return out
