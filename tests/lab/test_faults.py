"""Each fault's effect on the lab state, its events (traps to be), and its clearing."""

from __future__ import annotations

import pytest

from noc.clock import ManualClock
from noc.lab.city import LabCity
from noc.lab.facility import readings
from noc.lab.faults import FaultError


def _port(city: LabCity, device: str, name: str):  # type: ignore[no-untyped-def]
    return {i.name: i for i in city.device(device).interfaces()}[name]


def _kinds(city: LabCity) -> list[tuple[str, str]]:
    return [(e.device, e.kind) for e in city.drain_events()]


def test_link_down_sets_both_ends_down_and_drops_lldp(city: LabCity) -> None:
    city.inject("link-down", ["r1-2"])
    a = _port(city, "dist-r1-1", "XGigabitEthernet0/0/2")
    b = _port(city, "dist-r1-2", "XGigabitEthernet0/0/1")
    assert not a.oper_up and not b.oper_up and a.admin_up
    assert a.neighbor_system is None and b.neighbor_system is None
    assert a.rx_power_dbm == -40.0
    assert set(_kinds(city)) == {("dist-r1-1", "link_down"), ("dist-r1-2", "link_down")}
    # a ring: everything still answers
    assert all(d.answering() for d in city.devices())
    city.clear("link-down:r1-2")
    assert _port(city, "dist-r1-1", "XGigabitEthernet0/0/2").neighbor_system == "dist-r1-2"
    assert set(_kinds(city)) == {("dist-r1-1", "link_up"), ("dist-r1-2", "link_up")}


def test_device_down_silences_it_and_its_links(city: LabCity, lab_clock: ManualClock) -> None:
    city.inject("device-down", ["dist-r1-1"])
    assert not city.device("dist-r1-1").answering()
    assert not _port(city, "core-1", "TenGigabitEthernet1/0/1").oper_up
    # the agency switch behind it has no other path
    assert not city.device("acc-disdukcapil").answering()
    assert city.device("dist-r1-2").answering()  # the ring goes round
    lab_clock.advance(30)
    city.clear("device-down:dist-r1-1")
    node = city.device("dist-r1-1")
    assert node.answering() and node.uptime_seconds() == 0.0
    assert ("dist-r1-1", "cold_start") in _kinds(city)


def test_utility_fail_sequence(city: LabCity, lab_clock: ManualClock) -> None:
    inv = city.inventory
    ups, genset, ats = inv.device("ups-a"), inv.device("genset-1"), inv.device("ats-1")
    city.inject("utility-fail", [])
    assert ("ups-a", "ups_on_battery") in _kinds(city)
    lab_clock.advance(30)
    city.tick()
    r = readings(city, ups, city.now())
    assert r["output_source"] == 5 and r["seconds_on_battery"] == 30
    assert int(r["charge_pct"]) < 100
    assert readings(city, genset, city.now())["gen_v_ll"] == 0
    assert readings(city, ats, city.now())["source_a_status"] == 1
    assert not city.device("crac-1").answering()  # CRACs hang on the ATS: no power
    lab_clock.advance(31)  # genset delay is 60 s here
    city.tick()
    g = readings(city, genset, city.now())
    assert int(g["status_bits"]) & 1 and g["gen_v_ll"] == 401
    assert readings(city, ups, city.now())["output_source"] == 5  # not transferred yet
    lab_clock.advance(10)
    events = _kinds(city) + [(e.device, e.kind) for e in city.tick()]
    assert ("ats-1", "ats_transfer") in events and ("ups-a", "ups_on_utility") in events
    assert readings(city, ats, city.now())["selected_source"] == 2
    r2 = readings(city, ups, city.now())
    assert r2["output_source"] == 3
    charge_at_transfer = city.power.charge("ups-a", city.now())
    assert city.device("crac-1").answering()
    lab_clock.advance(600)
    assert city.power.charge("ups-a", city.now()) > charge_at_transfer  # recharging
    city.clear("utility-fail")
    assert readings(city, ats, city.now())["selected_source"] == 1
    assert city.power.genset_running(city.now())  # cool-down
    lab_clock.advance(121)
    assert not city.power.genset_running(city.now())


