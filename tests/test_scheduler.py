"""The poll scheduler: intervals, deadlines, isolation of slow and broken devices.

The collectors here are stand-ins behind the Collector seam; the ICMP collector crosses the
same seam against the real kernel in tests/collectors/test_icmp.py and tests/test_serve.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from collectors.base import CollectResult
from noc.clock import SystemClock
from noc.health import HealthMetrics
from noc.scheduler import PollScheduler, PollTarget


class TimedCollector:
    """Answers after a per-device delay; raises for devices named 'broken-*'."""

    name = "timed"

    def __init__(self, delays: dict[str, float]) -> None:
        self.delays = delays
        self.calls: dict[str, list[float]] = {d: [] for d in delays}
        self.closed = False

    async def collect(self, device: SimpleNamespace, profile: str | None) -> CollectResult:
        self.calls[device.id].append(time.monotonic())
        if device.id.startswith("broken"):
            raise RuntimeError("collector bug")
        await asyncio.sleep(self.delays[device.id])
        return CollectResult(
            device=device.id,
            collector=self.name,
            started_at=SystemClock().now(),
            duration_seconds=self.delays[device.id],
        )

    async def close(self) -> None:
        self.closed = True


def _metric(health: HealthMetrics, name: str, labels: dict[str, str]) -> float | None:
    value = health.registry.get_sample_value(name, labels)
    return value


def test_slow_device_is_cut_at_its_deadline_and_never_delays_the_others() -> None:
    collector = TimedCollector({"fast-1": 0.0, "fast-2": 0.0, "slow": 30.0, "broken-1": 0.0})
    health = HealthMetrics()
    results: list[CollectResult] = []

    async def sink(result: CollectResult) -> None:
        results.append(result)

    async def run() -> None:
        sched = PollScheduler(sink, health, jitter_ratio=0.0)
        targets = [
            PollTarget(SimpleNamespace(id=d, profile=None), collector, 1.0)  # type: ignore[arg-type]
            for d in collector.delays
        ]
        sched.start(targets)
        assert sched.running
        await asyncio.sleep(4.5)
        await sched.stop()

    asyncio.run(run())
    assert collector.closed
    # The fast devices were polled about once a second although 'slow' hangs every time.
    for dev in ("fast-1", "fast-2"):
        assert 3 <= len(collector.calls[dev]) <= 6, collector.calls[dev]
        gaps = [b - a for a, b in zip(collector.calls[dev], collector.calls[dev][1:], strict=False)]
        assert all(0.7 < g < 1.5 for g in gaps), gaps
    slow = [r for r in results if r.device == "slow"]
    assert slow and all(r.failed and r.error_kind == "timeout" for r in slow)
    assert all(0.85 <= r.duration_seconds < 1.5 for r in slow)
    broken = [r for r in results if r.device == "broken-1"]
    assert len(broken) >= 3 and all(r.error_kind == "internal" for r in broken)
    assert "collector bug" in (broken[0].error or "")
    errors = _metric(
        health,
        "noc_collect_errors_total",
        {"device": "slow", "collector": "timed", "kind": "timeout"},
    )
    assert errors == len(slow)
    polls = _metric(health, "noc_collect_total", {"device": "fast-1", "collector": "timed"})
    assert polls == len(collector.calls["fast-1"])
    assert health.registry.get_sample_value("noc_scheduler_jobs") == 4
    assert (health.registry.get_sample_value("noc_scheduler_lag_seconds_count") or 0) >= 10


def test_stop_while_polls_are_in_flight_logs_no_error(caplog: pytest.LogCaptureFixture) -> None:
    """Regression: stopping mid-poll made apscheduler log CancelledError tracebacks."""
    collector = TimedCollector({"slow-1": 20.0, "slow-2": 20.0})
    results: list[CollectResult] = []

    async def sink(result: CollectResult) -> None:
        results.append(result)

    async def run() -> None:
        sched = PollScheduler(sink, HealthMetrics(), jitter_ratio=0.0)
        targets = [
            PollTarget(SimpleNamespace(id=d, profile=None), collector, 30.0)  # type: ignore[arg-type]
            for d in collector.delays
        ]
        sched.start(targets)
        # Run both jobs now through apscheduler itself, as their trigger would.
        assert sched._scheduler is not None
        for t in targets:
            sched._scheduler.modify_job(t.job_id, next_run_time=datetime.now(UTC))
        deadline = time.monotonic() + 5
        while not all(collector.calls.values()) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        assert all(len(c) == 1 for c in collector.calls.values()), "polls did not start"
        t0 = time.monotonic()
        await sched.stop()
        assert time.monotonic() - t0 < 1.0

    with caplog.at_level(logging.WARNING):
        asyncio.run(run())
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert results == []  # abandoned polls are not recorded as device failures
    assert collector.closed


def test_a_device_is_never_polled_twice_at_once_and_trap_polls_coalesce() -> None:
    """Traps ask for polls while one is in flight: they wait their turn (never two polls of one
    device at once) and a burst of them adds one poll, not one per trap."""
    collector = TimedCollector({"ups-a": 0.3})
    active = {"now": 0, "max": 0}
    original = collector.collect

    async def counting(device: SimpleNamespace, profile: str | None) -> CollectResult:
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        try:
            return await original(device, profile)
        finally:
            active["now"] -= 1

    collector.collect = counting  # type: ignore[method-assign]

    async def sink(result: CollectResult) -> None:
        return None

    async def run() -> None:
        sched = PollScheduler(sink, HealthMetrics(), jitter_ratio=0.0)
        target = PollTarget(SimpleNamespace(id="ups-a", profile=None), collector, 3600.0)  # type: ignore[arg-type]
        sched.start([target])
        first = asyncio.create_task(sched.run_once(target.job_id))
        await asyncio.sleep(0.05)  # in flight
        burst = [sched.poll_now(target.job_id) for _ in range(5)]
        assert len({id(t) for t in burst}) == 1  # one queued poll serves the whole burst
        await first
        await asyncio.gather(*[t for t in burst if t is not None])
        await sched.stop()

    asyncio.run(run())
    assert active["max"] == 1
    assert len(collector.calls["ups-a"]) == 2  # the one in flight, then one after the burst
