"""History charts as server-rendered inline SVG: no JavaScript charting library, no CDN.

A :class:`Chart` has lines (one per series), threshold lines (a link's capacity and the 70%
limit, a temperature alarm), a time axis labelled in the site's time zone and a value axis in
the metric's unit. A hole in the data (a bucket with no sample, a NaN) is drawn as a gap, never
bridged: a silent collector must not look like a calm line. The SVG carries ``<title>`` and
``<desc>`` (last and highest value of every line) for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from noc.web.chart_units import Unit, axis_ticks, format_value

WIDTH, HEIGHT = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 12, 28
_TIME_STEPS = tuple(
    timedelta(hours=h) for h in (0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 24 * 7, 24 * 14)
)
_MAX_TIME_TICKS = 8


@dataclass(frozen=True)
class Line:
    """One series: ``points`` in time order; ``step`` is the width of one bucket."""

    label: str
    points: Sequence[tuple[datetime, float]]
    step: timedelta


@dataclass(frozen=True)
class Threshold:
    """A horizontal line: ``kind`` is its CSS class (``limit``, ``capacity``, ``alarm``)."""

    label: str
    value: float
    kind: str = "limit"


@dataclass(frozen=True)
class Chart:
    title: str
    unit: Unit
    lines: Sequence[Line]
    thresholds: Sequence[Threshold] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Frame:
    start: datetime
    end: datetime
    lo: float
    hi: float

    def x(self, ts: datetime) -> float:
        span = (self.end - self.start).total_seconds() or 1.0
        share = (ts - self.start).total_seconds() / span
        return LEFT + max(0.0, min(1.0, share)) * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        share = (value - self.lo) / ((self.hi - self.lo) or 1.0)
        return HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM)


def segments(line: Line) -> list[list[tuple[datetime, float]]]:
    """The runs of ``line`` without a hole: a gap is more than 1.5 buckets or a NaN value."""
    runs: list[list[tuple[datetime, float]]] = []
    current: list[tuple[datetime, float]] = []
    limit = line.step * 1.5
    for ts, value in line.points:
        if math.isnan(value) or math.isinf(value):
            if current:
                runs.append(current)
            current = []
            continue
        if current and ts - current[-1][0] > limit:
            runs.append(current)
            current = []
        current.append((ts, value))
    if current:
        runs.append(current)
    return runs


def _value_range(chart: Chart) -> tuple[float, float]:
    values = [v for line in chart.lines for _t, v in line.points if math.isfinite(v)]
    values += [t.value for t in chart.thresholds]
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    if chart.unit.from_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        return lo - (0.0 if chart.unit.from_zero and lo == 0 else pad), hi + pad
    ticks = axis_ticks(lo, hi, chart.unit)
    return min(lo, ticks[0]), max(hi, ticks[-1])


def time_ticks(start: datetime, end: datetime, zone: ZoneInfo) -> list[datetime]:
    """Round local times (whole hours, local midnights) between ``start`` and ``end``."""
    span = end - start
    step = next((s for s in _TIME_STEPS if span / s <= _MAX_TIME_TICKS), _TIME_STEPS[-1])
    local = start.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if step >= timedelta(days=1):
        tick = midnight
    else:
        passed = (local.replace(tzinfo=None) - midnight.replace(tzinfo=None)) // step
        tick = midnight + step * passed
    out: list[datetime] = []
    while tick <= end:
        if tick >= start:
            out.append(tick)
        tick = (tick.replace(tzinfo=None) + step).replace(tzinfo=zone)
    return out


def _tick_label(ts: datetime, span: timedelta, lang: str, zone: ZoneInfo) -> str:
    from noc.web.i18n import format_time  # "22 Nov 2026 17:30 WIB"

    day, month, _year, clock, _abbrev = format_time(ts, lang, str(zone)).split(" ", 4)
    local = ts.astimezone(zone)
    if span <= timedelta(days=2) and (local.hour, local.minute) != (0, 0):
        return clock
    return f"{day} {month}"


def _axes(chart: Chart, frame: _Frame, lang: str, zone: ZoneInfo) -> list[str]:
    parts: list[str] = []
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    for value in axis_ticks(frame.lo, frame.hi, chart.unit):
        if not frame.lo <= value <= frame.hi:
            continue
        y = frame.y(value)
        label = escape(format_value(value, chart.unit, lang))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="tick y" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>'
        )
    span = frame.end - frame.start
    for tick in time_ticks(frame.start, frame.end, zone):
        x = frame.x(tick)
        label = escape(_tick_label(tick, span, lang, zone))
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom}"/>')
        parts.append(
            f'<text class="tick x" x="{x:.1f}" y="{bottom + 16}" '
            f'text-anchor="middle">{label}</text>'
        )
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    return parts


def _line_svg(line: Line, index: int, frame: _Frame) -> list[str]:
    parts: list[str] = []
    label = escape(line.label)
    for run in segments(line):
        if len(run) == 1:
            ts, value = run[0]
            parts.append(
                f'<circle class="series s{index}" data-series="{label}" '
                f'cx="{frame.x(ts):.1f}" cy="{frame.y(value):.1f}" r="2"/>'
            )
            continue
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{frame.x(ts):.1f},{frame.y(v):.1f}"
            for i, (ts, v) in enumerate(run)
        )
        parts.append(f'<path class="series s{index}" data-series="{label}" d="{path}"/>')
    return parts


def _summary(chart: Chart, lang: str) -> list[tuple[str, str, str]]:
    """(label, last value, highest value) of every line, formatted in the chart's unit."""
    rows = []
    for line in chart.lines:
        values = [v for _t, v in line.points if math.isfinite(v)]
        last = format_value(values[-1], chart.unit, lang) if values else "–"
        top = format_value(max(values), chart.unit, lang) if values else "–"
        rows.append((line.label, last, top))
    return rows


