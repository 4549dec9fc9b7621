"""The daily availability chart: one geometry, drawn as inline SVG (HTML) and by reportlab (PDF).

Bars rise from the bottom of the scale to the day's availability; green at or above the target,
red below, grey for days not yet begun or with no counted time. The scale starts at 99% unless
a day fell lower.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from sla.report.data import DailyPoint
from sla.report.i18n import Lang, percent

WIDTH, HEIGHT = 520.0, 170.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 8.0, 10.0, 22.0
GREEN, RED, GREY, INK, TARGET = "#2e7d32", "#c62828", "#bdbdbd", "#333333", "#1565c0"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    color: str
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    target_y: float
    plot: tuple[float, float, float, float]  # x0, y0, x1, y1 (SVG coordinates, y down)


def layout(points: Sequence[DailyPoint], target: float, lang: Lang) -> Chart:
    values = [p.availability for p in points if p.availability is not None]
    low = min([0.99, *values])
    floor = math.floor(low * 100) / 100
    if low < 0.99:
        floor -= 0.01  # so the worst day's bar stays visible
    floor = max(0.0, floor)
    if floor >= 1.0:
        floor = 0.99
    x0, y0, x1, y1 = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM

    def y_of(v: float) -> float:
        return y1 - (y1 - y0) * (max(v, floor) - floor) / (1.0 - floor)

    slot = (x1 - x0) / max(1, len(points))
    bars = []
    for i, p in enumerate(points):
        if p.availability is None:
            top, color = y1 - 2, GREY
        else:
            top = y_of(p.availability)
            color = GREEN if p.availability >= target else RED
        bars.append(
            Bar(
                x0 + i * slot + slot * 0.15,
                top,
                slot * 0.7,
                max(y1 - top, 1.0),
                color,
                str(p.day.day),
            )
        )
    mid = (floor + 1.0) / 2
    ticks = tuple(Tick(y_of(v), percent(v, lang, 2)) for v in (floor, mid, 1.0))
    return Chart(tuple(bars), ticks, y_of(target), (x0, y0, x1, y1))


def svg(chart: Chart, title: str) -> str:
    """Inline SVG, no external assets."""
    x0, _y0, x1, y1 = chart.plot
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" height="{HEIGHT:.0f}" '
        f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="{INK}" stroke-width="1"/>',
    ]
    for t in chart.ticks:
        out.append(
            f'<text x="{x0 - 4}" y="{t.y + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="{INK}">{escape(t.label)}</text>'
            f'<line x1="{x0}" y1="{t.y:.1f}" x2="{x1}" y2="{t.y:.1f}" stroke="#e0e0e0"/>'
        )
    for b in chart.bars:
        out.append(
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" '
            f'fill="{b.color}"/>'
            f'<text x="{b.x + b.w / 2:.1f}" y="{y1 + 12:.1f}" font-size="8" '
            f'text-anchor="middle" fill="{INK}">{b.label}</text>'
        )
    out.append(
        f'<line x1="{x0}" y1="{chart.target_y:.1f}" x2="{x1}" y2="{chart.target_y:.1f}" '
        f'stroke="{TARGET}" stroke-dasharray="4 3" stroke-width="1.2"/>'
    )
    out.append("</svg>")
    return "".join(out)
