"""Writes the Grafana dashboards in grafana/provisioning/dashboards/json from one description.

Run ``python grafana/build_dashboards.py`` after changing a panel; tests/test_grafana_dashboards.py
checks that the JSON files are what this script writes, and that every query names a measurement
the collectors write (docs/influx-layout.md: measurement = metric name, one field ``value``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "provisioning" / "dashboards" / "json"
INFLUX = {"type": "influxdb", "uid": "noc-influxdb"}
PROMETHEUS = {"type": "prometheus", "uid": "noc-prometheus"}
SCHEMA_VERSION = 39

# Template variables, by the tag they select. Each query names the measurement it reads the
# tag values from (every device answering SNMP writes snmp_up; every interface writes traffic).
SITE = "site"
DEVICE = "device"
INTERFACE = "interface"


def _tag_values(tag: str, measurement: str, narrow: str) -> str:
    return (
        'import "influxdata/influxdb/schema"\n'
        "schema.tagValues(\n"
        "  bucket: v.defaultBucket,\n"
        f'  tag: "{tag}",\n'
        f'  predicate: (r) => r._measurement == "{measurement}" and r._field == "value"{narrow},\n'
        "  start: v.timeRangeStart,\n"
        ")"
    )


def _variable(name: str, label: str, query: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": INFLUX,
        "query": query,
        "definition": query,
        "refresh": 2,  # on time range change
        "includeAll": True,
        "allValue": ".*",
        "multi": True,
        "sort": 1,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "options": [],
        "hide": 0,
    }


SITE_RE = f"r.site =~ /^${{{SITE}:regex}}$/"
DEVICE_RE = f"r.device =~ /^${{{DEVICE}:regex}}$/"
INTERFACE_RE = f"r.interface =~ /^${{{INTERFACE}:regex}}$/"


def site_var() -> dict[str, Any]:
    return _variable(SITE, "Site", _tag_values("site", "snmp_up", ""))


def device_var(measurement: str = "snmp_up") -> dict[str, Any]:
    return _variable(DEVICE, "Device", _tag_values("device", measurement, f" and {SITE_RE}"))


def interface_var() -> dict[str, Any]:
    narrow = f" and {SITE_RE} and {DEVICE_RE}"
    return _variable(
        INTERFACE, "Interface", _tag_values("interface", "if_in_bits_per_second", narrow)
    )


def ring_var() -> dict[str, Any]:
    """The devices of the fiber rings: the store has no ring tag, so a regex the operator edits."""
    return {
        "name": "ring_devices",
        "label": "Ring devices (regex)",
        "type": "textbox",
        "query": "core-.*|dist-r.*",
        "current": {"text": "core-.*|dist-r.*", "value": "core-.*|dist-r.*"},
        "options": [],
        "hide": 0,
    }


def flux(
    measurement: str,
    *,
    by: tuple[str, ...] = ("device",),
    where: tuple[str, ...] = (SITE_RE, DEVICE_RE),
    scale: float | None = None,
    fn: str = "mean",
    last: bool = False,
) -> str:
    """A Flux query of one measurement's ``value`` field, one series per ``by`` tags."""
    lines = [
        "from(bucket: v.defaultBucket)",
        "  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)",
        f'  |> filter(fn: (r) => r._measurement == "{measurement}" and r._field == "value")',
    ]
    if where:
        lines.append(f"  |> filter(fn: (r) => {' and '.join(where)})")
    columns = ", ".join(f'"{c}"' for c in by)
    lines.append(f"  |> group(columns: [{columns}])")
    if last:
        lines.append("  |> last()")
    else:
        lines.append(f"  |> aggregateWindow(every: v.windowPeriod, fn: {fn}, createEmpty: false)")
    if scale is not None:
        lines.append(f"  |> map(fn: (r) => ({{r with _value: r._value * {scale}}}))")
    return "\n".join(lines)


def state_flux(measurement: str) -> str:
    """The current state of a state-set metric (value 1 on the label ``state`` that holds)."""
    return "\n".join(
        [
            "from(bucket: v.defaultBucket)",
            "  |> range(start: v.timeRangeStart, stop: v.timeRangeStop)",
            f'  |> filter(fn: (r) => r._measurement == "{measurement}" and r._field == "value")',
            f"  |> filter(fn: (r) => {SITE_RE} and {DEVICE_RE} and r._value == 1.0)",
            '  |> group(columns: ["device"])',
            "  |> last()",
            '  |> keep(columns: ["device", "state", "_time"])',
            "  |> group()",  # one table, a row per device
        ]
    )


