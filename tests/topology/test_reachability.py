from __future__ import annotations

from datetime import UTC, datetime, timedelta

from noc.model import DeviceState
from topology.reachability import ReachabilityTracker

T0 = datetime(2026, 10, 1, tzinfo=UTC)

# core-1 <- dist-1 <- acc-1 ; core-1 <- dist-2
GRAPH = {"core-1": [], "dist-1": ["core-1"], "dist-2": ["core-1"], "acc-1": ["dist-1"]}


def states(tr: ReachabilityTracker) -> dict[str, str]:
    return {d: s.value for d, s in tr.states().items()}


def test_first_answers_move_unknown_to_up() -> None:
    tr = ReachabilityTracker(GRAPH)
    assert tr.state("acc-1") is DeviceState.unknown
    changes = tr.observe("core-1", True, T0)
    assert [(str(c.object), c.old, c.new) for c in changes] == [("device:core-1", "unknown", "up")]


def test_silent_device_with_healthy_upstream_is_down() -> None:
    tr = ReachabilityTracker(GRAPH)
    for d in GRAPH:
        tr.observe(d, True, T0)
    changes = tr.observe("dist-1", False, T0 + timedelta(minutes=1), "timeout")
    assert [(c.object.id, c.new, c.cause) for c in changes] == [("dist-1", "down", "timeout")]


def test_downstream_of_a_down_device_becomes_unreachable_and_names_the_root() -> None:
    tr = ReachabilityTracker(GRAPH)
    for d in GRAPH:
        tr.observe(d, True, T0)
    tr.observe("acc-1", False, T0)  # polled first: its upstream still looks up
    assert tr.state("acc-1") is DeviceState.down
    changes = tr.observe("core-1", False, T0)
    # acc-1's own upstream dist-1 still answers, so acc-1 stays down: its fault is its own.
    assert {(c.object.id, c.new) for c in changes} == {("core-1", "down")}
    changes = tr.observe("dist-1", False, T0)
    assert {(c.object.id, c.new) for c in changes} == {
        ("dist-1", "unreachable"),
        ("acc-1", "unreachable"),
    }
    assert states(tr) == {
        "core-1": "down",
        "dist-1": "unreachable",
        "dist-2": "up",
        "acc-1": "unreachable",
    }
    assert tr.root_causes("acc-1") == ["core-1"]


def test_recovery_of_the_root_turns_silent_dependents_down_not_unreachable() -> None:
    tr = ReachabilityTracker(GRAPH)
    for d in GRAPH:
        tr.observe(d, False, T0)
    assert tr.state("dist-2") is DeviceState.unreachable
    changes = tr.observe("core-1", True, T0)
    assert {(c.object.id, c.new) for c in changes} == {
        ("core-1", "up"),
        ("dist-1", "down"),
        ("dist-2", "down"),
    }
    assert tr.state("acc-1") is DeviceState.unreachable  # its upstream dist-1 is down now
    assert tr.root_causes("acc-1") == ["dist-1"]


def test_no_change_no_event() -> None:
    tr = ReachabilityTracker(GRAPH)
    tr.observe("core-1", True, T0)
    assert tr.observe("core-1", True, T0 + timedelta(seconds=30)) == []


def test_restore_resumes_without_spurious_changes() -> None:
    tr = ReachabilityTracker(GRAPH)
    tr.restore({"core-1": DeviceState.up})
    assert tr.observe("core-1", True, T0) == []
