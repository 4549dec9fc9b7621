"""The state of one alert (one rule, one object): its condition, ``for``, flapping.

A track is fed observations (already matched to its rule and object) and the time; it returns
the alert's new state when it moved. It holds no I/O and takes every time as an argument.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerting.alert import AlertState
from alerting.rule_model import Condition, Rule


@dataclass
class _Series:
    active: bool = False
    value: float | None = None
    seen: datetime | None = None
    counter: float | None = None  # last raw counter value, for rates
    counter_at: datetime | None = None


@dataclass
class Track:
    rule: Rule
    labels: dict[str, str]
    state: AlertState = AlertState.inactive
    since: datetime | None = None
    fired_at: datetime | None = None
    resolved_at: datetime | None = None
    value: float | None = None
    condition: bool = False
    series: list[dict[str, _Series]] = field(default_factory=list)
    object_state: str | None = None
    changes: deque[datetime] = field(default_factory=deque)
    last_change: datetime | None = None

    def __post_init__(self) -> None:
        self.series = [{} for _ in self.rule.conditions]

    # --- observations -------------------------------------------------------------------------

    def sample(
        self,
        index: int,
        key: str,
        value: float,
        labels: dict[str, str],
        ts: datetime,
        limit: float | None = None,
    ) -> None:
        """One sample of condition ``index``'s series ``key``; ``limit``: a value_metric's."""
        cond = self.rule.conditions[index]
        s = self.series[index].setdefault(key, _Series())
        if s.seen is not None and ts < s.seen:
            # Older than what the series already says: a poll that read the device before a
            # trap and answered after it. Taking it would undo the trap (a false resolve, then
            # a second page at the next poll) and count two changes towards flapping.
            return
        s.seen = ts
        if cond.absent is not None:
            s.active = False
            return
        if cond.enum is not None:
            s.value = value
            s.active = labels.get(cond.enum.label) in cond.enum.in_
            return
        th = cond.threshold
        assert th is not None
        if th.rate:
            prev, prev_at = s.counter, s.counter_at
            s.counter, s.counter_at = value, ts
            if prev is None or prev_at is None or ts <= prev_at or value < prev:
                return  # first sample, or a counter reset: no rate yet
            value = (value - prev) / (ts - prev_at).total_seconds()
        limit = th.limit(labels) if th.value_metric is None else limit
        if limit is None:
            return
        s.value = value
        if s.active and th.clear is not None:
            s.active = th.op.holds(value, th.clear)
        else:
            s.active = th.op.holds(value, limit)

    def restore(
        self,
        state: AlertState,
        since: datetime | None,
        fired_at: datetime | None,
        value: float | None,
    ) -> None:
        self.state, self.since, self.fired_at, self.value = state, since, fired_at, value
        self.condition = state.active
        for cond in self.rule.conditions:
            if cond.state is not None and state.active:
                self.object_state = cond.state.in_[0]  # unchanged until a change says otherwise

    def state_seen(self, new: str) -> None:
        self.object_state = new

    # --- evaluation ---------------------------------------------------------------------------

    def _holds(self, index: int, cond: Condition, now: datetime) -> bool:
        if cond.state is not None:
            return self.object_state in cond.state.in_
        series = self.series[index].values()
        if cond.absent is not None:
            after = cond.absent.after
            return any(s.seen is not None and now - s.seen >= after for s in series)
        return any(s.active for s in series)

    def _evaluate(self, now: datetime) -> bool:
        results = [self._holds(i, c, now) for i, c in enumerate(self.rule.conditions)]
        values = [
            s.value for d in self.series for s in d.values() if s.active and s.value is not None
        ]
        self.value = values[0] if values else self.value
        return all(results) if self.rule.needs_all else any(results)

    def step(self, now: datetime) -> AlertState | None:
        """Re-evaluate at ``now``; return the old state when the alert moved, else None."""
        old = self.state
        cond = self._evaluate(now)
        if cond != self.condition:
            self.condition = cond
            self._changed(now)
        if self.state is AlertState.flapping:
            window = self.rule.flap.window
            if self.last_change is not None and now - self.last_change >= window:
                self.changes.clear()
                self._move(AlertState.firing if cond else AlertState.resolved, now)
        elif self._flapping(now):
            self._move(AlertState.flapping, now)
        elif cond:
            if self.state in (AlertState.inactive, AlertState.resolved):
                pending = self.rule.for_ > timedelta(0)
                self._move(AlertState.pending if pending else AlertState.firing, now)
            due = self.since is not None and now - self.since >= self.rule.for_
            if self.state is AlertState.pending and due:
                self._move(AlertState.firing, now)
        elif self.state is AlertState.pending:
            self._move(AlertState.inactive, now)
        elif self.state is AlertState.firing:
            self._move(AlertState.resolved, now)
        return old if self.state is not old else None

    def _changed(self, now: datetime) -> None:
        self.last_change = now
        self.changes.append(now)

    def _flapping(self, now: datetime) -> bool:
        window = self.rule.flap.window
        while self.changes and now - self.changes[0] > window:
            self.changes.popleft()
        return len(self.changes) >= self.rule.flap.changes

    def _move(self, new: AlertState, now: datetime) -> None:
        if new in (AlertState.firing, AlertState.flapping) and not self.state.active:
            self.fired_at = now
            self.resolved_at = None
        if new is AlertState.resolved:
            self.resolved_at = now
        self.state = new
        self.since = now

    def deadline(self) -> datetime | None:
        """When this track must be looked at again without a new observation, if ever."""
        times: list[datetime] = []
        if self.state is AlertState.pending and self.since is not None:
            times.append(self.since + self.rule.for_)
        if self.state is AlertState.flapping and self.last_change is not None:
            times.append(self.last_change + self.rule.flap.window)
        for i, cond in enumerate(self.rule.conditions):
            if cond.absent is not None:
                for s in self.series[i].values():
                    if s.seen is not None and not self.condition:
                        times.append(s.seen + cond.absent.after)
        return min(times) if times else None
