"""A spanning tree of the network from the data center, to answer impact queries fast.

A device keeps its tree path to the core unless a failed element lies on it, so only the
tree subtrees below the failed elements can lose reachability: an impact query searches those
(usually a small part of the city) instead of the whole graph.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from topology.graph import TopologyGraph


@dataclass(frozen=True)
class SpanningTree:
    order: list[int]  # linked devices reached from the roots, in preorder
    start: list[int]  # device -> position in order (-1 when the tree does not reach it)
    size: list[int]  # device -> size of its subtree
    parent_link: list[int]  # device -> the tree link to its parent (-1 for roots)
    is_root: bytearray
    base: list[bool]  # reachable with nothing failed


def spanning_tree(graph: TopologyGraph) -> SpanningTree:
    cached = graph.cache.get("spanning_tree")
    if isinstance(cached, SpanningTree):
        return cached
    n = graph.n
    parent_link = [-1] * n
    seen = bytearray(n)
    is_root = bytearray(n)
    children: list[list[int]] = [[] for _ in range(n)]
    queue: deque[int] = deque()
    tops: list[int] = []
    for r in graph.roots:
        is_root[r] = 1
        if not seen[r]:
            seen[r] = 1
            queue.append(r)
            tops.append(r)
    while queue:
        d = queue.popleft()
        for nb, li in graph.adjacency[d]:
            if not seen[nb]:
                seen[nb] = 1
                parent_link[nb] = li
                children[d].append(nb)
                queue.append(nb)
    order: list[int] = []
    start = [-1] * n
    size = [0] * n
    stack: list[tuple[int, bool]] = [(t, False) for t in reversed(tops)]
    while stack:
        d, done = stack.pop()
        if done:
            size[d] = len(order) - start[d]
            continue
        start[d] = len(order)
        order.append(d)
        stack.append((d, True))
        stack.extend((c, False) for c in reversed(children[d]))
    base = [bool(x) for x in seen]
    for d in graph.unlinked_order:
        base[d] = bool(is_root[d]) or any(base[u] for u in graph.upstream[d])
    tree = SpanningTree(order, start, size, parent_link, is_root, base)
    graph.cache["spanning_tree"] = tree
    return tree


def reach_after(
    graph: TopologyGraph,
    working: list[bool],
    down: set[int],
    failed_links: frozenset[int],
) -> list[bool]:
    """Reachability when ``down`` devices do not work and ``failed_links`` are cut.

    ``working`` must be False exactly for ``down``. Equal to a full search from the roots.
    """
    tree = spanning_tree(graph)
    reachable = list(tree.base)
    in_c = bytearray(graph.n)
    cand: list[int] = []

    def take(d: int) -> None:
        i = tree.start[d]
        if i < 0 or in_c[d]:
            return
        for v in tree.order[i : i + tree.size[d]]:
            if not in_c[v]:
                in_c[v] = 1
                cand.append(v)

    for d in down:
        take(d)
    ends = graph.link_ends
    for li in failed_links:
        a, b = ends[li]
        if tree.parent_link[a] == li:
            take(a)
        elif tree.parent_link[b] == li:
            take(b)
    for v in cand:
        reachable[v] = False
    adjacency = graph.adjacency
    queue: deque[int] = deque()
    for v in cand:
        if not working[v]:
            continue
        if tree.is_root[v] or any(
            not in_c[u] and reachable[u] and li not in failed_links for u, li in adjacency[v]
        ):
            reachable[v] = True
            queue.append(v)
    while queue:
        for nb, li in adjacency[queue.popleft()]:
            if in_c[nb] and not reachable[nb] and working[nb] and li not in failed_links:
                reachable[nb] = True
                queue.append(nb)
    for d in graph.unlinked_order:
        reachable[d] = working[d] and (
            bool(tree.is_root[d]) or any(reachable[u] for u in graph.upstream[d])
        )
    return reachable
