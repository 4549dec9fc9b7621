"""A small city and an alerting service on a ManualClock, for the scenario tests.

The notifier here records groups (a fake behind the Notifier seam); every real channel passes
the same seam in its own test against a real peer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alerting.config import AlertingConfig, Grouping
from alerting.notify.base import NotificationGroup, Outcome
from alerting.service import AlertingService
from alerting.topology_view import ReachabilityTopology
from alerting.wiring import build_alerting
from noc.clock import ManualClock
from noc.model import ObjectKind, ObjectRef, Sample, StateChange
from noc.store.events import EventStore, open_event_store
from topology.reachability import ReachabilityTracker

T0 = datetime(2026, 10, 1, tzinfo=UTC)

DEPENDS = {
    "core-1": [],
    "core-2": [],
    "dist-1": ["core-1", "core-2"],
    "dist-2": ["core-1", "core-2"],
    "dist-3": ["core-1", "core-2"],
    "acc-1": ["dist-1"],
}
SITES = {
    "core-1": "dc",
    "core-2": "dc",
    "dist-1": "district-a",
    "dist-2": "district-b",
    "dist-3": "district-c",
    "acc-1": "agency-1",
    "ups-1": "dc",
    "ups-2": "dc",
    "ats-1": "dc",
    "gen-1": "dc",
    "env-1": "dc",
}
LINK_RINGS = {"r1-1": "R1", "r1-2": "R1", "r1-3": "R1"}
SERVICES = {"population-registry": ["device:core-1", "device:dist-1"]}


@dataclass
class RecordingNotifier:
    name: str = "recorder"
    groups: list[NotificationGroup] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # next outcomes to return, then ok

    async def notify(self, group: NotificationGroup) -> Outcome:
        outcome = self.outcomes.pop(0) if self.outcomes else Outcome.ok()
        if outcome.kind.value == "ok":
            self.groups.append(group)
        return outcome


@dataclass
class City:
    clock: ManualClock
    events: EventStore
    tracker: ReachabilityTracker
    service: AlertingService
    notifier: RecordingNotifier
    tmp: Path

    def at(self, seconds: float) -> datetime:
        when = T0 + timedelta(seconds=seconds)
        if when > self.clock.now():
            self.clock.set(when)
        return when

    async def sample(
        self, seconds: float, metric: str, device: str, value: float, **labels: str
    ) -> None:
        ts = self.at(seconds)
        await self.service.on_samples(
            [Sample(metric=metric, labels={"device": device, **labels}, value=value, ts=ts)]
        )
        await self.service.run_due()

    async def answer(self, seconds: float, device: str, answered: bool) -> list[StateChange]:
        ts = self.at(seconds)
        changes = self.tracker.observe(device, answered, ts)
        self.events.state_changes.append_many(changes)
        await self.service.on_states(changes)
        await self.service.run_due()
        return changes

    async def state(self, seconds: float, obj: str, old: str, new: str) -> None:
        ts = self.at(seconds)
        change = StateChange(object=ObjectRef.parse(obj), old=old, new=new, ts=ts)
        await self.service.on_states([change])
        await self.service.run_due()

    async def idle(self, until_seconds: float, step: float = 5.0) -> None:
        """Let time pass with no observation, running the timers every ``step`` seconds."""
        t = (self.clock.now() - T0).total_seconds()
        while t < until_seconds:
            t = min(t + step, until_seconds)
            self.at(t)
            await self.service.run_due()

    def sent(self) -> list[tuple[str, str, tuple[str, ...]]]:
        return [
            (g.group_key, g.status, tuple(f"{a.key}={a.state}" for a in g.alerts))
            for g in self.notifier.groups
        ]

    def close(self) -> None:
        self.service.journal.close()
        self.events.close()


def device(ident: str) -> ObjectRef:
    return ObjectRef(kind=ObjectKind.device, id=ident)


def build_city(
    tmp: Path,
    clock: ManualClock | None = None,
    *,
    notifier: RecordingNotifier | None = None,
    tracker: ReachabilityTracker | None = None,
    wait: timedelta = timedelta(seconds=30),
    config: AlertingConfig | None = None,
) -> City:
    clock = clock or ManualClock(T0)
    events = open_event_store(tmp / "events.sqlite", clock)
    tracker = tracker or ReachabilityTracker(DEPENDS)
    topology = ReachabilityTopology(SITES, DEPENDS, SERVICES, tracker.root_causes, LINK_RINGS)
    notifier = notifier or RecordingNotifier()
    grouping = Grouping(wait=wait, interval=timedelta(minutes=5))
    config = (config or AlertingConfig()).model_copy(update={"group": grouping})
    service = build_alerting(
        events, clock, topology, config, tmp / "alerting.sqlite", notifiers={"rec": notifier}
    )
    service.restore()
    return City(clock, events, tracker, service, notifier, tmp)


def all_up(city: City) -> Iterator[StateChange]:
    for dev in DEPENDS:
        yield from city.tracker.observe(dev, True, city.clock.now())
