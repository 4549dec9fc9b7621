"""Escalation: who is paged as an incident stays unacknowledged, until someone acknowledges.

Step 0 (``after: 0s``) assigns the incident to its first target (the primary on call); the
group notification already paged. Each later step is due ``after`` the incident opened: it is
recorded as an ``escalated`` event (audited) and pages its targets through its channels.
A step counts as done when the incident's ``escalation_level`` reached it; its notification row
is unique per incident and step, so a restart between the two neither repeats nor loses it.
Acknowledged, resolved and muted (planned, silenced) incidents do not escalate.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

from alerting.duration import Duration
from alerting.journal import Journal
from alerting.notified import notified
from alerting.notify.base import NotificationGroup
from alerting.oncall import Rotation
from alerting.people import Contact, emails_of, telegram_chats_of
from noc.store.events import EventStore, Incident, IncidentStatus

ACTOR = "alerting"


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    after: Duration = timedelta(0)
    targets: tuple[str, ...] = Field(min_length=1, description="rotation:NAME or user:NAME")
    channels: tuple[str, ...] = Field((), description="default: every channel")

    @model_validator(mode="after")
    def _targets(self) -> Step:
        for t in self.targets:
            kind, sep, name = t.partition(":")
            if not sep or not name or kind not in ("rotation", "user"):
                raise ValueError(f"target {t!r}: write rotation:NAME or user:NAME")
        return self


def default_steps() -> tuple[Step, ...]:
    return (
        Step(after=timedelta(0), targets=("rotation:primary",)),
        Step(after=timedelta(minutes=15), targets=("rotation:secondary",)),
        Step(after=timedelta(minutes=45), targets=("rotation:manager",)),
    )


class EscalationPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: tuple[Step, ...] = Field(default_factory=default_steps, min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> EscalationPolicy:
        afters = [s.after for s in self.steps]
        if afters != sorted(afters):
            raise ValueError("steps must be in order of their 'after'")
        return self


class Escalator:
    def __init__(
        self,
        events: EventStore,
        journal: Journal,
        policy: EscalationPolicy,
        rotations: Mapping[str, Rotation],
        channels: list[str],
        people: Mapping[str, Contact] | None = None,
    ) -> None:
        self._events = events
        self._journal = journal
        self._policy = policy
        self._rotations = dict(rotations)
        self._channels = channels
        self._people = dict(people or {})

    def targets(self, step: Step, at: datetime) -> list[str]:
        out: list[str] = []
        for t in step.targets:
            kind, _, name = t.partition(":")
            if kind == "user":
                out.append(name)
            elif name in self._rotations:
                out.append(self._rotations[name].on_call(at))
        return out

    def _live(self, at: datetime) -> list[Incident]:
        incidents = self._events.incidents.list(status=IncidentStatus.open)
        out = []
        for inc in incidents:
            record = self._journal.alert(inc.source_alert) if inc.source_alert else None
            if record is not None and record.mute is not None:
                continue  # planned or silenced: nobody is paged
            out.append(inc)
        return out

    def next_deadline(self, at: datetime) -> datetime | None:
        times = []
        for inc in self._live(at):
            step = self._next_step(inc)
            if step is not None:
                times.append(inc.opened_at + self._policy.steps[step].after)
        return min(times) if times else None

    def _next_step(self, inc: Incident) -> int | None:
        if inc.assignee is None:
            return 0
        nxt = inc.escalation_level + 1
        return nxt if nxt < len(self._policy.steps) else None

    def run_due(self, at: datetime) -> list[tuple[int, int]]:
        """Carry out every step that is due; return (incident, step) pairs done."""
        done: list[tuple[int, int]] = []
        for inc in self._live(at):
            for _ in range(len(self._policy.steps)):  # bounded: at most every step once
                index = self._next_step(inc)
                if index is None or inc.opened_at + self._policy.steps[index].after > at:
                    break
                inc = self._carry_out(inc, index, at)
                done.append((inc.id, index))
        return done

    def _carry_out(self, inc: Incident, index: int, at: datetime) -> Incident:
        step = self._policy.steps[index]
        who = self.targets(step, at)
        if index == 0:
            assignee = who[0] if who else "unassigned"
            return self._events.incidents.assign(inc.id, assignee, actor=ACTOR, at=at)
        group = self._page(inc, index, who, at)
        if group is not None:
            channels = list(step.channels) or self._channels
            key = f"escalation/{inc.id}"
            self._journal.enqueue(channels, key, f"step-{index}", group.model_dump_json(), at)
        wait = int(step.after.total_seconds() // 60)
        text = f"not acknowledged after {wait} min: paging {', '.join(who) or 'nobody'}"
        return self._events.incidents.escalate(inc.id, actor=ACTOR, at=at, text=text)

    def _page(
        self, inc: Incident, index: int, who: list[str], at: datetime
    ) -> NotificationGroup | None:
        record = self._journal.alert(inc.source_alert) if inc.source_alert else None
        if record is None:
            return None
        alert = notified(record.alert, inc.id)
        return NotificationGroup(
            group_key=f"escalation/{inc.id}",
            rule=record.alert.rule,
            site=record.alert.site,
            status="firing",
            severity=inc.severity,
            alerts=(alert,),
            created_at=at,
            recipients=tuple(who),
            emails=emails_of(self._people, who),
            telegram_chats=telegram_chats_of(self._people, who),
            escalation_level=index,
        )
