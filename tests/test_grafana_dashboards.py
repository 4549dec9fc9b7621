"""The provisioned Grafana dashboards: valid models, and queries of metrics that really exist.

Unit part: every dashboard JSON parses, is what grafana/build_dashboards.py writes, has the model
keys Grafana needs, every Flux query reads the one field ``value`` of a named measurement
(docs/influx-layout.md), every PromQL expression names a metric noc/health.py exports, and
docs/influx-layout.md lists every measurement the dashboards read.

Integration part: the lab runs in-process, the real SnmpCollector polls every SNMP device twice
(rates and utilization need a previous poll), and every measurement a dashboard reads must be
among the metric names written, except the few listed in PROFILE_ONLY (declared by a profile
the lab has no device for yet; each must be declared in collectors/snmp/profiles).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from prometheus_client.metrics_core import Metric

from noc.health import HealthMetrics

ROOT = Path(__file__).resolve().parents[1]
JSON_DIR = ROOT / "grafana" / "provisioning" / "dashboards" / "json"
PROFILES = ROOT / "collectors" / "snmp" / "profiles"
LAYOUT_DOC = ROOT / "docs" / "influx-layout.md"
DATASOURCES = {"noc-influxdb": "influxdb", "noc-prometheus": "prometheus"}

MEASUREMENT = re.compile(r'r\._measurement == "([a-z0-9_]+)"')
FIELD = re.compile(r'r\._field == "([a-z0-9_]+)"')
PROM_NAME = re.compile(r"\b((?:noc|sla)_[a-z0-9_]+)\b")

# Read by a dashboard but not produced by the lab today. Each must be declared in a profile.
# (Room temperature and humidity used to be here until the lab's NetBotz got a profile.)
PROFILE_ONLY: dict[str, str] = {}


def _dashboards() -> dict[str, dict[str, Any]]:
    found = sorted(JSON_DIR.glob("*.json"))
    assert found, f"no dashboards in {JSON_DIR}"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in found}


def _panels(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])


def _flux_queries(board: dict[str, Any]) -> list[str]:
    out = [
        str(t["query"])
        for p in _panels(board)
        for t in p.get("targets", [])
        if t.get("datasource", p.get("datasource", {})).get("uid") == "noc-influxdb"
    ]
    out += [
        str(v["query"])
        for v in board["templating"]["list"]
        if v.get("type") == "query" and v["datasource"]["uid"] == "noc-influxdb"
    ]
    return out


def _prom_exprs(board: dict[str, Any]) -> list[str]:
    return [
        str(t["expr"])
        for p in _panels(board)
        for t in p.get("targets", [])
        if t.get("datasource", p.get("datasource", {})).get("uid") == "noc-prometheus"
    ]


def dashboard_measurements() -> set[str]:
    return {
        m for b in _dashboards().values() for q in _flux_queries(b) for m in MEASUREMENT.findall(q)
    }


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_dashboards", ROOT / "grafana" / "build_dashboards.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dashboards_are_what_the_builder_writes() -> None:
    rendered: dict[str, str] = _builder().render()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in JSON_DIR.glob("*.json")}
    assert on_disk == rendered, "run: .venv/bin/python grafana/build_dashboards.py"


def test_every_dashboard_is_a_grafana_model() -> None:
    boards = _dashboards()
    uids = [b["uid"] for b in boards.values()]
    assert len(set(uids)) == len(uids)
    assert {"noc-interfaces", "noc-power", "noc-cooling", "noc-health", "noc-sla"} <= set(uids)
    for name, board in boards.items():
        for key in ("uid", "title", "tags", "schemaVersion", "panels", "templating", "time"):
            assert key in board, (name, key)
        assert 36 <= board["schemaVersion"] <= 41, name
        assert isinstance(board["title"], str) and board["title"]
        assert len(board["uid"]) <= 40 and re.fullmatch(r"[a-zA-Z0-9_-]+", board["uid"])
        ids = [p["id"] for p in _panels(board)]
        assert len(set(ids)) == len(ids), name
        for panel in _panels(board):
            where = (name, panel.get("title"))
            assert {"id", "type", "gridPos", "title"} <= panel.keys(), where
            pos = panel["gridPos"]
            assert {"h", "w", "x", "y"} <= pos.keys() and pos["x"] + pos["w"] <= 24, where
            if panel["type"] == "row":
                continue
            uid = panel["datasource"]["uid"]
            assert DATASOURCES.get(uid) == panel["datasource"]["type"], where
            assert panel["targets"], where
            refs = [t["refId"] for t in panel["targets"]]
            assert len(set(refs)) == len(refs), where
            for target in panel["targets"]:
                assert ("query" if uid == "noc-influxdb" else "expr") in target, where


def test_template_variables_select_site_device_and_interface() -> None:
    names = {b["uid"]: {v["name"] for v in b["templating"]["list"]} for b in _dashboards().values()}
    assert {"site", "device", "interface"} <= names["noc-interfaces"]
    assert {"site", "device"} <= names["noc-power"] and {"site", "device"} <= names["noc-cooling"]
    for board in _dashboards().values():
        for var in board["templating"]["list"]:
            if var["type"] == "query":
                assert "schema.tagValues(" in var["query"], var["name"]


# Dashboards on the NOC's own /metrics only: its health, and the month-to-date SLA it computes.
PROMETHEUS_ONLY = {"noc-health", "noc-sla"}


def test_every_flux_query_reads_the_value_field_of_a_named_measurement() -> None:
    for name, board in _dashboards().items():
        queries = _flux_queries(board)
        assert queries or board["uid"] in PROMETHEUS_ONLY, name
        for query in queries:
            measurements = MEASUREMENT.findall(query)
            assert len(measurements) == 1, (name, query)
            assert FIELD.findall(query) == ["value"], (name, query)
            assert "from(bucket: v.defaultBucket)" in query or "bucket: v.defaultBucket" in query


def _exported_series() -> set[str]:
    """The series names HealthMetrics' registry exports (counters with _total, histograms...)."""
    names: set[str] = set()
    family: Metric
    for family in HealthMetrics().registry.collect():
        suffixes = {
            "counter": ("_total",),
            "histogram": ("_bucket", "_sum", "_count"),
            "info": ("_info",),
        }.get(family.type, ("",))
        names |= {family.name + s for s in suffixes}
    return names


