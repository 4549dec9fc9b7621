"""History charts of a device or a link, from what the metric store holds for it.

A device's charts follow its series, not its role: the store is asked which of the known
metrics it has for ``device=<id>`` and a panel is drawn for each family found (traffic per
linked port against the link's capacity and the 70% limit, errors, UPS charge/runtime/load,
temperatures, humidity, power, optics, reachability). Synchronous: call off the event loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from noc.model import Device, Link
from noc.runtime import Runtime
from noc.store.metrics import Series, SeriesValue
from noc.web import chart_units as u
from noc.web.charts import Chart, Line, Threshold
from noc.web.pages.chart_panels import (
    ERRORS,
    HIDDEN_LABELS,
    KNOWN_METRICS,
    LINK_ORDER,
    PANELS,
    TRAFFIC,
    Panel,
)
from topology.lldp import same_interface

# range -> (length, bucket): about 200 points a line whatever the range.
RANGES: dict[str, tuple[timedelta, timedelta]] = {
    "6h": (timedelta(hours=6), timedelta(minutes=2)),
    "24h": (timedelta(hours=24), timedelta(minutes=5)),
    "7d": (timedelta(days=7), timedelta(hours=1)),
    "30d": (timedelta(days=30), timedelta(hours=3)),
}
DEFAULT_RANGE = "24h"
BUSIEST_PORTS = 4
Translate = Callable[[str], str]


@dataclass(frozen=True)
class Window:
    key: str
    start: datetime
    end: datetime
    step: timedelta


def window(asked: str | None, now: datetime) -> Window:
    key = asked if asked in RANGES else DEFAULT_RANGE
    length, step = RANGES[key]
    return Window(key, now - length, now, step)


def stored_series(runtime: Runtime, device_id: str) -> dict[str, list[SeriesValue]]:
    """Every known metric the store holds for the device, with its series' newest values."""
    found: dict[str, list[SeriesValue]] = {}
    for metric in KNOWN_METRICS:
        rows = runtime.metrics.latest(metric, {"device": device_id})
        if rows:
            found[metric] = sorted(rows, key=lambda r: sorted(r.labels.items()))
    return found


def describe(labels: dict[str, str]) -> str:
    return " ".join(v for k, v in sorted(labels.items()) if k not in HIDDEN_LABELS)


def _line(series: Series, label: str) -> Line:
    return Line(label, [(p.ts, p.value) for p in series.points], series.step)


def _query(runtime: Runtime, metric: str, matchers: dict[str, str], win: Window) -> list[Series]:
    # the store reads [start, end): a sample taken right now belongs on the chart too
    end = win.end + timedelta(milliseconds=1)
    return runtime.metrics.query_range(metric, matchers, win.start, end, win.step)


def _capacity(t: Translate, capacity: float, limit: float) -> list[Threshold]:
    return [
        Threshold(t("inventory.chart.capacity"), capacity, "capacity"),
        Threshold(t("inventory.chart.limit").format(percent=round(limit * 100)), capacity * limit),
    ]


def port_label(runtime: Runtime, device: str, interface: str, known: Iterable[str] = ()) -> str:
    """The ``interface`` label collectors use for an inventory port: SNMP's ifName says
    ``Te1/0/1`` where the inventory writes ``TenGigabitEthernet1/0/1``."""
    names = set(known) or {
        r.labels.get("interface", "")
        for m in TRAFFIC
        for r in runtime.metrics.latest(m, {"device": device})
    }
    if interface in names:
        return interface
    return next((n for n in sorted(names) if n and same_interface(n, interface)), interface)


def traffic_chart(
    runtime: Runtime,
    link: Link,
    device: str,
    win: Window,
    t: Translate,
    title: str,
    known: Iterable[str] = (),
) -> Chart:
    """In and out of ``device``'s port on ``link``, against the link's capacity and limit."""
    end = link.a if link.a.device == device else link.b
    matchers = {
        "device": end.device,
        "interface": port_label(runtime, device, end.interface, known),
    }
    lines = [
        _line(s, t(f"inventory.chart.{direction}"))
        for metric, direction in zip(TRAFFIC, ("in", "out"), strict=True)
        for s in _query(runtime, metric, matchers, win)
    ]
    limit = runtime.inventory.policy(None).capacity_limit
    return Chart(title, u.BITS_PER_SECOND, lines, _capacity(t, link.capacity_bps, limit))


