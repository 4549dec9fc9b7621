"""The lab's two CRAC units through the NOC's SNMP collector: the InRow (PowerNet-MIB airIRRC) and
the Stulz (WIB8000) report supply and return air, and a failed unit says so (its state and the
Stulz general alarm the crac_alarm rule watches)."""

from __future__ import annotations

from datetime import UTC, datetime

from noc.clock import ManualClock
from noc.lab.harness import with_snmp_port
from noc.model import Inventory, Sample
from tests.lab.labfixtures import poll_snmp, running_lab


def _value(samples: list[Sample], metric: str) -> float:
    [found] = [s.value for s in samples if s.metric == metric]
    return found


def _state(samples: list[Sample], metric: str) -> str:
    [found] = [s.labels["state"] for s in samples if s.metric == metric]
    return found


def test_both_crac_units_report_air_and_a_failure(demo_inventory: Inventory) -> None:
    clock = ManualClock(datetime(2026, 10, 1, 3, 0, tzinfo=UTC))
    with running_lab(demo_inventory, trap_target=None, clock=clock) as (lab, port):
        inventory = with_snmp_port(demo_inventory, port)
        before = poll_snmp(inventory, "crac-1", "crac-2")
        lab.fault("hvac-fail", "crac-1")
        lab.fault("hvac-fail", "crac-2")
        after = poll_snmp(inventory, "crac-1", "crac-2")

    inrow, stulz = before["crac-1"], before["crac-2"]
    for unit in (inrow, stulz):
        supply, ret = (
            _value(unit, "hvac_supply_air_celsius"),
            _value(unit, "hvac_return_air_celsius"),
        )
        assert 15 < supply < ret < 35, (supply, ret)
    assert _state(inrow, "hvac_operate_mode") == "on"
    assert 0 < _value(inrow, "hvac_cooling_output_watts") < 50_000
    assert _value(stulz, "hvac_unit_alarm") == 0 and _value(stulz, "hvac_unit_on") == 1

    assert _state(after["crac-1"], "hvac_operate_mode") == "idle"
    assert _value(after["crac-1"], "hvac_cooling_output_watts") == 0
    assert _value(after["crac-2"], "hvac_unit_alarm") == 1
    assert _value(after["crac-2"], "hvac_unit_on") == 0