def render(
    chart: Chart, start: datetime, end: datetime, lang: str, zone: str, no_data: str
) -> Markup:
    """The chart as a ``<figure>``: the SVG and a legend with last and highest values."""
    tz = ZoneInfo(zone)
    lo, hi = _value_range(chart)
    frame = _Frame(start, end, lo, hi)
    title = escape(chart.title)
    rows = _summary(chart, lang)
    desc = escape("; ".join(f"{label}: {last} (max {top})" for label, last, top in rows))
    body = _axes(chart, frame, lang, tz)
    for t in chart.thresholds:
        y = frame.y(t.value)
        body.append(
            f'<line class="threshold {escape(t.kind)}" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"><title>{escape(t.label)}</title></line>'
        )
    drawn = 0
    for i, line in enumerate(chart.lines):
        shapes = _line_svg(line, i % 8, frame)
        drawn += len(shapes)
        body.extend(shapes)
    if not drawn:
        body.append(
            f'<text class="no-data" x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" '
            f'y="{(TOP + HEIGHT - BOTTOM) / 2:.0f}" text-anchor="middle">{escape(no_data)}</text>'
        )
    legend = "".join(
        f'<li><span class="swatch s{i % 8}"></span>{escape(label)}: <b>{escape(last)}</b> '
        f'<span class="dim">max {escape(top)}</span></li>'
        for i, (label, last, top) in enumerate(rows)
    ) + "".join(
        f'<li><span class="swatch threshold {escape(t.kind)}"></span>{escape(t.label)}: '
        f"<b>{escape(format_value(t.value, chart.unit, lang))}</b></li>"
        for t in chart.thresholds
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{title}">'
        f"<title>{title}</title><desc>{desc}</desc>{''.join(body)}</svg>"
    )
    return Markup(  # noqa: S704 - every text above went through escape()
        f'<figure class="chart"><figcaption>{title}</figcaption>{svg}'
        f'<ul class="legend">{legend}</ul></figure>'
    )