def link_chart(runtime: Runtime, link: Link, win: Window, t: Translate) -> Chart:
    """Utilization of a link, read at end a (or at end b when a says nothing)."""
    title = t("inventory.chart.link_traffic").format(a=link.a.device, b=link.b.device)
    chart = traffic_chart(runtime, link, link.a.device, win, t, title)
    if any(line.points for line in chart.lines):
        return chart
    return traffic_chart(runtime, link, link.b.device, win, t, title)


def _summed(series: Sequence[Series], label: str) -> Line | None:
    """One line adding up several series bucket by bucket (errors of every port)."""
    if not series:
        return None
    totals: dict[datetime, float] = defaultdict(float)
    for s in series:
        for p in s.points:
            totals[p.ts] += p.value
    step = max(s.step for s in series)
    return Line(label, sorted(totals.items()), step)


def _panel_chart(
    runtime: Runtime,
    device: Device,
    panel: Panel,
    stored: dict[str, list[SeriesValue]],
    win: Window,
    t: Translate,
) -> Chart:
    lines: list[Line] = []
    for metric in panel.metrics:
        if metric not in stored:
            continue
        name = t(f"inventory.metric.{metric}")
        for s in _query(runtime, metric, {"device": device.id}, win):
            extra = describe(s.labels)
            lines.append(_line(s, f"{name} {extra}".strip()))
    thresholds: list[Threshold] = []
    if panel.capacity_limit:
        limit = runtime.inventory.policy(device.policy).capacity_limit
        thresholds.append(
            Threshold(t("inventory.chart.limit").format(percent=round(limit * 100)), limit)
        )
    if panel.alarm and panel.alarm in stored:
        alarm = min(r.value for r in stored[panel.alarm])
        thresholds.append(Threshold(t("inventory.chart.alarm"), alarm, "alarm"))
    return Chart(t(f"inventory.chart.{panel.key}"), panel.unit, lines, thresholds)


def _busiest_ports(
    runtime: Runtime,
    device: Device,
    stored: dict[str, list[SeriesValue]],
    win: Window,
    t: Translate,
) -> list[Chart]:
    """Ports not in the inventory's links: the busiest few, against their own speed."""
    load: dict[str, float] = defaultdict(float)
    for metric in TRAFFIC:
        for r in stored.get(metric, []):
            load[r.labels.get("interface", "")] += r.value
    busiest = sorted(load, key=lambda name: load[name], reverse=True)[:BUSIEST_PORTS]
    speeds = {
        r.labels.get("interface"): r.value for r in stored.get("if_speed_bits_per_second", [])
    }
    limit = runtime.inventory.policy(device.policy).capacity_limit
    charts = []
    for name in busiest:
        matchers = {"device": device.id, "interface": name}
        lines = [
            _line(s, t(f"inventory.chart.{direction}"))
            for metric, direction in zip(TRAFFIC, ("in", "out"), strict=True)
            for s in _query(runtime, metric, matchers, win)
        ]
        speed = speeds.get(name)
        title = t("inventory.chart.port_only").format(interface=name)
        marks = _capacity(t, speed, limit) if speed else []
        charts.append(Chart(title, u.BITS_PER_SECOND, lines, marks))
    return charts


def device_charts(
    runtime: Runtime,
    device: Device,
    stored: dict[str, list[SeriesValue]],
    win: Window,
    t: Translate,
) -> list[Chart]:
    charts: list[Chart] = []
    with_traffic = {r.labels.get("interface") for m in TRAFFIC for r in stored.get(m, [])}
    links = sorted(
        runtime.inventory.links_of(device.id), key=lambda k: (LINK_ORDER.get(k.kind, 9), k.id)
    )
    names = {n for n in with_traffic if n}
    for link in links:
        end = link.a if link.a.device == device.id else link.b
        if port_label(runtime, device.id, end.interface, names) not in names:
            continue
        other = link.other_end(device.id)
        title = t("inventory.chart.port_traffic").format(
            interface=end.interface, other=other.device if other else "?"
        )
        charts.append(traffic_chart(runtime, link, device.id, win, t, title, names))
    if not charts and with_traffic:
        charts += _busiest_ports(runtime, device, stored, win, t)
    errors = [
        line
        for metric in ERRORS
        if metric in stored
        and (
            line := _summed(
                _query(runtime, metric, {"device": device.id}, win), t(f"inventory.metric.{metric}")
            )
        )
    ]
    if errors:
        charts.append(Chart(t("inventory.chart.errors"), u.PER_SECOND, errors))
    for panel in PANELS:
        if any(m in stored for m in panel.metrics):
            charts.append(_panel_chart(runtime, device, panel, stored, win, t))
    return charts
