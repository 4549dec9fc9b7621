"""Live state: the graph-aware tracker (drop-in for ReachabilityTracker) and LiveTopology."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from noc.inventory import load_inventory
from noc.model import DeviceState, Inventory, LinkState, ObjectKind, ObjectRef, StateChange
from topology.graph import TopologyGraph
from topology.live import LiveTopology
from topology.models import RingStatus
from topology.tracker import GraphReachabilityTracker

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_inventory(ROOT / "inventory.yaml")


@pytest.fixture
def tracker(inv: Inventory) -> GraphReachabilityTracker:
    tr = GraphReachabilityTracker.from_inventory(inv)
    for d in inv.devices:
        tr.observe(d.id, True, T0)
    return tr


def test_all_up(tracker: GraphReachabilityTracker) -> None:
    assert set(tracker.states().values()) == {DeviceState.up}
    assert tracker.observe("core-1", True, T0 + timedelta(seconds=30)) == []


def test_one_core_down_pages_once(tracker: GraphReachabilityTracker) -> None:
    changes = tracker.observe("core-1", False, T0, "timeout")
    assert [(c.object.id, c.old, c.new, c.cause) for c in changes] == [
        ("core-1", "up", "down", "timeout")
    ]
    assert {r.ring: r.status for r in tracker.live.rings()} == {
        "R1": RingStatus.degraded,
        "R2": RingStatus.degraded,
    }
    assert tracker.live.impact().sites_cut_off == []


def test_both_cores_down_everything_else_unreachable_with_the_cores_as_root(
    tracker: GraphReachabilityTracker, inv: Inventory
) -> None:
    tracker.observe("core-1", False, T0)
    for d in inv.devices:  # the rest stops answering as the pollers time out
        if d.id not in ("core-1", "core-2"):
            tracker.observe(d.id, False, T0)
    changes = tracker.observe("core-2", False, T0, "timeout")
    assert changes[0].object.id == "core-2" and changes[0].new == "down"
    states = tracker.states()
    assert states["core-1"] is DeviceState.down and states["core-2"] is DeviceState.down
    others = [d.id for d in inv.devices if d.id not in ("core-1", "core-2")]
    assert {states[d] for d in others} == {DeviceState.unreachable}
    assert {tuple(tracker.root_causes(d)) for d in others} == {("core-1", "core-2")}
    assert len(tracker.live.impact().sites_cut_off) == len(inv.sites)


def test_ring_cut_in_two_places_with_link_states(tracker: GraphReachabilityTracker) -> None:
    tracker.observe_link("r1-2", LinkState.down, T0)
    tracker.observe_link("r1-4", LinkState.down, T0)
    assert tracker.live.rings()[0].status is RingStatus.split
    # the access switches time out first: their ring switches still answer, so "down"
    for acc in ("acc-alun-alun", "acc-dinkes"):
        assert [c.new for c in tracker.observe(acc, False, T0)] == ["down"]
    # dist-r1-3 still answers for now: dist-r1-2 has a live neighbor, so it is down itself
    assert [(c.object.id, c.new) for c in tracker.observe("dist-r1-2", False, T0)] == [
        ("dist-r1-2", "down"),
        ("acc-dinkes", "unreachable"),  # its only neighbor is silent now
    ]
    changes = tracker.observe("dist-r1-3", False, T0, "timeout")
    why = "root cause upstream: link:r1-2, link:r1-4"
    assert [(c.object.id, c.new, c.cause) for c in changes] == [
        ("dist-r1-3", "unreachable", "timeout"),
        ("dist-r1-2", "unreachable", why),
        ("acc-alun-alun", "unreachable", why),
    ]
    assert tracker.root_causes("acc-dinkes") == ["link:r1-2", "link:r1-4"]
    # the fiber is spliced: the switch answers again, its dependents follow when polled
    changes = tracker.observe_link("r1-2", LinkState.up, T0)
    assert [(c.object.id, c.new) for c in changes] == [("dist-r1-2", "down")]
    assert tracker.root_causes("acc-dinkes") == ["dist-r1-2"]
    assert tracker.root_causes("acc-alun-alun") == ["dist-r1-2", "link:r1-4"]


def test_maintenance_is_a_root_cause(tracker: GraphReachabilityTracker) -> None:
    tracker.set_maintenance("dist-r1-3", True, T0)
    tracker.observe("dist-r1-3", False, T0)
    tracker.observe("acc-alun-alun", False, T0)
    assert tracker.state("dist-r1-3") is DeviceState.maintenance
    assert tracker.state("acc-alun-alun") is DeviceState.unreachable
    assert tracker.root_causes("acc-alun-alun") == ["dist-r1-3"]


def test_depends_on_only_devices_follow_their_upstream(tracker: GraphReachabilityTracker) -> None:
    tracker.observe("acc-dc-mgmt", False, T0)
    changes = tracker.observe("ups-a", False, T0)
    assert [(c.object.id, c.new) for c in changes] == [("ups-a", "unreachable")]
    assert tracker.root_causes("ups-a") == ["acc-dc-mgmt"]


def test_restore_resumes_without_spurious_changes(inv: Inventory) -> None:
    tr = GraphReachabilityTracker.from_inventory(inv)
    tr.restore({"core-1": DeviceState.up, "core-2": DeviceState.down})
    assert tr.observe("core-1", True, T0) == []
    assert tr.observe("core-2", False, T0) == []
    assert tr.state("core-2") is DeviceState.down


def test_live_topology_takes_collector_state_changes(inv: Inventory) -> None:
    live = LiveTopology(TopologyGraph.from_inventory(inv))
    for d in inv.devices:
        live.observe(d.id, True)

    def change(kind: ObjectKind, ident: str, new: str) -> StateChange:
        return StateChange(object=ObjectRef(kind=kind, id=ident), old="up", new=new, ts=T0)

    assert live.apply(change(ObjectKind.link, "r2-3", "down"))
    assert not live.apply(change(ObjectKind.link, "r2-3", "down"))  # nothing new
    assert [r.message for r in live.rings()] == [
        "ring R1 intact",
        "ring R2 lost redundancy: segment r2-3 down",
    ]
    assert live.apply(change(ObjectKind.device, "dist-r2-2", "down"))
    assert live.state("dist-r2-2") is DeviceState.down
    im = live.impact()
    assert {s.site for s in im.sites_cut_off} == {"kec-cipanas", "pkm-cipanas"}
    assert live.apply(change(ObjectKind.device, "dist-r2-2", "maintenance"))
    assert live.state("dist-r2-2") is DeviceState.maintenance
    assert live.set_source("pln-dc", up=False)
    assert live.impact().devices_unpowered == []  # the genset took over
    assert not live.apply(change(ObjectKind.site, "dc", "down"))


def test_utility_failed_ups_on_battery_genset_did_not_start(inv: Inventory) -> None:
    live = LiveTopology(TopologyGraph.from_inventory(inv))
    for d in inv.devices:
        live.observe(d.id, True)
    assert live.set_source("pln-dc", up=False)
    assert live.impact().ups_on_battery == []  # the genset took over
    assert live.set_power_fault("genset-1", True)  # it answers, but did not start
    live.observe("crac-1", False)  # the CRACs hang on the ATS without a UPS
    im = live.impact()
    assert im.failed == ["device:crac-1", "device:genset-1", "source:pln-dc"]
    assert im.ups_on_battery == ["ups-a", "ups-b"]
    assert "core-1" in im.devices_on_battery and im.services_down == []
    assert im.after_battery is not None and len(im.after_battery.services_down) == 10
    status = {s.device: s for s in live.statuses()}
    assert (status["crac-1"].state, status["crac-1"].root_causes) == (
        "down",
        ["genset-1", "source:pln-dc"],
    )
    assert live.power_causes("ats-1") == ["genset-1", "source:pln-dc"]
    assert live.power_causes("core-1") == []  # on battery, still powered


def test_graph_topology_view_for_alerting(inv: Inventory) -> None:
    from topology.view import GraphTopologyView

    tracker = GraphReachabilityTracker.from_inventory(inv)
    for d in inv.devices:
        tracker.observe(d.id, True, T0)
    view = GraphTopologyView(tracker.live)
    dev = ObjectKind.device
    assert view.redundancy_group(ObjectRef(kind=dev, id="core-2")) == "core-1+core-2"
    assert view.redundancy_group(ObjectRef(kind=ObjectKind.link, id="r1-3")) == "ring:R1"
    assert view.site_of(ObjectRef(kind=ObjectKind.interface, id="dist-r1-2:XGE0/0/1")) == (
        "kec-sindangsari"
    )
    # dist-r1-1 is listed by siak and cctv-distrik; its failure also cuts off disdukcapil
    assert view.affected_services([ObjectRef(kind=dev, id="dist-r1-1")]) == [
        "cctv-command",
        "cctv-distrik",
        "siak",
    ]
    tracker.observe("dist-r1-1", False, T0)
    tracker.observe("acc-disdukcapil", False, T0)
    assert view.root_cause_of(ObjectRef(kind=dev, id="acc-disdukcapil")) == ObjectRef(
        kind=dev, id="dist-r1-1"
    )
    assert view.root_cause_of(ObjectRef(kind=dev, id="dist-r1-1")) is None
