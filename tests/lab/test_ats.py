"""The lab's transfer switch through the NOC's SNMP collector: on the utility in normal times,
on the generator once PLN fails and the genset has taken over; inputs named by what feeds them."""

from __future__ import annotations

from datetime import UTC, datetime

from noc.clock import ManualClock
from noc.lab.harness import with_snmp_port
from noc.model import Inventory, Sample
from tests.lab.labfixtures import poll_snmp, running_lab


def _poll(inventory: Inventory, device_id: str) -> list[Sample]:
    return poll_snmp(inventory, device_id)[device_id]


def _states(samples: list[Sample], metric: str) -> dict[str, str]:
    """``{input or '': state}`` of an enum metric."""
    return {s.labels.get("source", ""): s.labels["state"] for s in samples if s.metric == metric}


def test_ats_runs_on_the_utility_then_on_the_generator(demo_inventory: Inventory) -> None:
    clock = ManualClock(datetime(2026, 10, 1, 2, 0, tzinfo=UTC))
    with running_lab(
        demo_inventory, trap_target=None, clock=clock, genset_delay_s=20, transfer_delay_s=5
    ) as (lab, port):
        inventory = with_snmp_port(demo_inventory, port)
        before = _poll(inventory, "ats-1")
        lab.fault("utility-fail")
        clock.advance(60)
        lab.tick()
        after = _poll(inventory, "ats-1")

    assert _states(before, "ats_source") == {"": "utility"}
    assert _states(before, "ats_input_status") == {"utility": "ok", "generator": "ok"}
    assert _states(before, "ats_redundancy") == {"": "fully_redundant"}
    assert _states(after, "ats_source") == {"": "generator"}
    assert _states(after, "ats_input_status") == {"utility": "fail", "generator": "ok"}
    assert _states(after, "ats_redundancy") == {"": "lost"}
