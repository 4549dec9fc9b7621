"""The lab's NetBotz room sensors, read through the NOC's own SNMP collector and netbotz profile:
the temperature it reports is the lab's thermal model, humidity is a ratio, door and leak read
"closed, dry" with the NETBOTZV2-MIB's open(0)/closed(1) encoding."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from noc.clock import ManualClock
from noc.lab.city import LabCity
from noc.lab.faults import FaultError
from noc.lab.harness import with_snmp_port
from noc.model import Inventory, Sample
from tests.lab.labfixtures import poll_snmp, running_lab

WHEN = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # 14:00 in Jakarta: the afternoon's warm room


def _poll(inventory: Inventory, device_id: str) -> list[Sample]:
    return poll_snmp(inventory, device_id)[device_id]


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


def test_leak_and_door_faults_read_as_the_mib_encodes_them(demo_inventory: Inventory) -> None:
    with running_lab(demo_inventory, trap_target=None, clock=ManualClock(WHEN)) as (lab, port):
        inventory = with_snmp_port(demo_inventory, port)
        lab.fault("water-leak", "env-bocor-1")
        lab.fault("door-open", "env-pintu-1")
        leak = _poll(inventory, "env-bocor-1")
        door = _poll(inventory, "env-pintu-1")
        lab.clear("door-open:env-pintu-1")
        closed = _poll(inventory, "env-pintu-1")
    assert _one(leak, "env_water_leak").value == 1
    assert _one(leak, "env_door_open").value == 0
    contact = [s for s in leak if s.metric == "env_sensor_status" and s.labels["kind"] == "contact"]
    assert [s.labels["state"] for s in contact] == ["critical"]
    assert _one(door, "env_door_open").value == 1 and _one(door, "env_water_leak").value == 0
    assert _one(closed, "env_door_open").value == 0


def test_a_leak_fault_on_something_that_is_not_a_room_sensor_is_refused(
    demo_inventory: Inventory,
) -> None:
    city = LabCity(demo_inventory, ManualClock(WHEN))
    with pytest.raises(FaultError, match="'core-1' is not a room sensor"):
        city.inject("water-leak", ["core-1"])
