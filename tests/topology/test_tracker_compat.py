"""The graph tracker passes the depends_on tracker's own scenarios (it is a drop-in)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from noc.model import DeviceState, Inventory
from topology.reachability import ReachabilityTracker
from topology.tracker import GraphReachabilityTracker

T0 = datetime(2026, 10, 1, tzinfo=UTC)
GRAPH = {"core-1": [], "dist-1": ["core-1"], "dist-2": ["core-1"], "acc-1": ["dist-1"]}


def as_inventory(graph: dict[str, list[str]]) -> Inventory:
    devices = [
        {
            "id": d,
            "site": "dc" if not ups else "s",
            "role": "core_switch" if not ups else "access_switch",
            "address": f"10.0.0.{i + 1}",
            "depends_on": ups,
        }
        for i, (d, ups) in enumerate(graph.items())
    ]
    sites = [
        {"id": "dc", "name": "DC", "kind": "data_center"},
        {"id": "s", "name": "S", "kind": "agency"},
    ]
    return Inventory.model_validate({"version": 1, "city": "c", "sites": sites, "devices": devices})


Factory = Callable[[], ReachabilityTracker]
FACTORIES: dict[str, Factory] = {
    "depends_on": lambda: ReachabilityTracker(GRAPH),
    "graph": lambda: GraphReachabilityTracker.from_inventory(as_inventory(GRAPH)),
}


@pytest.fixture(params=sorted(FACTORIES))
def make(request: pytest.FixtureRequest) -> Factory:
    factory: Factory = FACTORIES[request.param]
    return factory


def test_first_answer_and_silence(make: Factory) -> None:
    tr = make()
    assert tr.state("acc-1") is DeviceState.unknown
    changes = tr.observe("core-1", True, T0)
    assert [(str(c.object), c.old, c.new) for c in changes] == [("device:core-1", "unknown", "up")]
    for d in GRAPH:
        tr.observe(d, True, T0)
    changes = tr.observe("dist-1", False, T0 + timedelta(minutes=1), "timeout")
    assert [(c.object.id, c.new, c.cause) for c in changes] == [("dist-1", "down", "timeout")]


def test_root_goes_down_then_comes_back(make: Factory) -> None:
    tr = make()
    for d in GRAPH:
        tr.observe(d, True, T0)
    tr.observe("acc-1", False, T0)
    assert tr.state("acc-1") is DeviceState.down
    assert {(c.object.id, c.new) for c in tr.observe("core-1", False, T0)} == {("core-1", "down")}
    changes = tr.observe("dist-1", False, T0)
    assert {(c.object.id, c.new) for c in changes} == {
        ("dist-1", "unreachable"),
        ("acc-1", "unreachable"),
    }
    assert tr.root_causes("acc-1") == ["core-1"]
    tr.observe("dist-2", False, T0)
    changes = tr.observe("core-1", True, T0)
    assert {(c.object.id, c.new) for c in changes} == {
        ("core-1", "up"),
        ("dist-1", "down"),
        ("dist-2", "down"),
    }
    assert tr.root_causes("acc-1") == ["dist-1"]


def test_restore_and_no_change_no_event(make: Factory) -> None:
    tr = make()
    tr.restore({"core-1": DeviceState.up})
    assert tr.observe("core-1", True, T0) == []
    assert tr.observe("core-1", True, T0 + timedelta(seconds=30)) == []
