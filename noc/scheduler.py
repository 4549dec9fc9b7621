"""Per-device poll jobs on apscheduler: each device and collector at its own interval.

A job runs as its own asyncio task with a hard deadline, so a slow device never delays
another. Each job keeps a stable phase within its interval (from a hash of its id, over at
least 10 s or ``jitter_ratio`` of the interval), so a hundred devices do not poll in the same
millisecond and the polls never drift. Results go to one callback (the pipeline), never to
alerting directly.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from collectors.base import Collector, CollectResult
from noc.clock import Clock, SystemClock
from noc.health import HealthMetrics

log = logging.getLogger(__name__)

ResultSink = Callable[[CollectResult], Awaitable[None]]


@dataclass(frozen=True)
class PollTarget:
    """One device read by one collector every ``interval`` seconds."""

    device: Any  # noc.model.Device
    collector: Collector
    interval: float
    profile: str | None = None

    @property
    def job_id(self) -> str:
        return f"poll:{self.collector.name}:{self.device.id}"


class PollScheduler:
    def __init__(
        self,
        sink: ResultSink,
        health: HealthMetrics,
        *,
        clock: Clock | None = None,
        jitter_ratio: float = 0.1,
        max_concurrent: int = 64,
        deadline_ratio: float = 0.9,
    ) -> None:
        self._sink = sink
        self._health = health
        self._clock = clock or SystemClock()
        self._jitter_ratio = jitter_ratio
        self._deadline_ratio = deadline_ratio
        self._max_concurrent = max_concurrent
        self._sem: asyncio.Semaphore | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._targets: dict[str, PollTarget] = {}
        self._inflight: set[asyncio.Task[Any]] = set()
        # One poll of a target at a time: a poll after a trap waits for the one in flight
        # instead of racing it on the same device (and the same counters).
        self._busy: dict[str, asyncio.Lock] = {}
        self._queued: dict[str, asyncio.Task[CollectResult]] = {}  # poll_now waiting its turn
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._scheduler is not None and bool(self._scheduler.running)

    def start(self, targets: Iterable[PollTarget]) -> None:
        """Schedule every target; must be called from inside the running event loop."""
        self._sem = asyncio.Semaphore(self._max_concurrent)
        sched = AsyncIOScheduler(timezone=UTC, event_loop=asyncio.get_running_loop())
        sched.add_listener(self._on_submitted, EVENT_JOB_SUBMITTED)
        now = self._clock.now()
        for target in targets:
            self._targets[target.job_id] = target
            # Spread first polls over the first interval (at most 10 s), stable per job.
            spread = min(target.interval, max(10.0, target.interval * self._jitter_ratio))
            offset = (zlib.crc32(target.job_id.encode()) % 1000) / 1000 * spread
            first = now + timedelta(seconds=offset)
            sched.add_job(
                self._run,
                # No trigger jitter: APScheduler 3 jitter only ever delays and the next run is
                # counted from the delayed one, so polls drift later every cycle. The stable
                # per-job phase below spreads the load instead.
                IntervalTrigger(seconds=target.interval, start_date=first, timezone=UTC),
                args=[target.job_id],
                id=target.job_id,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(1, int(target.interval)),
                next_run_time=first,
            )
        self._health.scheduled_jobs.set(len(self._targets))
        sched.start()
        self._scheduler = sched
        log.info("scheduler started with %d poll jobs", len(self._targets))

    def _on_submitted(self, event: JobSubmissionEvent) -> None:
        now = datetime.now(UTC)
        for scheduled in event.scheduled_run_times:
            self._health.scheduler_lag.observe(max(0.0, (now - scheduled).total_seconds()))

    @property
    def fastest_interval(self) -> float | None:
        """The shortest poll interval among the scheduled targets."""
        return min((t.interval for t in self._targets.values()), default=None)

    def has_job(self, job_id: str) -> bool:
        return job_id in self._targets

    def poll_now(self, job_id: str) -> asyncio.Task[CollectResult] | None:
        """Start an extra poll of one target now (e.g. after a trap); None if there is none."""
        if job_id not in self._targets or self._stopping:
            return None
        queued = self._queued.get(job_id)
        if queued is not None and not queued.done():
            return queued  # one already waits for the poll in flight: it will see the news
        task = asyncio.get_running_loop().create_task(self._run(job_id), name=f"now:{job_id}")
        self._queued[job_id] = task
        return task

    async def run_once(self, job_id: str) -> CollectResult:
        """Poll one target now (also what each scheduled job does)."""
        return await self._run(job_id)

    async def _run(self, job_id: str) -> CollectResult:
        target = self._targets[job_id]
        assert self._sem is not None, "scheduler not started"
        deadline = max(1.0, target.interval * self._deadline_ratio)
        task = asyncio.current_task()
        assert task is not None
        self._inflight.add(task)
        try:
            async with self._busy.setdefault(job_id, asyncio.Lock()):
                if self._queued.get(job_id) is task:
                    del self._queued[job_id]  # started: a later trap queues a new poll
                return await self._poll(target, deadline)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # Stopping: the poll is abandoned, nothing is recorded, nothing logged.
            return self._failed(target, self._clock.now(), time.monotonic(), "cancelled", "stop")
        finally:
            self._inflight.discard(task)

    async def _poll(self, target: PollTarget, deadline: float) -> CollectResult:
        assert self._sem is not None
        async with self._sem:
            t0 = time.monotonic()
            started = self._clock.now()
            try:
                async with asyncio.timeout(deadline):
                    result = await target.collector.collect(target.device, target.profile)
            except TimeoutError:
                result = self._failed(target, started, t0, "timeout", f"poll exceeded {deadline}s")
            except Exception as err:  # a collector bug must not kill the scheduler
                log.exception("collector %s crashed on %s", target.collector.name, target.device.id)
                result = self._failed(target, started, t0, "internal", f"collector error: {err}")
        self._record(result)
        await self._sink(result)
        return result

    def _failed(
        self, target: PollTarget, started: datetime, t0: float, kind: str, error: str
    ) -> CollectResult:
        return CollectResult(
            device=target.device.id,
            collector=target.collector.name,
            started_at=started,
            duration_seconds=time.monotonic() - t0,
            failed=True,
            error=error,
            error_kind=kind,
        )

    def _record(self, result: CollectResult) -> None:
        h = self._health
        h.collect_duration.labels(result.device, result.collector).set(result.duration_seconds)
        h.collects.labels(result.device, result.collector).inc()
        if result.failed:
            kind = result.error_kind or "unknown"
            h.collect_errors.labels(result.device, result.collector, kind).inc()
        h.samples_collected.inc(len(result.samples))

    async def stop(self) -> None:
        """Stop scheduling, abandon polls in flight, close the collectors."""
        self._stopping = True
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        inflight = list(self._inflight)
        for task in inflight:
            task.cancel()
        await asyncio.gather(*inflight, return_exceptions=True)
        for collector in {id(t.collector): t.collector for t in self._targets.values()}.values():
            await collector.close()
