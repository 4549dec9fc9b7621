"""Port status (polled or trapped) becomes link and ring state on the demo city."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from noc.inventory import load_inventory
from noc.model import Sample
from topology.link_states import LinkStateTracker
from topology.tracker import GraphReachabilityTracker

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 10, 1, tzinfo=UTC)


def status(device: str, state: str, *, interface: str | None = None, index: str = "2") -> Sample:
    labels = {"device": device, "if_index": index, "state": state}
    if interface:
        labels["interface"] = interface
    return Sample(metric="if_oper_status", labels=labels, value=1 if state == "up" else 2, ts=T0)


def city() -> tuple[LinkStateTracker, GraphReachabilityTracker]:
    inv = load_inventory(REPO / "inventory.yaml")
    devices = GraphReachabilityTracker.from_inventory(inv)
    for d in inv.devices:
        devices.observe(d.id, True, T0)
    return LinkStateTracker(inv, devices), devices


def changes(tracker: LinkStateTracker, *samples: Sample) -> list[tuple[str, str, str]]:
    return [(str(c.object), c.old, c.new) for c in tracker.observe(samples, T0)]


def test_a_trapped_port_down_cuts_the_link_and_degrades_the_ring() -> None:
    links, _ = city()
    # A poll teaches ifIndex -> ifName and says both ends of r1-2 are up.
    assert changes(
        links,
        status("dist-r1-1", "up", interface="XGigabitEthernet0/0/2", index="12"),
        status("dist-r1-2", "up", interface="XGigabitEthernet0/0/1", index="11"),
    ) == [("link:r1-2", "unknown", "up")]
    # A linkDown trap carries only the ifIndex.
    got = changes(links, status("dist-r1-1", "down", index="12"))
    assert ("link:r1-2", "up", "down") in got
    assert ("ring:R1", "intact", "degraded") in got
    assert not [c for c in got if c[0].startswith("device:")]  # nothing cut off: one segment


def test_two_cuts_split_the_ring_and_the_site_between_goes_unreachable() -> None:
    links, devices = city()
    changes(links, status("dist-r1-1", "down", interface="XGigabitEthernet0/0/2"))
    got = links.observe([status("dist-r1-3", "down", interface="XGigabitEthernet0/0/1")], T0)
    assert [(str(c.object), c.old, c.new) for c in got] == [
        ("link:r1-3", "unknown", "down"),
        ("ring:R1", "degraded", "split"),
    ]
    assert got[-1].cause == "ring R1 split: kec-sindangsari cut off (r1-2, r1-3 down)"
    # The switch between the cuts still answered its last poll, so it stays up until it
    # falls silent; then it is unreachable (the cuts are the cause), not down.
    assert devices.state("dist-r1-2").value == "up"
    devices.observe("acc-dinkes", False, T0)  # hangs off dist-r1-2: silent with it
    silent = devices.observe("dist-r1-2", False, T0)
    # Both are behind the cuts now: unreachable, not down, with the cuts as the cause.
    assert [(c.object.id, c.new) for c in silent] == [
        ("dist-r1-2", "unreachable"),
        ("acc-dinkes", "unreachable"),
    ]
    assert devices.root_causes("dist-r1-2") == ["link:r1-2", "link:r1-3"]
    # One segment back: the switch is reachable again; while it is silent it is down (its
    # own fault now) and its site stays cut off, so the ring stays split.
    got = links.observe([status("dist-r1-3", "up", interface="XGigabitEthernet0/0/1")], T0)
    assert [(str(c.object), c.new) for c in got] == [
        ("link:r1-3", "up"),
        ("device:dist-r1-2", "down"),
    ]
    # It answers again: the ring is only degraded (r1-2 is still cut).
    devices.observe("dist-r1-2", True, T0)
    ring = links.ring_changes(T0)
    assert [(str(c.object), c.old, c.new) for c in ring] == [("ring:R1", "split", "degraded")]


def test_a_dead_switch_stays_down_when_what_hangs_below_it_falls_silent() -> None:
    links, devices = city()
    # dist-r1-2 dies: its ring neighbours trap their ports to it down, then it is polled.
    changes(links, status("dist-r1-1", "down", interface="XGigabitEthernet0/0/2"))
    changes(links, status("dist-r1-3", "down", interface="XGigabitEthernet0/0/1"))
    silent = devices.observe("dist-r1-2", False, T0)
    # acc-dinkes (below it) answered its last poll: a path to dist-r1-2 is proven, it is down.
    assert [(c.object.id, c.new) for c in silent] == [("dist-r1-2", "down")]
    # acc-dinkes falls silent with it. That takes the proof away, but explains nothing new:
    # dist-r1-2 stays down (the root cause), not unreachable behind its own links.
    got = devices.observe("acc-dinkes", False, T0)
    assert [(c.object.id, c.old, c.new) for c in got] == [("acc-dinkes", "up", "unreachable")]
    assert devices.state("dist-r1-2").value == "down"
    assert devices.root_causes("acc-dinkes") == ["dist-r1-2"]
    # It answers again: up, and acc-dinkes is no longer behind a dead switch.
    devices.observe("dist-r1-2", True, T0)
    assert devices.state("dist-r1-2").value == "up"
    assert devices.state("acc-dinkes").value == "down"


def test_ports_not_on_any_inventory_link_change_nothing() -> None:
    links, _ = city()
    assert changes(links, status("core-1", "down", interface="GigabitEthernet0/0")) == []
