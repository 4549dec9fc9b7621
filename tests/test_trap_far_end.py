"""A linkDown trap makes the NOC poll the device at the other end at once.

The collector here records polls behind the Collector seam; the real SNMP collector crosses
the same seam against the lab in tests/integration/test_lab_to_store.py.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from collectors.base import CollectResult
from collectors.snmp.traps.receiver import TrapObservation
from noc.model import Device, Sample
from noc.runtime import Runtime
from noc.settings import Settings

REPO = Path(__file__).resolve().parent.parent


class RecordingSnmp:
    name = "snmp"

    def __init__(self) -> None:
        self.polled: dict[str, float] = {}

    async def collect(self, device: Device, profile: str | None) -> CollectResult:
        self.polled.setdefault(device.id, time.monotonic())
        return CollectResult(
            device=device.id,
            collector=self.name,
            started_at=datetime.now(UTC),
            duration_seconds=0.0,
        )

    async def close(self) -> None:
        return None


def test_a_link_down_trap_polls_the_far_end_before_its_scheduled_turn(tmp_path: Path) -> None:
    runtime = Runtime.build(
        Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path, trap_port=0)
    )
    snmp = RecordingSnmp()
    runtime.collectors = [snmp]
    # dist-r1-1's port towards dist-r1-2 (link r1-2); the trap names only the ifIndex, which
    # an earlier poll named.
    polled = Sample(
        metric="if_oper_status",
        labels={
            "device": "dist-r1-1",
            "if_index": "12",
            "interface": "XGigabitEthernet0/0/2",
            "state": "up",
        },
        value=1,
        ts=datetime.now(UTC),
    )
    trap = TrapObservation(
        device="dist-r1-1",
        sender="127.10.1.1",
        trap="link_down",
        trap_oid="1.3.6.1.6.3.1.1.5.3",
        ts=datetime.now(UTC),
        samples=[
            polled.model_copy(
                update={"labels": {**polled.labels, "state": "down"} | {"interface": ""}}
            )
        ],
    )

    async def run() -> float:
        await runtime.start()
        try:
            assert runtime.pipeline is not None
            await runtime.pipeline.accept_samples([polled], polled.ts)
            t0 = time.monotonic()
            await runtime._on_trap(trap)
            for _ in range(100):
                if "dist-r1-2" in snmp.polled:
                    return snmp.polled["dist-r1-2"] - t0
                await asyncio.sleep(0.01)
            raise AssertionError("dist-r1-2 was not polled after the trap")
        finally:
            await runtime.stop()

    try:
        delay = asyncio.run(run())
    finally:
        runtime.close()
    # Its scheduled first poll is 3.2 s after start (a stable per-job phase): this one is now.
    assert delay < 0.5
    assert (
        "dist-r1-3" not in snmp.polled or snmp.polled["dist-r1-3"] - min(snmp.polled.values()) > 1
    )


def test_a_ups_on_battery_trap_polls_the_power_chain_above_it(tmp_path: Path) -> None:
    """The wall must not show the ATS "on utility, PLN ok" next to a UPS on battery for up to a
    poll interval: the trap makes the NOC poll the UPS, its ATS and the genset now."""
    runtime = Runtime.build(
        Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path, trap_port=0)
    )
    snmp = RecordingSnmp()
    runtime.collectors = [snmp]
    assert runtime.inventory.power_upstream("ups-a") == ["ats-1", "genset-1"]
    trap = TrapObservation(
        device="ups-a",
        sender="127.10.4.2",
        trap="ups_on_battery",
        trap_oid="1.3.6.1.4.1.318.0.5",
        ts=datetime.now(UTC),
    )

    async def run() -> dict[str, float]:
        await runtime.start()
        try:
            snmp.polled.clear()
            t0 = time.monotonic()
            await runtime._on_trap(trap)
            for _ in range(100):
                if {"ups-a", "ats-1", "genset-1"} <= snmp.polled.keys():
                    return {d: at - t0 for d, at in snmp.polled.items()}
                await asyncio.sleep(0.01)
            raise AssertionError(f"not polled after the trap: {sorted(snmp.polled)}")
        finally:
            await runtime.stop()

    try:
        delays = asyncio.run(run())
    finally:
        runtime.close()
    assert max(delays[d] for d in ("ups-a", "ats-1", "genset-1")) < 0.5
    assert "ups-b" not in delays or delays["ups-b"] > 1  # a sibling UPS is not upstream
