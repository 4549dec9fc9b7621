"""The server room's temperature: a first-order response to how many cooling units work.

With every CRAC cooling the room sits at its set point (with a small daily wave). Each unit
that stops (``hvac-fail``, or no power during a transfer gap) raises the temperature the
room tends to by RISE_PER_UNIT, approached with time constant TAU_S: the room climbs over
minutes, and cools back the same way once the unit works again.
"""

from __future__ import annotations

import math
from collections.abc import Callable

TAU_S = 600.0
RISE_PER_UNIT_C = 7.0
ROOM_SETPOINT_C = 22.5
DAILY_SWING_C = 0.4

Cooling = Callable[[str, float], bool]  # (unit, t) -> the unit cools at time t
Breaks = Callable[[float, float], list[float]]  # moments in (t0, t1) where power changes


class ThermalModel:
    def __init__(self, units: list[str], t0: float, cooling: Cooling, power_breaks: Breaks):
        self.units = units
        self.failures: dict[str, list[list[float | None]]] = {u: [] for u in units}
        self._cooling = cooling
        self._power_breaks = power_breaks
        self._delta = 0.0
        self._since = t0

    def failed(self, unit: str, t: float) -> bool:
        return any(
            s is not None and s <= t and (e is None or t < e) for s, e in self.failures[unit]
        )

    def not_cooling(self, t: float) -> int:
        return sum(1 for u in self.units if self.failed(u, t) or not self._cooling(u, t))

    def _breaks(self, a: float, b: float) -> list[float]:
        marks = list(self._power_breaks(a, b))
        for spans in self.failures.values():
            for s, e in spans:
                marks.extend(m for m in (s, e) if m is not None and a < m < b)
        return sorted(marks)

    def delta(self, t: float) -> float:
        """Degrees above the set point at time t (t not before the last settle)."""
        value, a = self._delta, self._since
        for b in [*self._breaks(a, t), t]:
            if b <= a:
                continue
            target = RISE_PER_UNIT_C * self.not_cooling((a + b) / 2)
            value = target + (value - target) * math.exp(-(b - a) / TAU_S)
            a = b
        return value

    def settle(self, t: float) -> None:
        if t > self._since:
            self._delta = self.delta(t)
            self._since = t

    def fail(self, unit: str, t: float) -> None:
        self.settle(t)
        self.failures[unit].append([t, None])

    def restore(self, unit: str, t: float) -> None:
        self.settle(t)
        for span in self.failures[unit]:
            if span[1] is None:
                span[1] = t

    def room(self, t: float, tz_offset_s: float) -> float:
        local = (t + tz_offset_s) % 86_400
        wave = DAILY_SWING_C * math.cos(2 * math.pi * (local - 15 * 3600) / 86_400)
        return ROOM_SETPOINT_C + wave + self.delta(t)