class Board:
    """Panels laid out left to right, 24 columns wide."""

    def __init__(self) -> None:
        self.panels: list[dict[str, Any]] = []
        self._x = 0
        self._y = 0
        self._row_h = 0

    def row(self, title: str) -> None:
        self._newline()
        self.panels.append(
            {
                "id": len(self.panels) + 1,
                "type": "row",
                "title": title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": self._y},
                "panels": [],
            }
        )
        self._y += 1

    def _newline(self) -> None:
        self._y += self._row_h
        self._x = 0
        self._row_h = 0

    def add(
        self,
        title: str,
        targets: list[dict[str, Any]],
        *,
        kind: str = "timeseries",
        unit: str = "short",
        w: int = 12,
        h: int = 8,
        thresholds: list[tuple[str, float | None]] | None = None,
        datasource: dict[str, str] = INFLUX,
        description: str = "",
        minmax: tuple[float | None, float | None] = (None, None),
    ) -> None:
        if self._x + w > 24:
            self._newline()
        steps = [{"color": c, "value": v} for c, v in (thresholds or [("green", None)])]
        defaults: dict[str, Any] = {
            "unit": unit,
            "thresholds": {"mode": "absolute", "steps": steps},
            "color": {"mode": "palette-classic" if kind == "timeseries" else "thresholds"},
        }
        if minmax[0] is not None:
            defaults["min"] = minmax[0]
        if minmax[1] is not None:
            defaults["max"] = minmax[1]
        if kind == "timeseries":
            defaults["custom"] = {
                "drawStyle": "line",
                "lineWidth": 1,
                "fillOpacity": 10,
                "showPoints": "never",
                "spanNulls": True,
                # a dashed line at each threshold (70% utilization, 18/27 C)
                "thresholdsStyle": {"mode": "line+area" if thresholds else "off"},
            }
        options: dict[str, Any] = {"legend": {"displayMode": "table", "placement": "bottom"}}
        if kind == "timeseries":
            options["tooltip"] = {"mode": "multi", "sort": "desc"}
            options["legend"]["calcs"] = ["mean", "max", "lastNotNull"]
        self.panels.append(
            {
                "id": len(self.panels) + 1,
                "type": kind,
                "title": title,
                "description": description,
                "datasource": datasource,
                "gridPos": {"h": h, "w": w, "x": self._x, "y": self._y},
                "fieldConfig": {"defaults": defaults, "overrides": []},
                "options": options,
                "targets": [
                    {"refId": chr(ord("A") + i), "datasource": datasource, **t}
                    for i, t in enumerate(targets)
                ],
            }
        )
        self._x += w
        self._row_h = max(self._row_h, h)


def q(query: str) -> dict[str, Any]:
    return {"query": query}


def prom(expr: str, legend: str) -> dict[str, Any]:
    return {"expr": expr, "legendFormat": legend, "range": True}


def dashboard(
    uid: str, title: str, tags: list[str], board: Board, variables: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "tags": ["noc", *tags],
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "editable": True,
        "graphTooltip": 1,
        "timezone": "browser",
        "refresh": "1m",
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "annotations": {"list": []},
        "links": [
            {"type": "dashboards", "tags": ["noc"], "asDropdown": True, "title": "NOC dashboards"}
        ],
        "templating": {"list": variables},
        "panels": board.panels,
    }


def interfaces() -> dict[str, Any]:
    b = Board()
    by = ("device", "interface")
    where = (SITE_RE, DEVICE_RE, INTERFACE_RE)
    b.row("Traffic")
    b.add("Inbound", [q(flux("if_in_bits_per_second", by=by, where=where))], unit="bps")
    b.add("Outbound", [q(flux("if_out_bits_per_second", by=by, where=where))], unit="bps")
    util = [("green", None), ("red", 70.0)]
    b.add(
        "Inbound utilization (70% threshold)",
        [q(flux("if_in_utilization_ratio", by=by, where=where, scale=100.0))],
        unit="percent",
        thresholds=util,
        minmax=(0.0, 100.0),
    )
    b.add(
        "Outbound utilization (70% threshold)",
        [q(flux("if_out_utilization_ratio", by=by, where=where, scale=100.0))],
        unit="percent",
        thresholds=util,
        minmax=(0.0, 100.0),
    )
    b.row("Errors and discards")
    for direction in ("in", "out"):
        b.add(
            f"{direction.capitalize()} errors and discards",
            [
                q(flux(f"if_{direction}_errors_per_second", by=by, where=where)),
                q(flux(f"if_{direction}_discards_per_second", by=by, where=where)),
            ],
            unit="pps",
            description="Errors (A) and discards (B) per second, from the counters' rates.",
        )
    b.row("Fiber rings")
    ring = ("r.device =~ /^(${ring_devices})$/",)
    b.add(
        "Ring links: highest utilization, in or out (70% threshold)",
        [
            q(flux("if_in_utilization_ratio", by=by, where=ring, scale=100.0, fn="max")),
            q(flux("if_out_utilization_ratio", by=by, where=ring, scale=100.0, fn="max")),
        ],
        unit="percent",
        thresholds=util,
        minmax=(0.0, 100.0),
        w=24,
        description="Interfaces of the devices matching 'Ring devices' (core and distribution).",
    )
    b.row("Optics")
    b.add(
        "Optical receive power (DOM)",
        [q(flux("optic_rx_power_dbm", by=by, where=where))],
        unit="dBm",
        w=8,
    )
    b.add(
        "Optical transmit power (DOM)",
        [q(flux("optic_tx_power_dbm", by=by, where=where))],
        unit="dBm",
        w=8,
    )
    b.add(
        "Optical power (ENTITY-SENSOR: transceiver rx/tx sensors)",
        [q(flux("optic_power_dbm", by=("device", "sensor_descr")))],
        unit="dBm",
        w=8,
    )
    vars_ = [site_var(), device_var(), interface_var(), ring_var()]
    return dashboard("noc-interfaces", "NOC: interfaces and fiber rings", ["network"], b, vars_)


