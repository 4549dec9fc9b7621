"""Where each device goes on the wall: cores in the middle, each ring as a circle around them.

- the roots (core switches) sit one above the other in the middle;
- each ring is a circle of its own beside the core ("petal"), its districts evenly on the far
  side of the circle, in ring order;
- the other devices of the data center go in a grid in the middle column, under the core;
- everything else hangs outward from the first placed neighbor (access switches beside their
  district switch), or under its ``depends_on`` upstream.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from topology.graph import TopologyGraph

Point = tuple[float, float]


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    positions: dict[int, Point]
    ring_circles: dict[str, tuple[Point, float]]  # ring -> (center, radius)
    panel: tuple[float, float, float, float] | None  # the data-center grid box x, y, w, h


def layout(graph: TopologyGraph, width: int = 1920, height: int = 1080) -> Layout:
    cx, cy = width / 2, height / 2 + 20
    pos: dict[int, Point] = {}
    roots = graph.roots[:6]
    for k, r in enumerate(roots):
        pos[r] = (cx, cy - 60 + (k - (len(roots) - 1) / 2) * 120)  # stacked: rings do not cross
    rings = graph.rings
    circles: dict[str, tuple[Point, float]] = {}
    radius, centers = _petals(len(rings), width, height, (cx, cy - 60))
    for i, ring in enumerate(rings):
        center = centers[i]
        circles[ring.id] = (center, radius)
        members = [d for d in ring.devices if d not in pos]
        towards = math.atan2(cy - 60 - center[1], cx - center[0])  # the gap faces the core
        gap = math.radians(70)
        spots = [
            towards + gap / 2 + (2 * math.pi - gap) * (j + 1) / (len(members) + 1)
            for j in range(len(members))
        ]
        points = [
            (center[0] + radius * math.cos(a), center[1] + radius * math.sin(a)) for a in spots
        ]
        if members and _crossed(pos, ring.devices, points):
            points.reverse()  # go round the other way so the lines to the cores do not cross
        pos.update(zip(members, points, strict=True))
    root_sites = {graph.site_of[r] for r in graph.roots}
    dc = [d for d in range(graph.n) if d not in pos and graph.site_of[d] in root_sites]
    panel = None
    if dc:
        cols = 4
        w, h = 110.0, 48.0
        x0, y0 = cx - cols * w / 2, cy + 105
        panel = (x0 - 10, y0 - 30, cols * w + 20, math.ceil(len(dc) / cols) * h + 40)
        for k, d in enumerate(dc):
            pos[d] = (x0 + (k % cols + 0.5) * w, y0 + (k // cols + 0.5) * h)
    _hang_the_rest(graph, pos, circles, (cx, cy - 60), width, height)
    return Layout(width, height, pos, circles, panel)


def _petals(n: int, width: int, height: int, core: Point) -> tuple[float, list[Point]]:
    """The largest ring radius whose circles fit round the core without touching."""
    radius = min(height * 0.27, 320.0)
    mid_y, half_h = (150 + height - 110) / 2, (height - 260) / 2
    while True:
        a, b = width / 2 - radius - 190, max(0.0, half_h - radius - 40)  # room to hang
        centers = [
            (
                width / 2 + a * math.cos(math.pi - 2 * math.pi * i / n),
                mid_y + b * math.sin(math.pi - 2 * math.pi * i / n),
            )
            for i in range(n)
        ]
        apart = all(
            math.dist(centers[i], centers[j]) >= 2 * radius + 70
            for i in range(n)
            for j in range(i + 1, n)
        )
        clear = all(math.dist(c, core) >= radius + 110 for c in centers)
        if (apart and clear) or radius <= 40:
            return radius, centers
        radius *= 0.93


def _hang_the_rest(
    graph: TopologyGraph,
    pos: dict[int, Point],
    circles: dict[str, tuple[Point, float]],
    core: Point,
    width: int,
    height: int,
) -> None:
    ring_of = {d: ring.id for ring in graph.rings for d in ring.devices}
    fan: dict[int, int] = {}
    top_row = 0
    for _ in range(graph.n):
        progress = False
        for d in range(graph.n):
            if d in pos:
                continue
            anchors = [nb for nb, _ in graph.adjacency[d] if nb in pos] or [
                u for u in graph.upstream[d] if u in pos
            ]
            if not anchors:
                continue
            progress = True
            if all(a in graph.roots for a in anchors):  # hangs off the core: top row
                pos[d] = (width / 2 + (top_row - 0.5) * 170 * (-1) ** top_row, 150.0)
                top_row += 1
                continue
            parent = anchors[0]
            px, py = pos[parent]
            ring = ring_of.get(parent)
            ox, oy = circles[ring][0] if ring in circles else core
            angle = math.atan2(py - oy, px - ox)
            k = fan.get(parent, 0)
            fan[parent] = k + 1
            angle += (k + 1) // 2 * (1 if k % 2 else -1) * 0.6  # 0, +0.6, -0.6, +1.2, ...
            x = min(width - 100.0, max(100.0, px + 115 * math.cos(angle)))
            y = min(height - 90.0, max(135.0, py + 115 * math.sin(angle)))
            pos[d] = (x, y)
        if not progress:
            break
    lost = [d for d in range(graph.n) if d not in pos]  # nothing documents a path
    for k, d in enumerate(lost):
        pos[d] = (80.0 + (k % 12) * 70, height - 40.0 - (k // 12) * 40)


def _crossed(pos: dict[int, Point], ring: tuple[int, ...], points: list[Point]) -> bool:
    """Whether the first and last district lie on the far sides from the cores they join."""
    first, last = ring[0], ring[-1]
    if first not in pos or last not in pos or first == last:
        return False

    def d2(a: Point, b: Point) -> float:
        return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2

    as_is = d2(pos[first], points[0]) + d2(pos[last], points[-1])
    flipped = d2(pos[first], points[-1]) + d2(pos[last], points[0])
    return flipped < as_is
