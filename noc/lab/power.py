"""Utility power, the genset, the ATS and the UPS batteries over a ``utility-fail``.

The sequence after the utility fails at F: the ATS loses source A at once and the UPSes go
to battery; the genset is running and available at F + genset_delay; the ATS transfers to
source B (the genset) transfer_delay later and the UPSes are back on normal (the rectifier
fed by the genset), recharging. When the utility returns the ATS goes back to source A and
the genset runs a cool-down before it stops. Everything is a function of time: the known
switch-over moments split the battery's charge into linear pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

FULL_LOAD_RUNTIME_S = 540.0  # battery runtime at 100% load
RECHARGE_PCT_PER_S = 100.0 / (3 * 3600)  # flat to full in three hours
COOLDOWN_S = 120.0
LOW_BATTERY_PCT = 25.0
FUEL_PCT_PER_RUN_S = 5.0 / 3600


@dataclass
class Outage:
    start: float
    genset_delay_s: float
    transfer_delay_s: float
    genset_starts: bool = True
    end: float | None = None

    @property
    def genset_up(self) -> float | None:
        return self.start + self.genset_delay_s if self.genset_starts else None

    @property
    def transfer(self) -> float | None:
        up = self.genset_up
        return None if up is None else up + self.transfer_delay_s


class PowerModel:
    def __init__(self, t0: float, ups_loads: dict[str, float]):
        self.ups_loads = ups_loads  # UPS id -> load ratio (0..1)
        self.outages: list[Outage] = []
        self._charge = {ups: 100.0 for ups in ups_loads}
        self._since = t0

    # -- what is happening at time t --

    def current(self) -> Outage | None:
        last = self.outages[-1] if self.outages else None
        return last if last is not None and last.end is None else None

    def _at(self, t: float) -> Outage | None:
        for o in reversed(self.outages):
            if o.start <= t and (o.end is None or t < o.end):
                return o
        return None

    def mains_ok(self, t: float) -> bool:
        return self._at(t) is None

    def ats_source(self, t: float) -> str | None:
        """``"A"`` (utility), ``"B"`` (genset) or None (no source: the transfer gap)."""
        o = self._at(t)
        if o is None:
            return "A"
        return "B" if o.transfer is not None and t >= o.transfer else None

    def genset_running(self, t: float) -> bool:
        for o in reversed(self.outages):
            up = o.genset_up
            if up is None or t < up:
                continue
            stop = None if o.end is None else max(o.end, up) + COOLDOWN_S
            if stop is None or t < stop:
                return True
        return False

    def genset_failed(self, t: float) -> bool:
        o = self._at(t)
        return o is not None and not o.genset_starts and t >= o.start + o.genset_delay_s

    def on_battery(self, t: float) -> bool:
        return self.ats_source(t) is None

    def seconds_on_battery(self, t: float) -> float:
        o = self._at(t)
        return t - o.start if o is not None and self.on_battery(t) else 0.0

    def run_seconds(self, t: float) -> float:
        total = 0.0
        for o in self.outages:
            up = o.genset_up
            if up is None or t <= up:
                continue
            stop = t if o.end is None else min(t, max(o.end, up) + COOLDOWN_S)
            total += max(0.0, stop - up)
        return total

    # -- batteries --

    def _breaks(self, t0: float, t1: float) -> list[float]:
        marks = []
        for o in self.outages:
            for m in (o.start, o.transfer, o.end):
                if m is not None and t0 < m < t1:
                    marks.append(m)
        return sorted(marks)

    def charge(self, ups: str, t: float) -> float:
        """Battery charge (%) of ``ups`` at time t (t not before the last settle)."""
        value = self._charge[ups]
        a = self._since
        for b in [*self._breaks(a, t), t]:
            if b <= a:
                continue
            mid = (a + b) / 2
            if self.on_battery(mid):
                load = max(self.ups_loads[ups], 0.05)
                value -= (b - a) * 100.0 * load / FULL_LOAD_RUNTIME_S
            else:
                value += (b - a) * RECHARGE_PCT_PER_S
            value = max(0.0, min(100.0, value))
            a = b
        return value

    def runtime_s(self, ups: str, t: float) -> float:
        load = max(self.ups_loads[ups], 0.05)
        return self.charge(ups, t) / 100.0 * FULL_LOAD_RUNTIME_S / load

    def settle(self, t: float) -> None:
        for ups in self._charge:
            self._charge[ups] = self.charge(ups, t)
        self._since = max(self._since, t)

    # -- faults --

    def fail(self, t: float, genset_delay_s: float, transfer_delay_s: float, starts: bool) -> None:
        self.settle(t)
        self.outages.append(Outage(t, genset_delay_s, transfer_delay_s, starts))

    def restore(self, t: float) -> None:
        self.settle(t)
        current = self.current()
        if current is not None:
            current.end = t

    def moments(self) -> list[tuple[float, str]]:
        """The scheduled moments of the current outage: (time, what)."""
        o = self.current()
        if o is None:
            return []
        out = [(o.start + o.genset_delay_s, "genset_start" if o.genset_starts else "genset_fail")]
        if o.transfer is not None:
            out.append((o.transfer, "ats_transfer"))
        return out
