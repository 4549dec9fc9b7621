"""The wall's live feed: alert, incident and state changes, fanned out to every subscriber.

``publish`` may be called from any thread (alerting applies transitions in a worker thread);
each subscriber has a bounded queue, and one that falls behind is dropped with an ``overflow``
event rather than slowing alerting down. The last ``backlog`` events are kept so a client that
reconnects with ``Last-Event-ID`` misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FeedEvent:
    id: int
    kind: str  # alert, incident, state, overflow
    data: dict[str, Any]

    def sse(self) -> str:
        body = json.dumps(self.data, separators=(",", ":"), default=str)
        return f"id: {self.id}\nevent: {self.kind}\ndata: {body}\n\n"


_END = FeedEvent(0, "overflow", {"detail": "too slow: reconnect with Last-Event-ID"})


class FeedHub:
    def __init__(self, *, backlog: int = 1000, queue_size: int = 1000) -> None:
        self._lock = threading.Lock()
        self._backlog: deque[FeedEvent] = deque(maxlen=backlog)
        self._seq = 0
        self._queue_size = queue_size
        self._subscribers: set[asyncio.Queue[FeedEvent]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop that serves subscribers (the app's)."""
        self._loop = loop

    def publish(self, kind: str, data: dict[str, Any]) -> FeedEvent:
        with self._lock:
            self._seq += 1
            event = FeedEvent(self._seq, kind, data)
            self._backlog.append(event)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                self._fan_out(event)
            else:
                with contextlib.suppress(RuntimeError):  # the loop is shutting down
                    loop.call_soon_threadsafe(self._fan_out, event)
        return event

    def _fan_out(self, event: FeedEvent) -> None:
        for q in list(self._subscribers):
            try:
                q.put_nowait(event)
            except asyncio.QueueFull:
                self._subscribers.discard(q)
                with contextlib.suppress(asyncio.QueueFull):
                    q.get_nowait()
                    q.put_nowait(_END)

    def replay(self, after: int) -> list[FeedEvent]:
        with self._lock:
            return [e for e in self._backlog if e.id > after]

    async def subscribe(
        self, after: int | None = None, *, heartbeat: float = 15.0
    ) -> AsyncIterator[FeedEvent | None]:
        """Events after ``after`` (backlog first), then live ones; None is a heartbeat tick."""
        if self._loop is None:
            self.bind(asyncio.get_running_loop())
        q: asyncio.Queue[FeedEvent] = asyncio.Queue(self._queue_size)
        self._subscribers.add(q)
        try:
            last = 0
            for e in self.replay(after) if after is not None else []:
                last = e.id
                yield e
            while True:
                try:
                    async with asyncio.timeout(heartbeat):  # not wait_for (3.11 cancellation)
                        e = await q.get()
                except TimeoutError:
                    yield None
                    continue
                if e is _END:
                    yield e
                    return
                if e.id > last:
                    last = e.id
                    yield e
        finally:
            self._subscribers.discard(q)
