"""Counter rates between polls, with 32/64-bit wrap and reset detection.

State lives here, per device and series. A reboot (sysUpTime went backwards) or a counter
that went backwards further than a single wrap explains yields no rate for that poll, never
a spike; the next poll measures from the new base.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _DeviceState:
    uptime: float | None = None
    counters: dict[str, tuple[int, float]] = field(default_factory=dict)


def counter_delta(prev: int, now: int, bits: int, dt: float, max_rate: float | None) -> int | None:
    """How much a counter advanced from ``prev`` to ``now``; None when it was reset.

    Going backwards is a wrap only when the wrapped advance is under half the counter's range
    and (when ``max_rate`` is known) no faster than ``max_rate`` per second; otherwise the
    counter was reset (reboot, cleared counters) and the advance is unknown.
    """
    if now >= prev:
        return now - prev
    wrapped = now + (1 << bits) - prev
    if wrapped >= 1 << (bits - 1):
        return None
    if max_rate is not None and dt > 0 and wrapped / dt > max_rate * 1.1:
        return None
    return wrapped


class RateTracker:
    """Remembers the last raw value of every counter series of every device."""

    def __init__(self) -> None:
        self._devices: dict[str, _DeviceState] = {}

    def observe_uptime(self, device: str, uptime_seconds: float | None) -> bool:
        """Record the device's uptime; True when it restarted since the last poll."""
        st = self._devices.setdefault(device, _DeviceState())
        rebooted = (
            uptime_seconds is not None and st.uptime is not None and uptime_seconds < st.uptime
        )
        if rebooted:
            st.counters.clear()
        if uptime_seconds is not None:
            st.uptime = uptime_seconds
        return rebooted

    def rate(
        self,
        device: str,
        series: str,
        raw: int,
        ts: float,
        *,
        bits: int = 64,
        max_rate: float | None = None,
    ) -> float | None:
        """Per-second rate of ``series`` since its last value, or None (first poll, reset)."""
        st = self._devices.setdefault(device, _DeviceState())
        prev = st.counters.get(series)
        st.counters[series] = (raw, ts)
        if prev is None:
            return None
        prev_raw, prev_ts = prev
        dt = ts - prev_ts
        if dt <= 0:
            return None
        delta = counter_delta(prev_raw, raw, bits, dt, max_rate)
        return None if delta is None else delta / dt

    def forget(self, device: str, keep: set[str] | None = None) -> None:
        """Drop a device's state, or only the series not in ``keep``."""
        if keep is None:
            self._devices.pop(device, None)
            return
        st = self._devices.get(device)
        if st is not None:
            st.counters = {k: v for k, v in st.counters.items() if k in keep}
