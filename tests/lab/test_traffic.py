"""Traffic over a day: the daily curve, realistic utilisation, monotonic 64-bit counters."""

from __future__ import annotations

from datetime import timedelta

from noc.clock import ManualClock
from noc.lab.city import LabCity
from noc.lab.traffic import Curve, FlowCounter


def _util(city: LabCity, link_id: str, seconds: float, clock: ManualClock) -> float:
    sim = city.links[link_id]
    before = sim.ab.octets(city.now())
    clock.advance(seconds)
    after = sim.ab.octets(city.now())
    return (after - before) * 8 / seconds / sim.link.capacity_bps


def test_integral_matches_the_rate() -> None:
    curve = Curve.seeded("x", 0.2, 0.2, 7 * 3600)
    t0 = 1_790_000_000.0
    steps = 3600
    numeric = sum(curve.ratio(t0 + i + 0.5) for i in range(steps))
    assert abs(curve.integral(t0, t0 + steps) - numeric) < 1e-3 * numeric


def test_afternoon_is_busier_than_night(city: LabCity, lab_clock: ManualClock) -> None:
    lab_clock.advance(timedelta(hours=7))  # 14:00 in Jakarta
    afternoon = _util(city, "r1-1", 300, lab_clock)
    lab_clock.advance(timedelta(hours=12))  # ~02:00 in Jakarta
    night = _util(city, "r1-1", 300, lab_clock)
    assert afternoon > 2 * night


def test_backbone_utilisation_is_realistic(city: LabCity, lab_clock: ManualClock) -> None:
    lab_clock.advance(timedelta(hours=7))
    for link in city.inventory.links:
        if link.kind.value != "backbone":
            continue
        sim = city.links[link.id]
        ratio = sim.ab.rate_bps(city.now()) / link.capacity_bps
        assert 0.05 <= ratio <= 0.7, (link.id, ratio)


def test_counters_never_go_backwards(city: LabCity, lab_clock: ManualClock) -> None:
    node = city.device("core-1")
    last = {i.index: (i.in_octets, i.out_octets, i.in_errors) for i in node.interfaces()}
    steps = [("traffic-surge", ["r1-1", "3"]), ("link-down", ["r1-1"]), None, None]
    for step in steps * 3:
        lab_clock.advance(17.0)
        if step is not None:
            city.inject(step[0], step[1])
        else:
            city.clear()
        for i in node.interfaces():
            prev = last[i.index]
            now = (i.in_octets, i.out_octets, i.in_errors)
            assert all(b >= a for a, b in zip(prev, now, strict=True)), i.name
            assert all(0 <= v < 2**64 for v in now)
            last[i.index] = now


def test_far_end_counts_what_the_near_end_sends(city: LabCity, lab_clock: ManualClock) -> None:
    lab_clock.advance(600)
    a = {i.name: i for i in city.device("core-1").interfaces()}["TenGigabitEthernet1/0/1"]
    b = {i.name: i for i in city.device("dist-r1-1").interfaces()}["XGigabitEthernet0/0/1"]
    assert a.out_octets == b.in_octets and a.in_octets == b.out_octets


def test_flow_counter_rebase_keeps_value() -> None:
    counter = FlowCounter(Curve(0.3, 0.0), 10**10, 1000, 0.0)
    value = counter.octets(100.0)
    counter.rebase(100.0, 0.0)
    assert counter.octets(100.0) == value == counter.octets(500.0)
