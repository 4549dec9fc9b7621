"""The issue's checks on the demo city: ring cuts, core pairs, power, impact."""

from __future__ import annotations

from pathlib import Path

import pytest

from noc.inventory import load_inventory
from noc.model import Inventory
from topology.elements import UnknownElementError, resolve
from topology.graph import TopologyGraph
from topology.impact import impact
from topology.models import RingState, RingStatus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_inventory(ROOT / "inventory.yaml")


@pytest.fixture(scope="module")
def graph(inv: Inventory) -> TopologyGraph:
    return TopologyGraph.from_inventory(inv)


def ring(report_rings: list[RingState], ring_id: str) -> RingState:
    return next(r for r in report_rings if r.ring == ring_id)


def test_graph_sees_the_rings_in_order_from_the_cores(graph: TopologyGraph) -> None:
    assert [graph.devices[r] for r in graph.roots] == ["core-1", "core-2"]
    r1 = graph.rings[0]
    assert [graph.devices[d] for d in r1.devices] == [
        "core-1",
        "dist-r1-1",
        "dist-r1-2",
        "dist-r1-3",
        "dist-r1-4",
        "core-2",
    ]
    assert [graph.links[s] for s in r1.segments] == ["r1-1", "r1-2", "r1-3", "r1-4", "r1-5", "r1-6"]


def test_nothing_failed_everything_intact(graph: TopologyGraph) -> None:
    im = impact(graph, resolve(graph, []))
    assert im.sites_cut_off == [] and im.sites_degraded == [] and im.services_down == []
    assert [(r.ring, r.status) for r in im.rings] == [
        ("R1", RingStatus.intact),
        ("R2", RingStatus.intact),
    ]


@pytest.mark.parametrize("segment", ["r1-1", "r1-2", "r1-3", "r1-4", "r1-5", "r1-6"])
def test_one_ring_segment_cut_degrades_the_ring_and_cuts_off_nothing(
    graph: TopologyGraph, segment: str
) -> None:
    im = impact(graph, resolve(graph, [segment]))
    r1 = ring(im.rings, "R1")
    assert r1.status is RingStatus.degraded
    assert r1.segments_down == [segment]
    assert r1.message == f"ring R1 lost redundancy: segment {segment} down"
    assert ring(im.rings, "R2").status is RingStatus.intact
    assert im.sites_cut_off == [] and im.devices_unreachable == [] and im.services_down == []


def test_two_ring_segments_cut_split_the_ring_and_name_the_sites_between(
    graph: TopologyGraph,
) -> None:
    im = impact(graph, resolve(graph, ["r1-2", "r1-4"]))
    r1 = ring(im.rings, "R1")
    assert r1.status is RingStatus.split
    assert r1.sites_cut_off == ["kec-sindangsari", "kec-margahayu"]
    assert r1.message == ("ring R1 split: kec-sindangsari, kec-margahayu cut off (r1-2, r1-4 down)")
    assert sorted(s.site for s in im.sites_cut_off) == [
        "alun-alun",
        "dinkes",
        "kec-margahayu",
        "kec-sindangsari",
    ]
    assert [s.service for s in im.services_down] == ["wifi-publik"]
    assert [s.service for s in im.services_degraded] == ["cctv-distrik", "cctv-command"]
    assert "Dinas Kesehatan" in im.agencies


def test_two_cuts_next_to_each_other_cut_off_one_district(graph: TopologyGraph) -> None:
    im = impact(graph, resolve(graph, ["r1-3", "r1-4"]))
    r1 = ring(im.rings, "R1")
    assert (r1.status, r1.sites_cut_off) == (RingStatus.split, ["kec-margahayu"])
    assert sorted(s.site for s in im.sites_cut_off) == ["alun-alun", "kec-margahayu"]


def test_the_hospital_dual_uplink_is_a_path_of_its_own(graph: TopologyGraph) -> None:
    # r2-3 and r2-4 cut would isolate dist-r2-3, but acc-rsud-1 is cabled to dist-r2-2 and
    # dist-r2-3: Babakan stays reachable through the hospital, the ring only lost redundancy
    im = impact(graph, resolve(graph, ["r2-3", "r2-4"]))
    r2 = ring(im.rings, "R2")
    assert (r2.status, r2.segments_down) == (RingStatus.degraded, ["r2-3", "r2-4"])
    assert r2.message == "ring R2 lost redundancy: r2-3, r2-4 down"
    assert im.sites_cut_off == [] and im.services_down == []


@pytest.mark.parametrize("core", ["core-1", "core-2"])
def test_one_core_down_cuts_off_nothing(graph: TopologyGraph, core: str) -> None:
    im = impact(graph, resolve(graph, [core]))
    assert im.sites_cut_off == [] and im.services_down == []
    assert im.devices_unreachable == []
    assert [s.site for s in im.sites_degraded] == ["dc"]
    assert {r.status for r in im.rings} == {RingStatus.degraded}


def test_both_cores_down_cut_off_every_site(graph: TopologyGraph, inv: Inventory) -> None:
    im = impact(graph, resolve(graph, ["core-1", "core-2"]))
    assert sorted(s.site for s in im.sites_cut_off) == sorted(s.id for s in inv.sites)
    assert {s.service for s in im.services_down} == {s.id for s in inv.services}
    assert {r.status for r in im.rings} == {RingStatus.split}


def test_utility_failed_and_genset_did_not_start(graph: TopologyGraph) -> None:
    im = impact(graph, resolve(graph, ["pln-dc", "genset-1"]))
    assert im.failed == ["device:genset-1", "source:pln-dc"]
    assert im.ups_on_battery == ["ups-a", "ups-b"]
    assert im.devices_unpowered == ["ats-1", "crac-1", "crac-2"]
    assert im.services_down == []  # the UPSs carry the load for now
    assert "core-1" in im.devices_on_battery and "srv-siak-1" in im.devices_on_battery
    later = im.after_battery
    assert later is not None
    assert {s.site for s in later.sites_cut_off} == {s.site for s in im.sites_cut_off} | {
        "dc",
        "drc",
        "kec-sukamaju-utara",
        "kec-sindangsari",
        "kec-margahayu",
        "kec-cibeureum",
        "kec-sukamaju-selatan",
        "kec-cipanas",
        "kec-babakan",
        "kec-mekarjaya",
        "disdukcapil",
        "dinkes",
        "bappeda",
        "rsud",
        "pkm-cipanas",
        "alun-alun",
    }


def test_one_ups_down_keeps_the_dual_fed_devices_up(graph: TopologyGraph) -> None:
    im = impact(graph, resolve(graph, ["ups-a"]))
    assert im.devices_unpowered == [
        "acc-dc-mgmt",
        "pdu-a1-a",
        "pdu-a2-a",
        "env-suhu-1",
        "env-bocor-1",
    ]
    assert im.services_down == [] and im.sites_cut_off == []
    # the facilities switch had one feed: what is behind it can no longer be seen
    assert "ups-b" in im.devices_unreachable


def test_unknown_element_is_one_clear_sentence(graph: TopologyGraph) -> None:
    with pytest.raises(UnknownElementError, match="'core-9' is not a device, link or power"):
        resolve(graph, ["core-9"])
    assert resolve(graph, ["link:r1-1"]).links == frozenset({graph.link_index["r1-1"]})