def power() -> dict[str, Any]:
    b = Board()
    b.row("UPS")
    b.add("UPS output source (current)", [q(state_flux("ups_output_source"))], kind="table", w=8)
    b.add(
        "Battery charge",
        [q(flux("ups_battery_charge_ratio", scale=100.0))],
        unit="percent",
        thresholds=[("red", None), ("orange", 50.0), ("green", 90.0)],
        minmax=(0.0, 100.0),
        w=8,
    )
    b.add(
        "Battery runtime",
        [q(flux("ups_battery_runtime_seconds"))],
        unit="s",
        thresholds=[("red", None), ("orange", 600.0), ("green", 1200.0)],
        w=8,
    )
    b.add(
        "UPS load",
        [q(flux("ups_output_load_ratio", by=("device", "phase"), scale=100.0))],
        unit="percent",
        thresholds=[("green", None), ("orange", 80.0), ("red", 90.0)],
        minmax=(0.0, 100.0),
    )
    b.add(
        "Utility input voltage", [q(flux("ups_input_volts", by=("device", "phase")))], unit="volt"
    )
    b.add("Time on battery", [q(flux("ups_on_battery_seconds", fn="max"))], unit="s")
    b.add("Battery status (current)", [q(state_flux("ups_battery_status"))], kind="table")
    b.row("Genset and transfer switch")
    b.add(
        "Genset running",
        [q(flux("genset_running", fn="max"))],
        minmax=(0.0, 1.0),
        w=8,
        description="1 while the engine runs.",
    )
    b.add(
        "Genset engine state (current)", [q(state_flux("genset_engine_state"))], kind="table", w=8
    )
    b.add("Genset mode (current)", [q(state_flux("genset_mode"))], kind="table", w=8)
    b.add(
        "Transfer switch position (current)",
        [q(state_flux("genset_transfer_position"))],
        kind="table",
        description=(
            "The transfer position the genset controller reports (mains or generator). The "
            "standalone ATS (Socomec) has no SNMP profile yet, so this is the only ATS signal."
        ),
    )
    b.add("Genset alarm (current)", [q(state_flux("genset_alarm"))], kind="table")
    b.row("Rack PDUs")
    b.add("PDU power", [q(flux("pdu_power_watts", by=("device", "pdu")))], unit="watt")
    b.add("PDU phase current", [q(flux("pdu_phase_amperes", by=("device", "phase")))], unit="amp")
    return dashboard(
        "noc-power", "NOC: power", ["facility", "power"], b, [site_var(), device_var()]
    )


def cooling() -> dict[str, Any]:
    b = Board()
    room = [("blue", None), ("green", 18.0), ("red", 27.0)]
    b.row("Room")
    b.add(
        "Room temperature (18-27 C)",
        [
            q(flux("env_temperature_celsius", by=("device", "sensor"))),
            q(flux("hvac_return_air_celsius", by=("device", "unit"))),
        ],
        unit="celsius",
        thresholds=room,
        description=(
            "Room sensors (A) and the CRACs' return air (B), which is the room's air. "
            "Recommended range 18-27 C (ASHRAE)."
        ),
    )
    b.add(
        "Relative humidity",
        [
            q(flux("env_humidity_ratio", by=("device", "sensor"), scale=100.0)),
            q(flux("hvac_return_air_humidity_ratio", by=("device", "unit"), scale=100.0)),
        ],
        unit="humidity",
        thresholds=[("orange", None), ("green", 20.0), ("red", 80.0)],
        minmax=(0.0, 100.0),
        description="Room sensors (A) and the CRACs' return air (B).",
    )
    b.row("CRAC")
    b.add(
        "Supply air",
        [q(flux("hvac_supply_air_celsius", by=("device", "unit")))],
        unit="celsius",
        w=8,
    )
    b.add(
        "Return air",
        [q(flux("hvac_return_air_celsius", by=("device", "unit")))],
        unit="celsius",
        thresholds=room,
        w=8,
    )
    b.add(
        "Setpoint",
        [q(flux("hvac_setpoint_celsius", by=("device", "unit")))],
        unit="celsius",
        w=8,
    )
    return dashboard(
        "noc-cooling",
        "NOC: cooling and environment",
        ["facility", "cooling"],
        b,
        [site_var(), device_var()],
    )


