"""The lab and a real NOC runtime side by side: faults reach the stores.

Issue 3's check: with the lab up, ``utility-fail`` is visible in the stored UPS output source
at once through the trap (before any poll) and after the next poll, and a state change is
recorded; ``device-down`` on a switch gives a recorded ``down`` after its next SNMP poll.
Polls are triggered with ``scheduler.run_once`` (the schedule's first polls are pushed out of
the test's way), so nothing waits on a timer but the trap's own arrival.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest

from noc.inventory import load_inventory
from noc.lab.harness import RunningLab
from noc.lab.process import noc_settings_for_lab
from noc.model import Inventory, ObjectKind, ObjectRef
from noc.runtime import Runtime
from noc.settings import Settings
from tests.lab.labfixtures import ENV, free_udp_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
UPS = "ups-a"  # APC: PowerNet traps and profile
UPS_RFC = "ups-b"  # Eaton: UPS-MIB (RFC 1628) traps and profile
SWITCH = "dist-r1-2"
TRAP_DEADLINE_S = 2.0
STORE_DEADLINE_S = 5.0  # the sample writer's batching


@pytest.fixture
def lab_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int]]:
    """inventory.yaml with every SNMP agent on a free port, and the lab's credentials set."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    port = free_udp_port()
    text = (ROOT / "inventory.yaml").read_text(encoding="utf-8")
    assert "\n  snmp_port: 11161\n" in text
    path = tmp_path / "inventory.yaml"
    path.write_text(text.replace("\n  snmp_port: 11161\n", f"\n  snmp_port: {port}\n"))
    yield path, port


def _settings(inventory_path: Path, inventory: Inventory, data_dir: Path) -> Settings:
    lab = noc_settings_for_lab(inventory, {})
    return Settings(
        inventory=inventory_path,
        data_dir=data_dir,
        trap_port=free_udp_port(),
        trap_v3_engine_ids=json.loads(lab["NOC_TRAP_V3_ENGINE_IDS"]),
        reachability_collectors=json.loads(lab["NOC_REACHABILITY_COLLECTORS"]),
    )


def _source(runtime: Runtime, device: str) -> tuple[str, float] | None:
    """The newest stored ``ups_output_source`` of ``device``: (state name, time)."""
    rows = runtime.metrics.latest("ups_output_source", {"device": device})
    if not rows:
        return None
    newest = max(rows, key=lambda r: r.ts)
    return newest.labels.get("state", ""), newest.ts.timestamp()


async def _stored(runtime: Runtime, *devices: str, state: str, after: float = 0.0) -> bool:
    """Is the newest stored output source of every device ``state``, newer than ``after``?"""
    for device in devices:
        got = await asyncio.to_thread(_source, runtime, device)
        if got is None or got[0] != state or got[1] <= after:
            return False
    return True


async def _until(check: Callable[[], Awaitable[bool]], deadline_s: float) -> float:
    """Seconds until ``check`` is true (fails after ``deadline_s``)."""
    t0 = time.monotonic()
    while not await check():
        if time.monotonic() - t0 > deadline_s:
            pytest.fail(f"not seen within {deadline_s} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - t0


def _device_states(runtime: Runtime, device: str) -> list[str]:
    ref = ObjectRef(kind=ObjectKind.device, id=device)
    return [r.new for r in runtime.events.state_changes.list(obj=ref)]


async def _scenario(runtime: Runtime, lab_fault: Callable[..., object]) -> None:
    await runtime.start()
    try:
        sched = runtime.scheduler
        assert sched is not None and runtime.writer is not None
        # keep the scheduled polls out of the way: the test polls when it wants to
        aps = sched._scheduler
        assert aps is not None
        for job in aps.get_jobs():
            job.modify(next_run_time=job.next_run_time + timedelta(hours=1))

        # the first SNMP poll of every device (a silent switch is 'down', not 'unreachable',
        # only when a neighbor is known to answer): all answer, both UPSes on utility
        snmp_jobs = [f"poll:snmp:{d.id}" for d in runtime.inventory.devices if d.snmp]
        first = await asyncio.gather(*(sched.run_once(j) for j in snmp_jobs))
        assert not [(r.device, r.error) for r in first if r.failed]
        await _until(partial(_stored, runtime, UPS, UPS_RFC, state="normal"), STORE_DEADLINE_S)
        assert _device_states(runtime, SWITCH)[-1] == "up"
        before = {d: _source(runtime, d) for d in (UPS, UPS_RFC)}

        # (a) utility-fail: the traps put "battery" into the store at once, before any poll
        await asyncio.to_thread(lab_fault, "utility-fail", "genset_delay=600")

        await _until(partial(_stored, runtime, UPS, UPS_RFC, state="battery"), TRAP_DEADLINE_S)
        for d in (UPS, UPS_RFC):
            got, old = _source(runtime, d), before[d]
            assert got is not None and old is not None and got[1] > old[1]

        # (c) the event store records the change of each UPS's power source, from the trap
        # (no poll has run since the fault), and the ups_on_battery incident it opened.
        for d in (UPS, UPS_RFC):
            ref = ObjectRef(kind=ObjectKind.power_source, id=d)

            async def recorded(ref: ObjectRef = ref) -> bool:
                found = await asyncio.to_thread(runtime.events.state_changes.list, ref)
                return [(r.old, r.new) for r in found] == [("unknown", "battery")]

            await _until(recorded, TRAP_DEADLINE_S)

        async def incident_opened() -> bool:
            found = await asyncio.to_thread(runtime.events.incidents.list)
            return any((i.source_alert or "").startswith("ups_on_battery") for i in found)

        await _until(incident_opened, TRAP_DEADLINE_S)

        # (b) the next poll reads battery from the agents too
        for d in (UPS, UPS_RFC):
            trapped = _source(runtime, d)
            assert trapped is not None
            result = await sched.run_once(f"poll:snmp:{d}")
            assert not result.failed, result.error
            await _until(
                partial(_stored, runtime, d, state="battery", after=trapped[1]), STORE_DEADLINE_S
            )

        # device-down on a switch: 'down' recorded after its next SNMP poll
        await asyncio.to_thread(lab_fault, "device-down", SWITCH)
        result = await sched.run_once(f"poll:snmp:{SWITCH}")
        assert result.failed
        assert _device_states(runtime, SWITCH)[-1] == "down"
    finally:
        await runtime.stop()


def test_utility_fail_and_device_down_reach_the_stores(
    lab_inventory: tuple[Path, int], tmp_path: Path
) -> None:
    path, port = lab_inventory
    inventory = load_inventory(path)
    assert inventory.settings.snmp_port == port
    settings = _settings(path, inventory, tmp_path / "noc")
    runtime = Runtime.build(settings)
    try:
        with RunningLab(inventory, trap_target=(settings.trap_host, settings.trap_port)) as lab:
            asyncio.run(asyncio.wait_for(_scenario(runtime, lab.fault), 40))
    finally:
        runtime.close()
