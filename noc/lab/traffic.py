"""Traffic that follows the working day, and counters integrated from it.

Utilisation is ``base * shape(local time)``: a daily wave that peaks mid-afternoon, a
second harmonic for the morning rush, and a few-minute ripple. The shape is a sum of
cosines, so its integral is exact; counters are the integral of the rate, rebased whenever
a fault changes the rate (a surge, a link going down), hence never decreasing.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

DAY = 86_400.0
_W1 = 2 * math.pi / DAY
_W2 = 4 * math.pi / DAY
_PEAK1 = 14 * 3600.0  # 14:00 local
_PEAK2 = 10 * 3600.0  # 10:00 and 22:00 local
A1, A2, A3 = 0.55, 0.15, 0.05
SHAPE_MAX = 1 + A1 + A2 + A3
SHAPE_MIN = 1 - A1 - A2 - A3


@dataclass(frozen=True)
class Curve:
    """Utilisation over time: ``ratio(t)`` for epoch seconds ``t`` (UTC)."""

    base: float  # mean utilisation (0..1)
    tz_offset_s: float  # local time = t + offset
    ripple_period_s: float = 420.0
    ripple_phase: float = 0.0

    @classmethod
    def seeded(cls, seed: str, low: float, high: float, tz_offset_s: float) -> Curve:
        rnd = random.Random(seed)  # noqa: S311 - simulation, not security
        return cls(
            base=rnd.uniform(low, high),
            tz_offset_s=tz_offset_s,
            ripple_period_s=rnd.uniform(240.0, 900.0),
            ripple_phase=rnd.uniform(0.0, 2 * math.pi),
        )

    def ratio(self, t: float) -> float:
        tau = t + self.tz_offset_s
        w3 = 2 * math.pi / self.ripple_period_s
        shape = (
            1
            + A1 * math.cos(_W1 * (tau - _PEAK1))
            + A2 * math.cos(_W2 * (tau - _PEAK2))
            + A3 * math.sin(w3 * tau + self.ripple_phase)
        )
        return self.base * shape

    def integral(self, t0: float, t1: float) -> float:
        """Integral of ``ratio`` from t0 to t1 (ratio-seconds)."""
        a, b = t0 + self.tz_offset_s, t1 + self.tz_offset_s
        w3 = 2 * math.pi / self.ripple_period_s
        total = (b - a) + (A1 / _W1) * (math.sin(_W1 * (b - _PEAK1)) - math.sin(_W1 * (a - _PEAK1)))
        total += (A2 / _W2) * (math.sin(_W2 * (b - _PEAK2)) - math.sin(_W2 * (a - _PEAK2)))
        total += (A3 / w3) * (
            math.cos(w3 * a + self.ripple_phase) - math.cos(w3 * b + self.ripple_phase)
        )
        return self.base * total

    @property
    def peak(self) -> float:
        return self.base * SHAPE_MAX


class FlowCounter:
    """Octets sent one way over a port: the integral of ``capacity * curve * factor``."""

    def __init__(self, curve: Curve, capacity_bps: int, start_octets: int, t0: float):
        self.curve = curve
        self.bytes_per_s = capacity_bps / 8.0
        self._acc = float(start_octets)
        self._since = t0
        self._factor = 1.0

    @property
    def factor(self) -> float:
        return self._factor

    def _value(self, t: float) -> float:
        if t <= self._since or self._factor == 0.0:
            return self._acc
        return self._acc + self._factor * self.bytes_per_s * self.curve.integral(self._since, t)

    def octets(self, t: float) -> int:
        return int(self._value(t)) % 2**64

    def rate_bps(self, t: float) -> float:
        return self._factor * self.curve.ratio(t) * self.bytes_per_s * 8

    def rebase(self, t: float, factor: float) -> None:
        """From ``t`` on the rate is ``factor`` times the curve (0 = nothing flows)."""
        self._acc = self._value(t)
        self._since = max(t, self._since)
        self._factor = factor


class LinearCounter:
    """A counter growing at a constant rate that faults change (errors, discards)."""

    def __init__(self, start: int, t0: float, rate: float = 0.0):
        self._acc = float(start)
        self._since = t0
        self._rate = rate

    def value(self, t: float) -> int:
        return int(self._acc + self._rate * max(0.0, t - self._since)) % 2**64

    def rebase(self, t: float, rate: float) -> None:
        self._acc += self._rate * max(0.0, t - self._since)
        self._since = max(t, self._since)
        self._rate = rate


def surge_factor(curve: Curve, ratio: float) -> float:
    """``ratio`` times the traffic, but never above 98% of the line's capacity."""
    return max(0.0, min(ratio, 0.98 / curve.peak)) if curve.peak > 0 else 0.0