def health() -> dict[str, Any]:
    b = Board()
    p = PROMETHEUS
    b.row("Polling")
    b.add(
        "Poll duration by collector (slowest device)",
        [prom("max by (collector) (noc_collect_duration_seconds)", "{{collector}}")],
        unit="s",
        datasource=p,
    )
    b.add(
        "Poll errors per minute by kind",
        [
            prom(
                "sum by (collector, kind) (rate(noc_collect_errors_total[5m])) * 60",
                "{{collector}} {{kind}}",
            ),
            prom("sum by (collector) (rate(noc_collect_total[5m])) * 60", "{{collector}} polls"),
        ],
        unit="short",
        datasource=p,
    )
    b.add(
        "Scheduler lag (p50, p99)",
        [
            prom(
                "histogram_quantile(0.5, sum by (le) (rate(noc_scheduler_lag_seconds_bucket[5m])))",
                "p50",
            ),
            prom(
                "histogram_quantile(0.99, sum by (le) "
                "(rate(noc_scheduler_lag_seconds_bucket[5m])))",
                "p99",
            ),
        ],
        unit="s",
        datasource=p,
    )
    b.add(
        "Devices by state",
        [prom("sum by (state) (noc_devices)", "{{state}}")],
        kind="stat",
        datasource=p,
    )
    b.row("Store")
    b.add(
        "Store write latency (p50, p99)",
        [
            prom(
                "histogram_quantile(0.5, sum by (le, store) "
                "(rate(noc_store_write_duration_seconds_bucket[5m])))",
                "{{store}} p50",
            ),
            prom(
                "histogram_quantile(0.99, sum by (le, store) "
                "(rate(noc_store_write_duration_seconds_bucket[5m])))",
                "{{store}} p99",
            ),
        ],
        unit="s",
        datasource=p,
    )
    b.add(
        "Store write errors per minute",
        [prom("sum by (store) (rate(noc_store_write_errors_total[5m])) * 60", "{{store}}")],
        datasource=p,
    )
    b.add(
        "Sample queue depth",
        [prom("noc_sample_queue_depth", "queued samples")],
        datasource=p,
    )
    b.add(
        "Samples collected and written per second",
        [
            prom("rate(noc_samples_collected_total[5m])", "collected"),
            prom("rate(noc_store_samples_written_total[5m])", "written"),
        ],
        datasource=p,
    )
    return dashboard("noc-health", "NOC: health", ["health"], b, [])


def sla() -> dict[str, Any]:
    """Month to date per service (the NOC computes it from its event store, every 5 min)."""
    b = Board()
    p = PROMETHEUS
    b.row("This month so far (planned maintenance excluded)")
    b.add(
        "Availability by service",
        [prom("sla_service_availability_ratio", "{{service}}")],
        kind="bargauge",
        unit="percentunit",
        w=12,
        h=10,
        thresholds=[("red", None), ("green", 0.999)],
        datasource=p,
        minmax=(0.99, 1.0),
        description="Green at or above the city's 99.9% target (SLA 99,9%).",
    )
    b.add(
        "Error budget left this month",
        [prom("sla_service_budget_remaining_seconds / 60", "{{service}}")],
        kind="bargauge",
        unit="m",
        w=12,
        h=10,
        thresholds=[("red", None), ("orange", 0.0), ("green", 10.0)],
        datasource=p,
        description="Minutes of downtime still allowed this month; negative once overspent "
        "(99.9% of a 30-day month is 43.2 minutes).",
    )
    b.row("Over time")
    b.add(
        "Availability by service",
        [prom("sla_service_availability_ratio", "{{service}}")],
        unit="percentunit",
        w=12,
        thresholds=[("red", None), ("green", 0.999)],
        datasource=p,
    )
    b.add(
        "Unplanned downtime this month",
        [prom("sla_service_downtime_seconds / 60", "{{service}}")],
        unit="m",
        w=12,
        datasource=p,
    )
    return dashboard("noc-sla", "NOC: SLA", ["sla"], b, [])


DASHBOARDS = {
    "interfaces.json": interfaces,
    "power.json": power,
    "cooling.json": cooling,
    "noc-health.json": health,
    "sla.json": sla,
}


def render() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    return {name: json.dumps(build(), indent=2) + "\n" for name, build in DASHBOARDS.items()}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