def test_every_prometheus_expr_names_an_exported_health_metric() -> None:
    exported = _exported_series()
    assert "noc_collect_errors_total" in exported and "noc_devices" in exported
    exprs = [e for b in _dashboards().values() for e in _prom_exprs(b)]
    assert exprs
    for expr in exprs:
        used = set(PROM_NAME.findall(expr))
        assert used and used <= exported, (expr, used - exported)


def test_layout_doc_lists_every_dashboard_measurement() -> None:
    text = LAYOUT_DOC.read_text(encoding="utf-8")
    section = text.split("## Measurements the dashboards read", 1)
    assert len(section) == 2, "docs/influx-layout.md lacks the dashboards' section"
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section[1], re.MULTILINE))
    assert listed == dashboard_measurements()


def test_profile_only_measurements_are_declared_by_their_profile() -> None:
    for metric, profile in PROFILE_ONLY.items():
        text = (PROFILES / f"{profile}.yaml").read_text(encoding="utf-8")
        assert re.search(rf"name: {metric}\b", text), (metric, profile)


@pytest.mark.integration
def test_every_dashboard_measurement_is_written_by_the_collectors_against_the_lab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.snmp.collector import SnmpCollector
    from noc.inventory import load_inventory
    from noc.lab.harness import RunningLab
    from noc.model import Sample
    from tests.lab.labfixtures import ENV, free_udp_port

    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    port = free_udp_port()
    text = (ROOT / "inventory.yaml").read_text(encoding="utf-8")
    assert "\n  snmp_port: 11161\n" in text
    path = tmp_path / "inventory.yaml"
    path.write_text(text.replace("\n  snmp_port: 11161\n", f"\n  snmp_port: {port}\n"))
    inventory = load_inventory(path)
    devices = [d for d in inventory.devices if d.snmp]
    assert devices

    async def poll_twice() -> list[Sample]:
        collector = SnmpCollector(inventory)
        try:
            samples: list[Sample] = []
            for rnd in range(2):
                if rnd:  # the rates need a previous poll some time back
                    await asyncio.sleep(1.0)
                results = await asyncio.gather(*(collector.collect(d) for d in devices))
                failed = [(r.device, r.error) for r in results if r.failed]
                assert not failed
                samples += [s for r in results for s in r.samples]
            return samples
        finally:
            await collector.close()

    t0 = time.monotonic()
    with RunningLab(inventory, snmp_port=port):
        samples = asyncio.run(asyncio.wait_for(poll_twice(), 30))
    assert time.monotonic() - t0 < 40

    written: dict[str, set[str]] = {}
    for s in samples:
        written.setdefault(s.metric, set()).update(k for k, v in s.labels.items() if v)
    used = dashboard_measurements()
    missing = used - written.keys() - PROFILE_ONLY.keys()
    assert not missing, f"dashboards read measurements the collectors never wrote: {missing}"
    # the template variables' tags exist on what they narrow
    assert {"site", "device"} <= written["snmp_up"]
    assert {"site", "device", "interface"} <= written["if_in_bits_per_second"]
    # a PROFILE_ONLY entry the lab has started to write must leave the list
    assert not (PROFILE_ONLY.keys() & written.keys()), "shorten PROFILE_ONLY"
