"""The wall's power, cooling and busiest-links panels, from samples in the real metric store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.model import Sample
from noc.runtime import Runtime
from noc.settings import Settings
from noc.web.facility import facility_panels

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime.build(
        Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path), clock=ManualClock(NOW)
    )
    yield rt
    rt.close()


def s(metric: str, value: float, ago: float = 30, **labels: str) -> Sample:
    return Sample(metric=metric, labels=labels, value=value, ts=NOW - timedelta(seconds=ago))


def test_panels_show_fresh_values_and_name_the_ups_source(runtime: Runtime) -> None:
    runtime.metrics.write(
        [
            s("ups_output_source", 3, ago=120, device="ups-a", state="normal"),
            s("ups_output_source", 5, ago=20, device="ups-a", state="battery"),
            s("ups_battery_charge_ratio", 0.82, device="ups-a"),
            s("ups_battery_runtime_seconds", 1500, device="ups-a"),
            s("ups_output_load_ratio", 0.41, device="ups-a", phase="1"),
            s("ups_output_load_ratio", 0.47, device="ups-a", phase="2"),
            s("ups_battery_charge_ratio", 1.0, ago=3600, device="ups-b"),  # stale: not shown
            s("genset_running", 1, device="genset-1"),
            s("hvac_supply_air_celsius", 18.5, device="crac-1"),
            s("env_temperature_celsius", 29.2, device="env-suhu-1"),
            s("if_in_utilization_ratio", 0.35, device="core-1", interface="Te1/0/1"),
            s("if_out_utilization_ratio", 0.74, device="core-1", interface="Te1/0/1"),
            s("if_in_utilization_ratio", 0.12, device="dist-r1-1", interface="XGE0/0/2"),
            s("if_in_utilization_ratio", 0.0, device="ups-a", interface="eth0"),
        ]
    )
    runtime.metrics.flush()
    panels = facility_panels(runtime, NOW)
    ups = {u.device: u for u in panels.ups}
    assert ups["ups-a"].source == "battery"
    assert ups["ups-a"].charge_ratio == 0.82 and ups["ups-a"].runtime_seconds == 1500
    assert ups["ups-a"].load_ratio == 0.47  # the busiest phase
    assert ups["ups-b"].charge_ratio is None and ups["ups-b"].source is None
    assert [g.running for g in panels.gensets] == [True]
    assert {c.device: c.supply_celsius for c in panels.cooling}["crac-1"] == 18.5
    assert {r.device: r.celsius for r in panels.rooms}["env-suhu-1"] == 29.2
    # links of the inventory, by their busier end; a UPS's management port is no link
    assert [
        (link.link, link.device, link.utilization_ratio, link.over_limit)
        for link in panels.busiest_links
    ] == [
        ("r1-1", "core-1", 0.74, True),
        ("r1-2", "dist-r1-1", 0.12, False),
    ]


def test_power_panel_shows_the_ats_source_and_room_alarms(runtime: Runtime) -> None:
    ats = {"device": "ats-1"}
    runtime.metrics.write(
        [
            s("ats_source", 1, ago=300, state="utility", **ats),
            s("ats_source", 2, ago=20, state="generator", **ats),
            s("ats_input_status", 1, ago=20, input="a", source="utility", state="fail", **ats),
            s("ats_input_status", 2, ago=20, input="b", source="generator", state="ok", **ats),
            s("ats_redundancy", 1, ago=20, state="lost", **ats),
            s("env_water_leak", 1, device="env-bocor-1", sensor_index="1"),
            s("env_door_open", 0, device="env-pintu-1", sensor_index="1"),
        ]
    )
    runtime.metrics.flush()
    panels = facility_panels(runtime, NOW)
    [card] = panels.ats
    assert (card.source, card.utility, card.generator, card.redundancy) == (
        "generator",
        "fail",
        "ok",
        "lost",
    )
    rooms = {r.device: r for r in panels.rooms}
    assert rooms["env-bocor-1"].water_leak is True
    assert rooms["env-pintu-1"].door_open is False
    assert rooms["env-suhu-1"].water_leak is None  # nothing heard: not "dry"


def test_cooling_panel_says_which_unit_is_not_cooling(runtime: Runtime) -> None:
    runtime.metrics.write(
        [
            s("hvac_operate_mode", 3, device="crac-1", state="idle"),
            s("hvac_unit_alarm", 1, device="crac-2", bus="1", unit="1"),
            s("hvac_unit_on", 0, device="crac-2", bus="1", unit="1"),
        ]
    )
    runtime.metrics.flush()
    states = {c.device: c.state for c in facility_panels(runtime, NOW).cooling}
    assert states == {"crac-1": "idle", "crac-2": "alarm"}
