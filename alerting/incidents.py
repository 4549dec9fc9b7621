"""From alert transitions to incidents in the event store (which audits every step).

A firing alert opens an incident, or joins as a symptom the open incident of its root cause,
of its correlation key (one site's power chain) or of its redundancy group (the core pair). An
incident resolves by itself when all its alerts have resolved, and reopens when its alert fires
again within ``reopen_within``. Muted alerts still open incidents: maintenance marks them planned,
a silence says who silenced it; only notification is skipped (see :mod:`alerting.dispatch`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerting.alert import Alert, Transition
from alerting.journal import Journal
from alerting.mute import Mute, MuteKind, anchors, lookup_only
from alerting.topology_view import TopologyView
from noc.store.events import EventStore, Incident, IncidentStatus, LifecycleError, NotFoundError

ACTOR = "alerting"
PLANNED = "[planned] "


@dataclass(frozen=True)
class IncidentStep:
    """What happened to an incident because of one transition."""

    incident_id: int
    action: str  # opened, linked, reopened, resolved, kept


class IncidentManager:
    def __init__(
        self,
        events: EventStore,
        journal: Journal,
        topology: TopologyView,
        *,
        reopen_within: timedelta = timedelta(minutes=30),
    ) -> None:
        self._events = events
        self._journal = journal
        self._topology = topology
        self._reopen_within = reopen_within

    def note(self, incident_id: int, text: str, at: datetime) -> None:
        """A comment by alerting (skipped where the store refuses one)."""
        with contextlib.suppress(LifecycleError):
            self._events.incidents.comment(incident_id, text, actor=ACTOR, at=at)

    def get(self, incident_id: int) -> Incident:
        return self._events.incidents.get(incident_id)

    def open_incident_for(self, anchor: str) -> int | None:
        """The incident registered under ``anchor``, if it is still open (not resolved)."""
        incident_id = self._journal.anchor(anchor)
        if incident_id is None:
            return None
        try:
            incident = self._events.incidents.get(incident_id)
        except NotFoundError:
            return None
        return None if incident.status is IncidentStatus.resolved else incident_id

    def handle(self, t: Transition, mute: Mute | None, current: int | None) -> IncidentStep | None:
        """Apply ``t`` (its alert's incident so far is ``current``); return what was done."""
        alert = t.alert
        if alert.state.active and not t.old.active:
            return self._activate(alert, mute, current, t.at)
        if not alert.state.active and t.old.active and current is not None:
            return self._maybe_resolve(current, alert, t.at)
        return None

    def _activate(
        self, alert: Alert, mute: Mute | None, current: int | None, at: datetime
    ) -> IncidentStep:
        if mute is not None and mute.kind is MuteKind.inhibition:
            target = int(mute.ref.split(":", 1)[1])
            incident = self._events.incidents.get(target)
            if alert.key not in incident.symptom_alerts and alert.key != incident.source_alert:
                # Polls finish out of order: a symptom seen a moment before its root cause's
                # incident opened joins it as of the opening, not before it existed.
                when = max(at, incident.opened_at)
                self._events.incidents.link_alert(target, alert.key, actor=ACTOR, at=when)
            return IncidentStep(target, "linked")
        if current is not None:
            incident = self._events.incidents.get(current)
            if incident.status is not IncidentStatus.resolved:
                return IncidentStep(current, "kept")
            if (
                incident.resolved_at is not None
                and at - incident.resolved_at <= self._reopen_within
            ):
                self._events.incidents.reopen(
                    current, actor=ACTOR, at=at, text=f"{alert.key} is {alert.state.value} again"
                )
                self._register(alert, current)
                return IncidentStep(current, "reopened")
        title = alert.summary.get("en", alert.key)
        text = f"{alert.key} is {alert.state.value}"
        if mute is not None and mute.kind is MuteKind.maintenance:
            title = PLANNED + title
            text = f"planned ({mute.ref}): {mute.reason}"
        incident = self._events.incidents.open(
            title,
            alert.severity,
            actor=ACTOR,
            at=at,
            source_alert=alert.key,
            root_cause=alert.object,
            affected_services=self._topology.affected_services([alert.object]),
            text=text,
        )
        if mute is not None and mute.kind is MuteKind.silence:
            self._events.incidents.comment(
                incident.id, f"not notified ({mute.ref}): {mute.reason}", actor=ACTOR, at=at
            )
        self._register(alert, incident.id)
        return IncidentStep(incident.id, "opened")

    def _register(self, alert: Alert, incident_id: int) -> None:
        keys = [a for a, _ in anchors(alert, self._topology)]
        # Symptoms find the incident by the alert's own object, correlation key and group; the
        # root-cause anchor belongs to the root's own incident, not to this one.
        root = self._topology.root_cause_of(alert.object)
        skip = lookup_only(alert, self._topology)
        own = [k for k in keys if (root is None or k != f"object:{root}") and k not in skip]
        self._journal.set_anchors(own, incident_id)

    def _maybe_resolve(self, incident_id: int, alert: Alert, at: datetime) -> IncidentStep | None:
        incident = self._events.incidents.get(incident_id)
        if incident.status is IncidentStatus.resolved:
            return None
        members = {incident.source_alert, *incident.symptom_alerts} - {None, alert.key}
        for key in members:
            record = self._journal.alert(key) if key else None
            if record is not None and record.alert.state.active:
                return IncidentStep(incident_id, "kept")
        try:
            self._events.incidents.resolve(
                incident_id,
                actor=ACTOR,
                at=max(at, incident.opened_at),  # never before it opened (out-of-order polls)
                text="all its alerts resolved",
            )
        except LifecycleError:
            return None
        return IncidentStep(incident_id, "resolved")
