"""The single-point-of-failure report against brute-force removal of every element."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noc.inventory import load_inventory
from noc.model import Inventory
from tests.topology import oracle
from tests.topology.generated import cities
from topology.dominators import dominator_tree
from topology.graph import TopologyGraph
from topology.spof import spof_report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_inventory(ROOT / "inventory.yaml")


def as_table(inv: Inventory) -> dict[str, tuple[set[str], set[str]]]:
    report = spof_report(TopologyGraph.from_inventory(inv))
    return {p.element: (set(p.sites_cut_off), set(p.services_down)) for p in report.single_points}


def test_demo_city_spof_report_is_exactly_the_brute_force_one(inv: Inventory) -> None:
    assert as_table(inv) == oracle.brute_force_spof(inv)


def test_demo_city_spof_names_the_expected_single_points(inv: Inventory) -> None:
    table = as_table(inv)
    # redundant: the cores, each ring segment, the DRC links, the hospital's two uplinks
    for redundant in [
        "device:core-1",
        "device:core-2",
        "link:r1-3",
        "link:drc-1",
        "link:up-rsud-1",
    ]:
        assert redundant not in table
    assert table["device:dist-r1-1"] == (
        {"kec-sukamaju-utara", "disdukcapil"},
        {"siak"},
    )
    assert table["link:rtr-fw"] == (set(), {"portal-egov", "wifi-publik"})
    assert table["device:ats-1"][1] >= {"siak", "simrs", "portal-egov"}  # one ATS for all


def test_demo_city_power_single_points(inv: Inventory) -> None:
    report = spof_report(TopologyGraph.from_inventory(inv))
    by_device = {p.device: p for p in report.power_single_points}
    assert sorted(by_device) == [
        "acc-dc-mgmt",
        "crac-1",
        "crac-2",
        "env-bocor-1",
        "env-pintu-1",
        "env-suhu-1",
    ]
    mgmt = by_device["acc-dc-mgmt"]
    assert (mgmt.feeds, mgmt.ups, mgmt.single_points) == (
        1,
        ["ups-a"],
        ["ats-1", "pdu-a1-a", "ups-a"],
    )
    assert mgmt.message.startswith("acc-dc-mgmt is fed by one UPS (ups-a) with no second feed")
    assert "core-1" not in by_device  # A and B feeds from two UPSs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cities())
def test_spof_matches_brute_force_on_generated_cities(inv: Inventory) -> None:
    assert as_table(inv) == oracle.brute_force_spof(inv)


def brute_dominators(succ: list[list[int]], root: int) -> dict[int, set[int]]:
    def reach(skip: int) -> set[int]:
        seen, todo = {root}, [root]
        while todo:
            for w in succ[todo.pop()]:
                if w != skip and w not in seen:
                    seen.add(w)
                    todo.append(w)
        return seen

    everything = reach(-1)
    return {w: everything - reach(w) - ({root} if w != root else set()) for w in everything}


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 9).flatmap(
        lambda n: st.lists(st.lists(st.integers(0, n - 1), max_size=3), min_size=n, max_size=n)
    )
)
def test_dominator_tree_matches_brute_force(succ: list[list[int]]) -> None:
    tree = dominator_tree(succ, 0)
    for w, cut in brute_dominators(succ, 0).items():
        expected = cut | {w} if w != 0 else set(tree.order)
        assert set(tree.dominated(w)) == expected, w
