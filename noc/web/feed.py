"""The wall's live feed: one task rebuilds the snapshot and wakes every SSE client on change.

Clients get the current snapshot at once, then each new version, and a ``ping`` every
``heartbeat`` seconds so a page can tell a quiet wall from a dead feed. A reconnecting
client sends Last-Event-ID and gets the current version if it missed any.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from noc.runtime import Runtime
from noc.web.snapshot import TopologySummary, WallSnapshot, build_snapshot, topology_summary

log = logging.getLogger(__name__)


class WallFeed:
    def __init__(
        self,
        runtime: Runtime,
        *,
        interval: float = 1.0,
        heartbeat: float = 10.0,
        build: Callable[[Runtime, TopologySummary | None], WallSnapshot] = build_snapshot,
    ) -> None:
        self._runtime = runtime
        self._interval = interval
        self._heartbeat = heartbeat
        self._build = build
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self.version = 0
        self.current: WallSnapshot | None = None
        self._json = ""
        self.subscribers = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="wall-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def refresh(self) -> None:
        """Rebuild now (also what the loop does every ``interval``)."""
        topo = topology_summary(self._runtime)
        snap = await asyncio.to_thread(self._build, self._runtime, topo)
        text = snap.model_dump_json()
        if text != self._json:
            async with self._changed:
                self._json, self.current = text, snap
                self.version += 1
                self._changed.notify_all()

    async def _loop(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception as err:  # the wall must outlive a bad read; the next tick retries
                log.error("wall snapshot failed: %s", err)
            await asyncio.sleep(self._interval)

    async def events(self, last_seen: int = 0) -> AsyncIterator[str]:
        """Server-sent events: ``snapshot`` on each new version, ``ping`` between them."""
        self.subscribers += 1
        try:
            if self.current is None:
                await self.refresh()
            sent = last_seen if last_seen == self.version else -1
            last_beat = time.monotonic()
            while True:
                if self.version != sent:
                    sent = self.version
                    yield f"id: {sent}\nevent: snapshot\ndata: {self._json}\n\n"
                    last_beat = time.monotonic()
                timeout = max(0.0, self._heartbeat - (time.monotonic() - last_beat))
                async with self._changed:
                    try:
                        async with asyncio.timeout(timeout):
                            await self._changed.wait()
                    except TimeoutError:
                        yield f"event: ping\ndata: {int(time.time() * 1000)}\n\n"
                        last_beat = time.monotonic()
        finally:
            self.subscribers -= 1
