"""What the device page shows, read in one go off the event loop.

State with its root cause and the recorded reason, facts from SSH, poll health per collector,
ports with their links and last status, power feeds, open incidents touching the device,
recent state changes, the series the metric store holds and the history charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup

from noc.api.inventory import PollHealth
from noc.model import Device, Link, ObjectKind, ObjectRef
from noc.runtime import Runtime
from noc.store.events import Incident, IncidentStatus, StateChangeRecord
from noc.store.metrics import SeriesValue
from noc.web import chart_units as u
from noc.web.charts import render
from noc.web.pages.history import Translate, Window, describe, device_charts, stored_series
from noc.web.pages.inventory_state import Recorded, StateBook
from topology.lldp import same_interface

RECENT_CHANGES = 20
CHANGES_LOOKBACK = timedelta(days=90)


@dataclass(frozen=True)
class Port:
    name: str
    description: str
    speed_bps: float | None
    link: Link | None
    other: str | None  # device:interface at the far end
    link_state: str | None
    oper: str | None  # the port's last if_oper_status
    traffic_in: str  # the port's last rate, formatted
    traffic_out: str


@dataclass(frozen=True)
class SeriesRow:
    metric: str
    labels: str
    value: str
    at: datetime


@dataclass
class DeviceView:
    device: Device
    site_name: str
    state: str
    recorded: Recorded
    root_causes: list[str]
    facts: dict[str, Any] | None
    polls: list[PollHealth]
    ports: list[Port]
    feeds_in: list[tuple[str, str | None, str | None]]  # (from, feed A/B, state if a device)
    feeds_out: list[tuple[str, str]]  # (to, its state)
    incidents: list[Incident]
    changes: list[StateChangeRecord]
    series: list[SeriesRow]
    charts: list[Markup] = field(default_factory=list)


def touches(incident: Incident, ref: ObjectRef) -> bool:
    """Whether ``ref`` is the incident's root cause or the object of one of its alerts."""
    text = str(ref)
    alerts = [incident.source_alert or "", *incident.symptom_alerts]
    return incident.root_cause == ref or any(a.endswith(f"/{text}") for a in alerts)


def unresolved_incidents(runtime: Runtime) -> list[Incident]:
    """Open and acknowledged incidents (not the whole history)."""
    return [
        i
        for status in (IncidentStatus.open, IncidentStatus.acknowledged)
        for i in runtime.events.incidents.list(status=status)
    ]


def open_incidents_touching(runtime: Runtime, *refs: ObjectRef) -> list[Incident]:
    found = [i for i in unresolved_incidents(runtime) if any(touches(i, r) for r in refs)]
    return sorted(found, key=lambda i: i.opened_at, reverse=True)


def recent_changes(runtime: Runtime, ref: ObjectRef, now: datetime) -> list[StateChangeRecord]:
    rows = runtime.events.state_changes.list(ref, since=now - CHANGES_LOOKBACK)
    return list(reversed(rows[-RECENT_CHANGES:]))


def _newest(rows: list[SeriesValue], interface: str) -> SeriesValue | None:
    """The newest value for an inventory port (``Te1/0/1`` in the series is the same port)."""
    mine = [r for r in rows if r.labels.get("interface") == interface]
    if not mine:
        mine = [r for r in rows if same_interface(r.labels.get("interface", ""), interface)]
    return max(mine, key=lambda r: r.ts) if mine else None


def _ports(
    runtime: Runtime,
    device: Device,
    book: StateBook,
    stored: dict[str, list[SeriesValue]],
    lang: str,
) -> list[Port]:
    links: dict[str, Link] = {}
    for k in runtime.inventory.links_of(device.id):
        for end in (k.a, k.b):
            if end.device == device.id:
                links[end.interface] = k
    ports = []
    names = [i.name for i in device.interfaces] + [n for n in links if device.interface(n) is None]
    for name in names:
        iface = device.interface(name)
        link = links.get(name)
        far = link.other_end(device.id) if link else None
        oper = _newest(stored.get("if_oper_status", []), name)
        rx = _newest(stored.get("if_in_bits_per_second", []), name)
        tx = _newest(stored.get("if_out_bits_per_second", []), name)
        ports.append(
            Port(
                name=name,
                description=iface.description if iface else "",
                speed_bps=iface.speed if iface else None,
                link=link,
                other=str(far) if far else None,
                link_state=book.link(link.id) if link else None,
                oper=oper.labels.get("state") if oper else None,
                traffic_in=u.format_value(rx.value, u.BITS_PER_SECOND, lang) if rx else "–",
                traffic_out=u.format_value(tx.value, u.BITS_PER_SECOND, lang) if tx else "–",
            )
        )
    return ports


def _series_rows(stored: dict[str, list[SeriesValue]], lang: str) -> list[SeriesRow]:
    rows = []
    for metric, values in stored.items():
        unit = _unit_of(metric)
        for v in values:
            rows.append(
                SeriesRow(metric, describe(v.labels), u.format_value(v.value, unit, lang), v.ts)
            )
    return rows


def _unit_of(metric: str) -> u.Unit:
    for suffix, unit in (
        ("_bits_per_second", u.BITS_PER_SECOND),
        ("_ratio", u.RATIO),
        ("_celsius", u.CELSIUS),
        ("_seconds", u.SECONDS),
        ("_watts", u.WATTS),
        ("_amperes", u.AMPERES),
        ("_volts", u.VOLTS),
        ("_dbm", u.DBM),
        ("_per_second", u.PER_SECOND),
    ):
        if metric.endswith(suffix):
            return unit
    return u.PLAIN


def device_view(
    runtime: Runtime, device: Device, win: Window, t: Translate, lang: str
) -> DeviceView:
    now = runtime.clock.now()
    book = StateBook(runtime, now)
    ref = ObjectRef(kind=ObjectKind.device, id=device.id)
    stored = stored_series(runtime, device.id)
    inv = runtime.inventory
    zone = inv.settings.timezone
    site = next((s for s in inv.sites if s.id == device.site), None)
    devices = {d.id for d in inv.devices}
    view = DeviceView(
        device=device,
        site_name=site.name if site else device.site,
        state=book.device(device.id),
        recorded=book.recorded(ref),
        root_causes=book.root_causes(device.id),
        facts=book.facts(device.id),
        polls=book.polls(device.id),
        ports=_ports(runtime, device, book, stored, lang),
        feeds_in=[
            (f.from_, f.feed, book.device(f.from_) if f.from_ in devices else None)
            for f in inv.feeds_to(device.id)
        ],
        feeds_out=[(f.to, book.device(f.to)) for f in inv.power.feeds_from(device.id)],
        incidents=open_incidents_touching(
            runtime,
            ref,
            *(ObjectRef(kind=ObjectKind.link, id=k.id) for k in inv.links_of(device.id)),
        ),
        changes=recent_changes(runtime, ref, now),
        series=_series_rows(stored, lang),
    )
    no_data = t("inventory.chart.no_data")
    view.charts = [
        render(c, win.start, win.end, lang, zone, no_data)
        for c in device_charts(runtime, device, stored, win, t)
    ]
    return view
