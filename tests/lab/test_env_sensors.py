"""The lab's NetBotz room sensors, read through the NOC's own SNMP collector and netbotz profile:
the temperature it reports is the lab's thermal model, humidity is a ratio, door and leak read
"closed, dry" with the NETBOTZV2-MIB's open(0)/closed(1) encoding."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from collectors.snmp.collector import SnmpCollector
from noc.clock import ManualClock
from noc.lab.city import LabCity
from noc.lab.harness import with_snmp_port
from noc.model import Inventory, Sample
from tests.lab.labfixtures import running_lab

WHEN = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # 14:00 in Jakarta: the afternoon's warm room


def _poll(inventory: Inventory, device_id: str) -> list[Sample]:
    async def run() -> list[Sample]:
        collector = SnmpCollector(inventory)
        try:
            result = await collector.collect(inventory.device(device_id))
        finally:
            await collector.close()
        assert not result.failed, result.error
        return list(result.samples)

    return asyncio.run(asyncio.wait_for(run(), 20))


def _one(samples: list[Sample], metric: str) -> Sample:
    found = [s for s in samples if s.metric == metric]
    assert len(found) == 1, (metric, found)
    return found[0]


def test_netbotz_room_sensor_reads_the_labs_room(demo_inventory: Inventory) -> None:
    clock = ManualClock(WHEN)
    with running_lab(demo_inventory, trap_target=None, clock=clock) as (_lab, port):
        samples = _poll(with_snmp_port(demo_inventory, port), "env-suhu-1")
    model = LabCity(demo_inventory, clock)
    room = model.thermal.room(clock.now().timestamp(), model.tz_offset_s)

    temperature = _one(samples, "env_temperature_celsius")
    assert abs(temperature.value - room) <= 0.051  # tempSensorValue is in tenths
    assert temperature.labels["sensor"] == "Suhu Ruang Server"
    assert temperature.labels["sensor_id"] == "nbHawkEnc_0_TEMP"
    humidity = _one(samples, "env_humidity_ratio")
    assert 0.3 < humidity.value < 0.6
    assert _one(samples, "env_door_open").value == 0  # doorSwitchSensorValue closed(1)
    assert _one(samples, "env_water_leak").value == 0  # dryContactSensorValue open(0): dry
    statuses = {s.labels["kind"]: s for s in samples if s.metric == "env_sensor_status"}
    assert set(statuses) == {"temperature", "humidity", "contact", "door"}
