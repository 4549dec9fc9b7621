"""A device page's history charts: which panels the stored series make, points, gaps,
capacity and alarm lines, the range selector, units in the page's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from noc.model import Sample
from noc.runtime import Runtime
from tests.web.inventory_city import (
    NOW,
    app_client,
    city,
    login,
    paths,
    traffic,
)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    yield from city(tmp_path)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    yield from app_client(runtime)


def test_a_switch_page_charts_its_uplink_against_capacity_with_a_gap(
    client: TestClient, runtime: Runtime
) -> None:
    # 4 Gbit/s in, 1 Gbit/s out every 2 minutes for the last 3 hours, nothing 60-90 min ago.
    runtime.metrics.write(traffic(range(0, 60, 2), 4e9, 1e9))
    runtime.metrics.write(traffic(range(92, 180, 2), 4e9, 1e9))
    login(client, "op")
    html = client.get("/inventory/devices/core-1?range=6h&lang=en").text
    assert "Traffic TenGigabitEthernet1/0/1 → dist-r1-1" in html
    runs_in, runs_out = paths(html, "in"), paths(html, "out")
    assert len(runs_in) == 2 and len(runs_out) == 2  # the hole is not bridged
    assert sum(len(r) for r in runs_in) == 30 + 44  # one point per 2-minute bucket
    (y_in,) = {y for run in runs_in for _x, y in run}
    (y_out,) = {y for run in runs_out for _x, y in run}
    capacity = re.search(r'class="threshold capacity"[^>]*y1="([\d.]+)"', html)
    limit = re.search(r'class="threshold limit"[^>]*y1="([\d.]+)"', html)
    assert capacity and limit
    zero = y_out + (y_out - y_in) / 3  # 1 and 4 Gbit/s -> where 0 is
    per_gbit = (zero - y_in) / 4
    assert float(capacity.group(1)) == pytest.approx(zero - 10 * per_gbit, abs=0.2)
    assert float(limit.group(1)) == pytest.approx(zero - 7 * per_gbit, abs=0.2)
    assert "capacity: <b>10 Gbit/s</b>" in html and "limit 70%: <b>7.0 Gbit/s</b>" in html
    # the time axis speaks the site's time zone: 12:00 UTC is 19:00 WIB
    assert '<text class="tick x"' in html and ">19:00</text>" in html
    assert "<title>Traffic TenGigabitEthernet1/0/1 → dist-r1-1</title>" in html


def test_the_range_selector_changes_the_window(client: TestClient, runtime: Runtime) -> None:
    three_days = NOW - timedelta(days=3)
    runtime.metrics.write(
        [
            Sample(metric="ups_battery_charge_ratio", labels={"device": "ups-a"}, value=v, ts=ts)
            for v, ts in ((0.5, three_days), (0.6, three_days + timedelta(hours=1)))
        ]
    )
    login(client, "op")
    day = client.get("/inventory/devices/ups-a?lang=en").text
    assert "Battery charge" in day and "no data in this range" in day
    assert 'class="here" aria-current="true">24 hours' in day
    week = client.get("/inventory/devices/ups-a?range=7d&lang=en").text
    assert "no data in this range" not in week
    assert 'class="here" aria-current="true">7 days' in week
    assert len(paths(week, "charge")[0]) == 2
    assert "charge: <b>60%</b>" in week  # the last value, as a percentage


def test_a_ups_page_shows_charge_runtime_and_load_not_traffic(
    client: TestClient, runtime: Runtime
) -> None:
    samples = []
    for m in range(0, 30, 5):
        ts = NOW - timedelta(minutes=m)
        labels = {"device": "ups-a"}
        samples += [
            Sample(metric="ups_battery_charge_ratio", labels=labels, value=1.0, ts=ts),
            Sample(metric="ups_battery_runtime_seconds", labels=labels, value=1800.0, ts=ts),
            Sample(metric="ups_output_load_ratio", labels=labels, value=0.42, ts=ts),
        ]
    runtime.metrics.write(samples)
    login(client, "op")
    html = client.get("/inventory/devices/ups-a?range=6h").text
    for title in ("Muatan baterai", "Sisa waktu baterai", "Beban keluaran"):
        assert f"<figcaption>{title}</figcaption>" in html
    assert "Trafik" not in html
    assert "sisa waktu: <b>30 min</b>" in html and "beban: <b>42%</b>" in html
    assert "batas 70%: <b>70%</b>" in html  # the capacity limit on the load chart
    assert "Seri di penyimpanan metrik (3)" in html


def test_errors_of_every_port_add_up_and_ports_show_their_last_status(
    client: TestClient, runtime: Runtime
) -> None:
    samples = []
    for m in range(0, 20, 5):
        ts = NOW - timedelta(minutes=m)
        for port, errors in (("TenGigabitEthernet1/0/1", 2.0), ("TenGigabitEthernet1/0/2", 3.0)):
            labels = {"device": "core-1", "interface": port}
            samples.append(
                Sample(metric="if_in_errors_per_second", labels=labels, value=errors, ts=ts)
            )
    port2 = {"device": "core-1", "interface": "TenGigabitEthernet1/0/2", "if_index": "2"}
    samples += [
        Sample(
            metric="if_oper_status",
            labels={**port2, "state": "up"},
            value=1,
            ts=NOW - timedelta(hours=1),
        ),
        Sample(metric="if_oper_status", labels={**port2, "state": "down"}, value=2, ts=NOW),
    ]
    runtime.metrics.write(samples)
    login(client, "op")
    html = client.get("/inventory/devices/core-1?range=6h&lang=en").text
    assert "<figcaption>Errors and discards (all ports)</figcaption>" in html
    assert "in errors: <b>5.0/s</b>" in html  # 2 + 3 per second
    row = html[html.index("<td>TenGigabitEthernet1/0/2<") :]
    row = row[: row.index("</tr>")]
    assert '<span class="state down">down</span>' in row.split("</td>")[1]


def test_cooling_charts_temperatures_against_the_alarm_threshold(
    client: TestClient, runtime: Runtime
) -> None:
    crac = {"device": "crac-1"}
    samples = [
        Sample(metric=metric, labels=crac, value=value, ts=NOW - timedelta(minutes=m))
        for m in range(0, 30, 5)
        for metric, value in (
            ("hvac_supply_air_celsius", 18.5),
            ("hvac_return_air_celsius", 27.0),
            ("hvac_temperature_high_threshold_celsius", 32.0),
        )
    ]
    runtime.metrics.write(samples)
    login(client, "op")
    html = client.get("/inventory/devices/crac-1?range=6h&lang=en").text
    assert "<figcaption>Temperatures</figcaption>" in html
    assert "supply air: <b>18.5 °C</b>" in html and "return air: <b>27.0 °C</b>" in html
    assert 'class="threshold alarm"' in html and "alarm threshold: <b>32.0 °C</b>" in html
