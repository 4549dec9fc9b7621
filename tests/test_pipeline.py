"""The collect pipeline: reachability from several collectors, noc_collect_up, observers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from collectors.base import CollectResult
from noc.health import HealthMetrics
from noc.model import Sample, StateChange
from noc.pipeline import CollectPipeline, SampleWriter
from topology.reachability import ReachabilityTracker

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def result(collector: str, failed: bool, kind: str | None = "timeout") -> CollectResult:
    return CollectResult(
        device="dist-1",
        collector=collector,
        started_at=T0,
        duration_seconds=0.1,
        failed=failed,
        error="no answer" if failed else None,
        error_kind=kind if failed else None,
    )


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.states: list[StateChange] = []

    async def on_samples(self, samples: Sequence[Sample]) -> None:
        self.samples.extend(samples)

    async def on_states(self, changes: Sequence[StateChange]) -> None:
        self.states.extend(changes)


def run(collectors: Sequence[str], results: Sequence[CollectResult]) -> tuple[list[str], Recorder]:
    async def go() -> tuple[list[str], Recorder]:
        written: list[Sample] = []
        writer = SampleWriter(written.extend, HealthMetrics(), flush_interval=0.01)
        writer.start()
        recorded: list[StateChange] = []
        pipeline = CollectPipeline(
            writer,
            ReachabilityTracker({"dist-1": []}),
            recorded.extend,
            HealthMetrics(),
            reachability_collectors=collectors,
        )
        observer = Recorder()
        pipeline.observers.append(observer)
        for r in results:
            await pipeline(r)
        await writer.stop()
        assert {s.metric for s in written} == {"noc_collect_up"}
        return [c.new for c in recorded], observer

    return asyncio.run(go())


def test_snmp_failing_while_icmp_answers_is_not_an_outage() -> None:
    states, _ = run(("icmp", "snmp"), [result("icmp", False), result("snmp", True)])
    assert states == ["up"]


def test_down_when_every_reachability_collector_fails() -> None:
    states, observer = run(
        ("icmp", "snmp"), [result("icmp", False), result("icmp", True), result("snmp", True)]
    )
    assert states == ["up", "down"]
    assert [c.new for c in observer.states] == ["up", "down"]
    assert observer.states[-1].cause == "no answer"


def test_a_collector_not_configured_for_reachability_changes_no_state() -> None:
    states, observer = run(("icmp",), [result("icmp", False), result("snmp", True)])
    assert states == ["up"]
    up = {
        (s.labels["collector"], s.value) for s in observer.samples if s.metric == "noc_collect_up"
    }
    assert up == {("icmp", 1.0), ("snmp", 0.0)}


def test_a_configuration_error_says_nothing_about_the_device() -> None:
    states, _ = run(("snmp",), [result("snmp", True, kind="config")])
    assert states == []
