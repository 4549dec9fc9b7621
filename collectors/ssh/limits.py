"""How many SSH sessions may be open: a global cap, a per-device cap, a bounded thread pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager


class SessionLimits:
    """Created outside the loop; semaphores are made lazily inside it."""

    def __init__(self, max_sessions: int, per_device: int) -> None:
        self.max_sessions = max_sessions
        self.per_device = per_device
        self._global: asyncio.Semaphore | None = None
        self._devices: dict[str, asyncio.Semaphore] = {}
        self._executor: ThreadPoolExecutor | None = None
        self.open_sessions = 0
        self.peak_sessions = 0

    @property
    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self.max_sessions, thread_name_prefix="noc-ssh"
            )
        return self._executor

    @asynccontextmanager
    async def slot(self, device_id: str) -> AsyncIterator[None]:
        if self._global is None:
            self._global = asyncio.Semaphore(self.max_sessions)
        device = self._devices.setdefault(device_id, asyncio.Semaphore(self.per_device))
        async with device, self._global:
            self.open_sessions += 1
            self.peak_sessions = max(self.peak_sessions, self.open_sessions)
            try:
                yield
            finally:
                self.open_sessions -= 1

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
