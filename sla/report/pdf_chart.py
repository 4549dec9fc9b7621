"""The daily availability chart drawn by reportlab, from :mod:`sla.report.chart`'s geometry."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from sla.report.chart import HEIGHT, WIDTH, Chart


def drawing(chart: Chart, scale: float) -> Drawing:
    d = Drawing(WIDTH * scale, HEIGHT * scale)

    def y(v: float) -> float:
        return (HEIGHT - v) * scale

    x0, _, x1, y1 = chart.plot
    for t in chart.ticks:
        d.add(Line(x0 * scale, y(t.y), x1 * scale, y(t.y), strokeColor=colors.HexColor("#e0e0e0")))
        d.add(String((x0 - 4) * scale, y(t.y) - 3, t.label, fontSize=7, textAnchor="end"))
    for b in chart.bars:
        bar = Rect(b.x * scale, y(b.y + b.h), b.w * scale, b.h * scale)
        bar.fillColor = colors.HexColor(b.color)
        bar.strokeColor = None
        d.add(bar)
        d.add(String((b.x + b.w / 2) * scale, y(y1 + 11), b.label, fontSize=6, textAnchor="middle"))
    d.add(Line(x0 * scale, y(y1), x1 * scale, y(y1)))
    d.add(
        Line(
            x0 * scale,
            y(chart.target_y),
            x1 * scale,
            y(chart.target_y),
            strokeColor=colors.HexColor("#1565c0"),
            strokeDashArray=[4, 3],
        )
    )
    return d
