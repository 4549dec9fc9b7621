"""Impact and root cause on random trees, meshes and rings against the brute-force oracle."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from noc.model import DeviceState, Inventory
from tests.topology import oracle
from tests.topology.generated import cities
from topology.elements import resolve
from topology.evaluate import evaluate
from topology.graph import TopologyGraph
from topology.impact import impact
from topology.rootcause import classify

EXAMPLES = settings(max_examples=80, deadline=None)


@st.composite
def city_and_failures(draw: st.DrawFn) -> tuple[Inventory, set[str]]:
    inv = draw(cities())
    names = oracle.elements(inv)
    failed = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
    return inv, {f.partition(":")[2] for f in failed}


@EXAMPLES
@given(city_and_failures(), st.booleans())
def test_impact_matches_the_oracle(case: tuple[Inventory, set[str]], battery: bool) -> None:
    inv, failed = case
    graph = TopologyGraph.from_inventory(inv)
    im = impact(graph, resolve(graph, failed), battery=battery)
    seen = oracle.reachable(inv, failed, battery)
    alive = oracle.working(inv, failed, battery)
    assert set(im.devices_unreachable) == alive - seen
    assert {s.site for s in im.sites_cut_off} == oracle.sites_cut_off(inv, seen)
    assert {s.service for s in im.services_down} == oracle.services_down(inv, seen, failed)
    for s in im.sites_degraded:  # some but not all of its devices unreachable
        members = {d.id for d in inv.devices if d.site == s.site}
        assert set(s.devices_unreachable) == members - seen != members


def answers(inv: Inventory, failed: set[str]) -> dict[str, bool]:
    seen = oracle.reachable(inv, failed)
    return {d.id: d.id in seen for d in inv.devices}


@EXAMPLES
@given(city_and_failures(), st.booleans())
def test_root_cause_blames_only_real_failures(
    case: tuple[Inventory, set[str]], links_reported: bool
) -> None:
    inv, failed = case
    graph = TopologyGraph.from_inventory(inv)
    answered = answers(inv, failed)
    links_down = {graph.link_index[f] for f in failed if f in graph.link_index}
    c = classify(
        graph,
        [answered[d] for d in graph.devices],
        links_down=links_down if links_reported else set(),
    )
    powered_off = {d.id for d in inv.devices} - oracle.working(inv, failed)
    base = answers(inv, set())
    broken = failed | powered_off
    for i, dev in enumerate(graph.devices):
        state = c.states[i]
        if answered[dev]:
            assert state is DeviceState.up
            continue
        assert state in (DeviceState.down, DeviceState.unreachable)
        if state is DeviceState.down:
            # it is failed itself, or (links unreported) every link to an answering
            # neighbor is cut
            ends = [
                k.id
                for k in inv.links_of(dev)
                if answered[k.other_end(dev).device]  # type: ignore[union-attr]
            ]
            assert dev in broken or (not links_reported and ends and set(ends) <= failed)
        elif base[dev]:  # (a device the inventory gives no path to has nothing to blame)
            assert c.roots[i], f"{dev} is unreachable with no root cause"
            for root in c.roots[i]:
                ident = root.removeprefix("link:")
                assert ident in broken or (
                    not links_reported
                    and any(k.id in failed for k in inv.links_of(ident) if ident in graph.index)
                ), (dev, root)


@EXAMPLES
@given(cities(), st.data())
def test_a_single_failure_is_the_root_cause_of_everything_it_cuts_off(
    inv: Inventory, data: st.DataObject
) -> None:
    graph = TopologyGraph.from_inventory(inv)
    candidates = [
        f"device:{d}" for d in graph.devices if graph.devices.index(d) not in graph.feeders
    ] + [f"link:{k}" for k in graph.links]
    element = data.draw(st.sampled_from(candidates))
    ident = element.partition(":")[2]
    base = answers(inv, set())
    answered = answers(inv, {ident})
    links_down = {graph.link_index[ident]} if element.startswith("link:") else set()
    c = classify(graph, [answered[d] for d in graph.devices], links_down=links_down)
    expected_root = ident if element.startswith("device:") else element
    for i, dev in enumerate(graph.devices):
        if base[dev] and not answered[dev] and dev != ident:
            assert c.states[i] is DeviceState.unreachable, dev
            assert c.roots[i] == [expected_root], dev
    if element.startswith("device:") and base[ident]:
        assert c.states[graph.index[ident]] is DeviceState.down


@EXAMPLES
@given(city_and_failures())
def test_subtree_search_equals_a_full_search(case: tuple[Inventory, set[str]]) -> None:
    inv, failed = case
    graph = TopologyGraph.from_inventory(inv)
    failures = resolve(graph, failed)
    for battery in (True, False):
        fast = evaluate(graph, failures, battery=battery)
        full = evaluate(graph, failures, battery=battery, full_search=True)
        assert fast.reachable == full.reachable
        assert fast.unpowered == full.unpowered
