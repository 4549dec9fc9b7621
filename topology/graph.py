"""The city network as an indexed graph: devices, links, depends_on and the power chain.

Devices are numbered ``0..n-1`` and links ``0..m-1`` so that every query (impact, root cause,
single points of failure) runs over flat lists. Reachability is "seen from the data center":
a virtual NOC vertex is attached to the *roots* (the core switches of the data center).

How a device is reached:
- a device with links is reached over its links (links are the truth; its ``depends_on`` is
  not used, so a ring district with ``depends_on: [core-1, core-2]`` still needs its ring);
- a device without links (UPS, sensors on a management network) is reached when *any* of its
  ``depends_on`` upstreams is reached;
- a device with neither is a root: nothing documents a path to it.

Power: a device with feeds is powered when any feed comes from a working, powered source
(A/B feeds back each other up); a device without feeds is assumed powered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noc.model import DeviceRole, Inventory, Link, Service, Site, SiteKind

NOC = -1
"""The virtual vertex the network is seen from (the NOC in the data center)."""


@dataclass(frozen=True)
class Ring:
    """A ring in cycle order: ``devices[i]`` -- ``segments[i]`` -- ``devices[i+1]``."""

    id: str
    devices: tuple[int, ...]
    segments: tuple[int, ...]
    sites: tuple[str, ...]


@dataclass
class TopologyGraph:
    devices: list[str]
    index: dict[str, int]
    site_of: list[str]
    role_of: list[DeviceRole]
    names: list[str]
    links: list[str]
    link_index: dict[str, int]
    link_ends: list[tuple[int, int]]
    adjacency: list[list[tuple[int, int]]]  # device -> [(neighbor, link)]
    upstream: list[tuple[int, ...]]  # depends_on of devices without links
    roots: list[int]
    unlinked_order: list[int]  # devices without links, upstreams first
    sources: list[str]  # utility power sources
    source_index: dict[str, int]
    feeds: list[list[tuple[bool, int]]]  # device -> [(from_is_source, index)]
    power_order: list[int]  # fed devices, feeders first
    feeders: frozenset[int]  # devices that feed others (ats, ups, pdu, genset)
    sites: list[Site]
    site_devices: dict[str, list[int]]
    services: list[Service]
    rings: list[Ring]
    inventory: Inventory | None = field(default=None, repr=False)
    cache: dict[str, object] = field(default_factory=dict, repr=False)  # derived, built lazily

    @property
    def n(self) -> int:
        return len(self.devices)

    @classmethod
    def from_inventory(cls, inv: Inventory, roots: list[str] | None = None) -> TopologyGraph:
        devices = [d.id for d in inv.devices]
        index = {d: i for i, d in enumerate(devices)}
        links = [k for k in inv.links if k.a.device in index and k.b.device in index]
        link_index = {k.id: i for i, k in enumerate(links)}
        ends = [(index[k.a.device], index[k.b.device]) for k in links]
        adjacency: list[list[tuple[int, int]]] = [[] for _ in devices]
        for li, (a, b) in enumerate(ends):
            if a != b:
                adjacency[a].append((b, li))
                adjacency[b].append((a, li))
        upstream = [
            ()
            if adjacency[i]
            else tuple(index[u] for u in d.depends_on if u in index and u != d.id)
            for i, d in enumerate(inv.devices)
        ]
        kinds = {s.id: s.kind for s in inv.sites}
        root_ids = (
            [index[r] for r in roots if r in index]
            if roots is not None
            else _default_roots(inv, kinds, adjacency, upstream)
        )
        sources = [s.id for s in inv.power.sources]
        source_index = {s: i for i, s in enumerate(sources)}
        feeds: list[list[tuple[bool, int]]] = [[] for _ in devices]
        feeders: set[int] = set()
        for f in inv.power.feeds:
            if f.to not in index:
                continue
            if f.from_ in source_index:
                feeds[index[f.to]].append((True, source_index[f.from_]))
            elif f.from_ in index:
                feeds[index[f.to]].append((False, index[f.from_]))
                feeders.add(index[f.from_])
        site_devices: dict[str, list[int]] = {s.id: [] for s in inv.sites}
        for i, d in enumerate(inv.devices):
            site_devices.setdefault(d.site, []).append(i)
        graph = cls(
            devices=devices,
            index=index,
            site_of=[d.site for d in inv.devices],
            role_of=[d.role for d in inv.devices],
            names=[d.name for d in inv.devices],
            links=[k.id for k in links],
            link_index=link_index,
            link_ends=ends,
            adjacency=adjacency,
            upstream=upstream,
            roots=sorted(set(root_ids)),
            unlinked_order=_order([i for i in range(len(devices)) if not adjacency[i]], upstream),
            sources=sources,
            source_index=source_index,
            feeds=feeds,
            power_order=_order(
                [i for i in range(len(devices)) if feeds[i]],
                [tuple(j for s, j in fs if not s) for fs in feeds],
            ),
            feeders=frozenset(feeders),
            sites=list(inv.sites),
            site_devices=site_devices,
            services=list(inv.services),
            rings=[],
            inventory=inv,
        )
        graph.rings = [
            r for rid, rl in inv.rings().items() if (r := _ring(graph, rid, rl)) is not None
        ]
        return graph

    def device_link_ids(self, device: int) -> list[int]:
        return [li for _, li in self.adjacency[device]]


def _default_roots(
    inv: Inventory,
    kinds: dict[str, SiteKind],
    adjacency: list[list[tuple[int, int]]],
    upstream: list[tuple[int, ...]],
) -> list[int]:
    at_dc = [i for i, d in enumerate(inv.devices) if kinds.get(d.site) is SiteKind.data_center]
    cores = [i for i in at_dc if inv.devices[i].role is DeviceRole.core_switch]
    roots = cores or [i for i in at_dc if adjacency[i]]
    orphans = [i for i in range(len(inv.devices)) if not adjacency[i] and not upstream[i]]
    return roots + orphans


def _order(nodes: list[int], parents: list[tuple[int, ...]]) -> list[int]:
    """``nodes`` with every node after those of its ``parents`` that are in ``nodes``."""
    wanted = set(nodes)
    done: set[int] = set()
    out: list[int] = []
    for start in nodes:
        if start in done:
            continue
        stack: list[tuple[int, int]] = [(start, 0)]
        onstack = {start}
        while stack:
            node, k = stack.pop()
            ps = parents[node]
            if k < len(ps):
                stack.append((node, k + 1))
                nxt = ps[k]
                if nxt in wanted and nxt not in done and nxt not in onstack:  # no cycle loops
                    onstack.add(nxt)
                    stack.append((nxt, 0))
                continue
            if node not in done:
                done.add(node)
                out.append(node)
            onstack.discard(node)
    return out


def _ring(graph: TopologyGraph, ring_id: str, links: list[Link]) -> Ring | None:
    """Order the ring's links into a cycle, starting at a root when the ring has one."""
    segs = [graph.link_index[k.id] for k in links if k.id in graph.link_index]
    if len(segs) < 2:
        return None
    touching: dict[int, list[int]] = {}
    for s in segs:
        for d in graph.link_ends[s]:
            touching.setdefault(d, []).append(s)
    if any(len(v) != 2 for v in touching.values()):
        return None
    roots = [d for d in touching if d in set(graph.roots)]
    start = roots[0] if roots else min(touching)
    order, seq, used = [start], [], set()
    node = start
    while True:
        nxt = [s for s in touching[node] if s not in used]
        if not nxt:
            break
        # leave the root towards a non-root first so the districts read in order
        nxt.sort(key=lambda s: _other(graph, s, node) in set(graph.roots))
        seg = nxt[0]
        used.add(seg)
        seq.append(seg)
        node = _other(graph, seg, node)
        if node == start:
            break
        order.append(node)
    if len(used) != len(segs):
        return None
    sites: list[str] = []
    for d in order:
        site = graph.site_of[d]
        if site not in sites:
            sites.append(site)
    return Ring(id=ring_id, devices=tuple(order), segments=tuple(seq), sites=tuple(sites))


def _other(graph: TopologyGraph, link: int, device: int) -> int:
    a, b = graph.link_ends[link]
    return b if a == device else a