def test_utility_fail_without_genset_drains_the_battery(
    city: LabCity, lab_clock: ManualClock
) -> None:
    city.inject("utility-fail", ["genset=no"])
    charges = []
    for _ in range(4):
        lab_clock.advance(120)
        charges.append(city.power.charge("ups-a", city.now()))
    assert charges == sorted(charges, reverse=True) and charges[-1] < 90
    r = readings(city, city.inventory.device("genset-1"), city.now())
    assert int(r["status_bits"]) & 128  # alarm: did not start


def test_hvac_fail_heats_the_room_over_minutes(city: LabCity, lab_clock: ManualClock) -> None:
    sensor = city.inventory.device("env-suhu-1")
    start = int(readings(city, sensor, city.now())["room_temp_dc"])
    city.inject("hvac-fail", ["crac-2"])
    assert readings(city, city.inventory.device("crac-2"), city.now())["unit_alarm"] == 1
    temps = []
    for _ in range(5):
        lab_clock.advance(120)
        temps.append(int(readings(city, sensor, city.now())["room_temp_dc"]))
    assert temps == sorted(temps) and temps[-1] - start > 25  # > 2.5 C in 10 min
    city.clear("hvac-fail:crac-2")
    lab_clock.advance(1800)
    assert int(readings(city, sensor, city.now())["room_temp_dc"]) < temps[-1] - 20


def test_traffic_surge_multiplies_the_rate_but_stays_under_line_rate(city: LabCity) -> None:
    sim = city.links["r2-3"]
    before = sim.ab.rate_bps(city.now())
    city.inject("traffic-surge", ["r2-3", "2"])
    assert sim.ab.rate_bps(city.now()) == pytest.approx(2 * before)
    city.clear("traffic-surge:r2-3")
    city.inject("traffic-surge", ["r2-3", "50"])
    assert sim.ab.rate_bps(city.now()) < sim.link.capacity_bps


def test_optic_degrade_drops_rx_below_warning(city: LabCity, lab_clock: ManualClock) -> None:
    port = _port(city, "core-1", "TenGigabitEthernet1/0/2")
    assert port.rx_low_warning_dbm is not None and port.rx_power_dbm is not None
    assert -7.5 <= port.rx_power_dbm <= -3.0
    errors = port.in_errors
    city.inject("optic-degrade", ["r2-1"])
    lab_clock.advance(60)
    port = _port(city, "core-1", "TenGigabitEthernet1/0/2")
    assert port.rx_power_dbm is not None and port.rx_low_alarm_dbm is not None
    assert port.rx_low_alarm_dbm < port.rx_power_dbm < port.rx_low_warning_dbm
    assert port.oper_up and port.in_errors > errors
    assert ("core-1", "optic_low") in _kinds(city)


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("link-down", ["nope"]),
        ("device-down", []),
        ("hvac-fail", ["core-1"]),
        ("traffic-surge", ["r1-1", "lots"]),
        ("optic-degrade", ["rtr-fw"]),
        ("utility-fail", ["delay=3"]),
        ("meteor", []),
    ],
)
def test_bad_faults_are_refused(city: LabCity, kind: str, args: list[str]) -> None:
    with pytest.raises(FaultError):
        city.inject(kind, args)
    assert not city.faults


def test_a_fault_twice_and_clearing_unknown(city: LabCity) -> None:
    city.inject("link-down", ["r1-1"])
    with pytest.raises(FaultError):
        city.inject("link-down", ["r1-1"])
    with pytest.raises(FaultError):
        city.clear("link-down:r1-2")
    assert [f.id for f in city.clear()] == ["link-down:r1-1"]


def test_a_ups_going_down_cuts_what_hangs_on_it_alone(city: LabCity) -> None:
    city.inject("device-down", ["ups-a"])
    # acc-dc-mgmt has only feed A (ups-a -> pdu-a1-a): it and the facility devices behind it
    # go silent; core-1 keeps feed B
    assert not city.alive("acc-dc-mgmt", city.now())
    assert city.alive("core-1", city.now())
    assert not city.device("ups-b").answering()  # reached only through acc-dc-mgmt
    assert readings(city, city.inventory.device("pdu-a1-a"), city.now())["pdu_power_hkw"] == 0
    city.clear()
    assert city.device("ups-b").answering()
