"""The topology as an SVG string for the wall: dark background, big type, live colors.

No external assets (no fonts, no scripts, no images): the string embeds as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from noc.model import DeviceRole
from topology.graph import TopologyGraph
from topology.layout import layout
from topology.models import RingState, RingStatus

BACKGROUND = "#0b1220"
TEXT = "#e8eef5"
DIM = "#8a9bb0"
STATE_COLORS = {
    "up": "#2ecc71",
    "down": "#ff4d4d",
    "unreachable": "#ffa31a",
    "unknown": "#7f8c8d",
    "maintenance": "#3fa7ff",
}
RING_COLORS = {
    RingStatus.intact: "#2ecc71",
    RingStatus.degraded: "#ffd23f",
    RingStatus.split: "#ff4d4d",
}
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


@dataclass(frozen=True)
class SvgWords:
    """The words the picture shows, so the wall can draw it in its language (English here).

    ``ring_degraded`` and ``ring_split`` are format strings with ``{ring}``, ``{down}`` (what is
    down, comma-separated) and ``{cut}`` (the sites cut off).
    """

    states: Mapping[str, str] = field(default_factory=lambda: {s: s for s in STATE_COLORS})
    rings: Mapping[str, str] = field(
        default_factory=lambda: {
            "intact": "intact",
            "degraded": "lost redundancy",
            "split": "split",
        }
    )
    ring_degraded: str = "ring {ring} lost redundancy: {down} down"
    ring_split: str = "ring {ring} split: {cut} cut off ({down} down)"
    topology: str = "Topology"
    data_center: str = "Data center"
    segment: str = "segment "  # before a lone segment's name: "segment r1-2 down"

    def ring_message(self, r: RingState) -> str:
        down = ", ".join([*r.segments_down, *r.devices_down])
        if len(r.segments_down) == 1 and not r.devices_down:
            down = self.segment + down
        if r.status is RingStatus.split:
            return self.ring_split.format(ring=r.ring, down=down, cut=", ".join(r.sites_cut_off))
        if r.status is RingStatus.degraded:
            return self.ring_degraded.format(ring=r.ring, down=down)
        return f"{r.ring} · {self.rings.get(r.status.value, r.status.value)}"


ENGLISH = SvgWords()


def render_svg(
    graph: TopologyGraph,
    states: Mapping[str, str],
    links_down: Collection[str] = (),
    rings: Sequence[RingState] = (),
    title: str = "",
    width: int = 1920,
    height: int = 1080,
    words: SvgWords = ENGLISH,
) -> str:
    lay = layout(graph, width, height)
    pos = lay.positions
    out: list[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' {FONT} role='img'>",
        f"<title>{escape(title or words.topology)}</title>",
        f"<rect width='100%' height='100%' fill='{BACKGROUND}'/>",
    ]
    status = {r.ring: r for r in rings}
    for ring_id, ((x, y), radius) in lay.ring_circles.items():
        color = RING_COLORS[status[ring_id].status] if ring_id in status else DIM
        out.append(
            f"<circle cx='{x:.0f}' cy='{y:.0f}' r='{radius + 34:.0f}' fill='none' "
            f"stroke='{color}' stroke-opacity='0.25' stroke-width='3' stroke-dasharray='4 10'/>"
        )
        label = (
            f"{ring_id} · {words.rings.get(status[ring_id].status.value, '')}"
            if ring_id in status
            else ring_id
        )
        out.append(
            f"<text x='{x:.0f}' y='{y + 12:.0f}' fill='{color}' font-size='44' "
            f"font-weight='bold' text-anchor='middle'>{escape(label)}</text>"
        )
    down = set(links_down)
    ring_links = {s for r in graph.rings for s in r.segments}
    for li, (a, b) in enumerate(graph.link_ends):
        if a not in pos or b not in pos or a == b:
            continue
        if lay.panel and _in_panel(lay.panel, pos[a]) and _in_panel(lay.panel, pos[b]):
            continue
        if lay.panel and (_in_panel(lay.panel, pos[a]) or _in_panel(lay.panel, pos[b])):
            continue  # data-center patching: the panel stands for it
        (x1, y1), (x2, y2) = pos[a], pos[b]
        name = graph.links[li]
        is_down = name in down or _silent(states, graph.devices[a], graph.devices[b])
        color = STATE_COLORS["down"] if name in down else ("#3d4b60" if is_down else "#4f9d69")
        wide = 10 if li in ring_links else 5
        dash = " stroke-dasharray='18 12'" if name in down else ""
        out.append(
            f"<line x1='{x1:.0f}' y1='{y1:.0f}' x2='{x2:.0f}' y2='{y2:.0f}' stroke='{color}' "
            f"stroke-width='{wide}' stroke-linecap='round'{dash}><title>{escape(name)}</title>"
            "</line>"
        )
    if lay.panel:
        x, y, w, h = lay.panel
        out.append(
            f"<rect x='{x:.0f}' y='{y:.0f}' width='{w:.0f}' height='{h:.0f}' rx='12' "
            f"fill='#121b2e' stroke='#2a3a55' stroke-width='2'/>"
            f"<text x='{x + 12:.0f}' y='{y + 22:.0f}' fill='{DIM}' font-size='18'>"
            f"{escape(_root_site_name(graph, words))}</text>"
        )
    for d, (x, y) in pos.items():
        dev = graph.devices[d]
        state = states.get(dev, "unknown")
        color = STATE_COLORS.get(state, STATE_COLORS["unknown"])
        tip = escape(f"{graph.names[d]} ({dev}): {words.states.get(state, state)}")
        if lay.panel and _in_panel(lay.panel, (x, y)):
            out.append(
                f"<g><title>{tip}</title><rect x='{x - 51:.0f}' y='{y - 19:.0f}' width='102' "
                f"height='38' rx='8' fill='{color}' fill-opacity='0.9'/>"
                f"<text x='{x:.0f}' y='{y + 5:.0f}' fill='{BACKGROUND}' font-size='14' "
                f"font-weight='bold' text-anchor='middle'>{escape(_short(dev))}</text></g>"
            )
            continue
        core = graph.role_of[d] is DeviceRole.core_switch
        radius = 34 if core else 22
        ring = " stroke='#ffffff' stroke-width='4'" if state != "up" else ""
        out.append(
            f"<g><title>{tip}</title><circle cx='{x:.0f}' cy='{y:.0f}' r='{radius}' "
            f"fill='{color}'{ring}/><text x='{x:.0f}' y='{y + radius + 26:.0f}' fill='{TEXT}' "
            f"font-size='{26 if core else 21}' font-weight='bold' text-anchor='middle'>"
            f"{escape(dev)}</text></g>"
        )
    out += _header(title, rings, width, words)
    out += _legend(height, words)
    out.append("</svg>")
    return "\n".join(out)


def _silent(states: Mapping[str, str], a: str, b: str) -> bool:
    return any(states.get(x) in ("down", "unreachable", "maintenance") for x in (a, b))


def _in_panel(panel: tuple[float, float, float, float], p: tuple[float, float]) -> bool:
    x, y, w, h = panel
    return x <= p[0] <= x + w and y <= p[1] <= y + h


def _short(dev: str) -> str:
    return dev if len(dev) <= 12 else dev[:11] + "…"


def _root_site_name(graph: TopologyGraph, words: SvgWords) -> str:
    sites = {graph.site_of[r] for r in graph.roots}
    names = [s.name for s in graph.sites if s.id in sites]
    return names[0] if names else words.data_center


def _header(title: str, rings: Sequence[RingState], width: int, words: SvgWords) -> list[str]:
    out = [
        f"<text x='40' y='58' fill='{TEXT}' font-size='40' font-weight='bold'>"
        f"{escape(title)}</text>"
    ]
    for k, r in enumerate(r for r in rings if r.status is not RingStatus.intact):
        out.append(
            f"<text x='{width - 40}' y='{54 + k * 40}' fill='{RING_COLORS[r.status]}' "
            f"font-size='30' font-weight='bold' text-anchor='end'>"
            f"{escape(words.ring_message(r))}</text>"
        )
    return out


def _legend(height: int, words: SvgWords) -> list[str]:
    out = []
    for k, (state, color) in enumerate(STATE_COLORS.items()):
        x = 40 + k * 230
        out.append(
            f"<circle cx='{x + 12}' cy='{height - 32}' r='12' fill='{color}'/>"
            f"<text x='{x + 32}' y='{height - 23}' fill='{TEXT}' font-size='24'>"
            f"{escape(words.states.get(state, state))}</text>"
        )
    return out
