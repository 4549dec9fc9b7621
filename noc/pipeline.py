"""From collect results to the stores: samples into the metric store, states into events.

Samples are batched through a bounded queue and written off the event loop; a full queue
makes collectors wait (backpressure) instead of losing samples.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from collectors.base import CollectResult
from noc.health import HealthMetrics
from noc.model import DeviceState, Neighbor, Sample, StateChange
from topology.reachability import ReachabilityTracker

log = logging.getLogger(__name__)

StateSink = Callable[[Sequence[StateChange]], None]


class LinkStates(Protocol):
    """Turns port status samples into link (and ring) state changes."""

    def observe(self, samples: Iterable[Sample], ts: datetime) -> list[StateChange]: ...

    def ring_changes(self, ts: datetime) -> list[StateChange]: ...

    def link_for(self, sample: Sample) -> str | None: ...


class Observer(Protocol):
    """Who decides on what was collected (alerting): told of every batch, never polled."""

    async def on_samples(self, samples: Sequence[Sample]) -> None: ...

    async def on_states(self, changes: Sequence[StateChange]) -> None: ...


class SampleWriter:
    """Batches samples and writes them to the metric store in a worker thread."""

    def __init__(
        self,
        write: Callable[[Sequence[Sample]], None],
        health: HealthMetrics,
        *,
        store_name: str = "metrics",
        batch_size: int = 5000,
        flush_interval: float = 1.0,
        max_queued: int = 200_000,
    ) -> None:
        self._write = write
        self._health = health
        self._store_name = store_name
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._queue: asyncio.Queue[Sample] = asyncio.Queue(maxsize=max_queued)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="sample-writer")

    async def put(self, samples: Sequence[Sample]) -> None:
        for s in samples:
            await self._queue.put(s)
        self._health.queue_depth.set(self._queue.qsize())

    async def _loop(self) -> None:
        while True:
            batch = [await self._queue.get()]
            deadline = time.monotonic() + self._flush_interval
            while len(batch) < self._batch_size:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    async with asyncio.timeout(timeout):
                        batch.append(await self._queue.get())
                except TimeoutError:
                    break
            await self._flush(batch)

    async def _flush(self, batch: list[Sample]) -> None:
        t0 = time.perf_counter()
        while True:
            try:
                await asyncio.to_thread(self._write, batch)
                break
            except Exception as err:
                self._health.store_write_errors.labels(self._store_name).inc()
                log.error("writing %d samples failed, retrying in 5 s: %s", len(batch), err)
                await asyncio.sleep(5)
        self._health.store_write_duration.labels(self._store_name).observe(time.perf_counter() - t0)
        self._health.samples_written.inc(len(batch))
        self._health.queue_depth.set(self._queue.qsize())

    async def stop(self) -> None:
        """Write what is queued, then stop."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        rest: list[Sample] = []
        while not self._queue.empty():
            rest.append(self._queue.get_nowait())
        for i in range(0, len(rest), self._batch_size):
            await self._flush(rest[i : i + self._batch_size])


class CollectPipeline:
    """The sink the scheduler hands every CollectResult to."""

    def __init__(
        self,
        writer: SampleWriter,
        tracker: ReachabilityTracker,
        record_states: StateSink,
        health: HealthMetrics,
        reachability_collectors: Sequence[str] = ("icmp",),
    ) -> None:
        self.observers: list[Observer] = []
        self.link_states: LinkStates | None = None
        # What collectors saw besides samples: the last LLDP/CDP table and facts per device.
        self.neighbors: dict[tuple[str, str], list[Neighbor]] = {}
        self.facts: dict[str, dict[str, Any]] = {}
        self._reachability = frozenset(reachability_collectors)
        self._answers: dict[str, dict[str, bool]] = {}
        self._writer = writer
        self._tracker = tracker
        self._record_states = record_states
        self._health = health
        self.last_result: dict[tuple[str, str], CollectResult] = {}

    async def __call__(self, result: CollectResult) -> None:
        self.last_result[(result.device, result.collector)] = result
        # Whether this collector could read this device at all: what "collection failing"
        # rules watch (1 also when the device answered with an error of its own).
        collect_up = Sample(
            metric="noc_collect_up",
            labels={"device": result.device, "collector": result.collector},
            value=0.0 if result.failed else 1.0,
            ts=result.started_at,
        )
        samples = [*result.samples, collect_up]
        seen = getattr(result, "neighbors", None)
        if isinstance(seen, list) and not result.failed:
            self.neighbors[(result.device, result.collector)] = seen
        facts = getattr(result, "facts", None)
        if isinstance(facts, BaseModel):
            self.facts[result.device] = facts.model_dump(mode="json")
        await self.accept_samples(samples, result.started_at)
        answered = result.answered
        if result.collector in self._reachability and answered is not None:
            # A device answers when any reachability collector reached it on its last poll:
            # SNMP failing while ICMP answers is a collection problem, not an outage.
            seen = self._answers.setdefault(result.device, {})
            seen[result.collector] = answered
            cause = "" if any(seen.values()) else (result.error or "")
            changes = self._tracker.observe(
                result.device, any(seen.values()), result.started_at, cause
            )
            if changes and self.link_states is not None:
                changes += self.link_states.ring_changes(result.started_at)  # a ring device moved
            await self.accept_states(changes)
            self.publish_states()

    async def accept_samples(self, samples: Sequence[Sample], ts: datetime) -> None:
        """Samples from a poll or a trap: stored, shown to observers, and read for link states."""
        await self._writer.put(samples)
        for observer in self.observers:
            await observer.on_samples(samples)
        if self.link_states is not None:
            await self.accept_states(self.link_states.observe(samples, ts))

    async def accept_states(self, changes: Sequence[StateChange]) -> None:
        """State changes: recorded in the event store, then shown to observers."""
        if not changes:
            return
        await asyncio.to_thread(self._record_states, changes)
        for observer in self.observers:
            await observer.on_states(changes)
        for c in changes:
            log.info("%s %s -> %s%s", c.object, c.old, c.new, f" ({c.cause})" * bool(c.cause))

    def publish_states(self) -> None:
        """Set the per-state device counts on /metrics."""
        counts: dict[str, int] = {s.value: 0 for s in DeviceState}
        for st in self._tracker.states().values():
            counts[st.value] += 1
        for state, n in counts.items():
            self._health.device_states.labels(state).set(n)

    def root_causes(self, device: str) -> list[str]:
        return self._tracker.root_causes(device)

    def snapshot(self) -> dict[str, Any]:
        return {dev: st.value for dev, st in self._tracker.states().items()}
