"""Login rate limiting: repeated failures for a username or from an address lock it out.

After ``max_failures`` failures within ``window`` the key is locked for ``lockout``, doubling
with each further lockout up to ``max_lockout``. A success clears the username's record.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fastapi import HTTPException, status

from noc.clock import Clock


@dataclass
class _Record:
    failures: list[datetime] = field(default_factory=list)
    locked_until: datetime | None = None
    lockouts: int = 0


class LoginLimiter:
    def __init__(
        self,
        clock: Clock,
        *,
        max_failures: int = 5,
        window: timedelta = timedelta(minutes=15),
        lockout: timedelta = timedelta(minutes=1),
        max_lockout: timedelta = timedelta(minutes=30),
    ) -> None:
        self._clock = clock
        self._max = max_failures
        self._window = window
        self._lockout = lockout
        self._max_lockout = max_lockout
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def refuse_if_locked(self, *keys: str, what: str) -> None:
        """429 with Retry-After while any of ``keys`` is locked out (``what`` failed too often)."""
        wait = self.retry_after(*keys)
        if wait > 0:
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"too many {what}: try again in {math.ceil(wait)} s",
                headers={"Retry-After": str(math.ceil(wait))},
            )

    def retry_after(self, *keys: str) -> float:
        """Seconds until a login for these keys may be tried again (0: now)."""
        now = self._clock.now()
        with self._lock:
            waits = [
                (rec.locked_until - now).total_seconds()
                for k in keys
                if (rec := self._records.get(k)) and rec.locked_until and rec.locked_until > now
            ]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = self._clock.now()
        with self._lock:
            for key in keys:
                rec = self._records.setdefault(key, _Record())
                rec.failures = [t for t in rec.failures if now - t < self._window] + [now]
                if len(rec.failures) >= self._max:
                    lock = min(self._lockout * (2**rec.lockouts), self._max_lockout)
                    rec.locked_until = now + lock
                    rec.lockouts += 1
                    rec.failures.clear()

    def succeeded(self, username_key: str) -> None:
        with self._lock:
            self._records.pop(username_key, None)
