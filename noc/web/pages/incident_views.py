"""What the incident pages show: incidents with their alerts, mutes, countdowns, notifications.

Incidents come from the event store; their alerts (state, summary in id/en, mute and its
reason) and notifications from alerting's journal when alerting runs in this process.
Synchronous: call off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerting.journal import AlertRecord, Journal
from alerting.mute import MuteKind
from alerting.notify.base import NotificationGroup
from noc.runtime import Runtime
from noc.store.events import Incident, IncidentEvent, IncidentStatus, Role, Severity, User
from noc.web.incident_titles import incident_titles
from noc.web.pages.inventory_state import StateBook

PAGE_SIZE = 25
ACTING_ROLES = frozenset({Role.operator, Role.oncall, Role.admin})
ASSIGNING_ROLES = ACTING_ROLES | {Role.manager}  # as the API allows: a manager hands work out
_SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}


@dataclass(frozen=True)
class Notification:
    channel: str
    status: str  # pending, sent, failed
    attempts: int
    title: str
    next_attempt_at: datetime
    last_error: str | None


@dataclass
class IncidentRow:
    incident: Incident
    title: str  # in the page's language (noc.web.incident_titles)
    due_at: datetime  # the response target: opened_at + policy's response time
    overdue: bool  # unacknowledged past the target (a breach)
    response: timedelta | None  # acknowledged_at - opened_at
    muted: str | None  # maintenance | silence | inhibition: why nobody was paged
    alerts: list[AlertRecord] = field(default_factory=list)


def duration_text(delta: timedelta, lang: str) -> str:
    """``2 h 5 min`` (en) / ``2 jam 5 mnt`` (id); under a minute in seconds."""
    total = int(abs(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    words = ("hari", "jam", "mnt", "dtk") if lang == "id" else ("d", "h", "min", "s")
    if days:
        return f"{days} {words[0]} {hours} {words[1]}"
    if hours:
        return f"{hours} {words[1]} {minutes} {words[2]}"
    if minutes:
        return f"{minutes} {words[2]}"
    return f"{seconds} {words[3]}"


def _alerts_by_incident(journal: Journal | None) -> dict[int, list[AlertRecord]]:
    out: dict[int, list[AlertRecord]] = {}
    if journal is None:
        return out
    for rec in journal.alerts():
        if rec.incident_id is not None:
            out.setdefault(rec.incident_id, []).append(rec)
    return out


def _muted(incident: Incident, alerts: list[AlertRecord]) -> str | None:
    kinds = {r.mute.kind for r in alerts if r.mute is not None}
    source = [r for r in alerts if r.alert.key == incident.source_alert and r.mute is not None]
    if source and source[0].mute is not None:
        return source[0].mute.kind.value
    for kind in (MuteKind.maintenance, MuteKind.silence, MuteKind.inhibition):
        if kind in kinds:
            return kind.value
    return None


def row(
    runtime: Runtime,
    journal: Journal | None,
    incident: Incident,
    alerts: list[AlertRecord],
    lang: str,
    now: datetime,
) -> IncidentRow:
    target = runtime.inventory.policy(None).response_time_target
    due = incident.opened_at + target
    acked = incident.acknowledged_at
    return IncidentRow(
        incident=incident,
        title=incident_titles(incident, journal)[lang],
        due_at=due,
        overdue=acked is None and incident.status is not IncidentStatus.resolved and now > due,
        response=None if acked is None else acked - incident.opened_at,
        muted=_muted(incident, alerts),
        alerts=sorted(alerts, key=lambda r: r.alert.key),
    )


@dataclass(frozen=True)
class IncidentList:
    unresolved: list[IncidentRow]
    resolved: list[IncidentRow]
    resolved_total: int
    page: int
    pages: int


def incident_list(
    runtime: Runtime,
    journal: Journal | None,
    lang: str,
    *,
    status: IncidentStatus | None,
    severity: Severity | None,
    page: int,
) -> IncidentList:
    now = runtime.clock.now()
    alerts = _alerts_by_incident(journal)
    found = [
        i
        for i in runtime.events.incidents.list(status=status)
        if severity is None or i.severity is severity
    ]
    unresolved = [i for i in found if i.status is not IncidentStatus.resolved]
    unresolved.sort(key=lambda i: (_SEVERITY_ORDER[i.severity], i.opened_at))
    resolved = [i for i in found if i.status is IncidentStatus.resolved]
    resolved.sort(key=lambda i: i.resolved_at or i.opened_at, reverse=True)
    pages = max(1, -(-len(resolved) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = resolved[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return IncidentList(
        unresolved=[row(runtime, journal, i, alerts.get(i.id, []), lang, now) for i in unresolved],
        resolved=[row(runtime, journal, i, alerts.get(i.id, []), lang, now) for i in shown],
        resolved_total=len(resolved),
        page=page,
        pages=pages,
    )


@dataclass(frozen=True)
class IncidentDetail:
    row: IncidentRow
    events: list[IncidentEvent]
    symptoms: list[str]  # symptom alert keys not (or no longer) in the journal
    notifications: list[Notification] | None  # None: alerting does not run here
    assignees: list[User]
    services: list[tuple[str, str, str]]  # (service id, name, its state now) affected


def _notifications(journal: Journal, incident_id: int, lang: str) -> list[Notification]:
    out = []
    for n in journal.notifications():
        try:
            group = NotificationGroup.model_validate_json(n.payload)
        except ValueError:
            continue
        if any(a.incident_id == incident_id for a in group.alerts):
            out.append(
                Notification(
                    n.channel,
                    n.status,
                    n.attempts,
                    group.title(lang),
                    n.next_attempt_at,
                    n.last_error,
                )
            )
    return out


def incident_detail(
    runtime: Runtime, journal: Journal | None, incident_id: int, lang: str
) -> IncidentDetail:
    """Raises :class:`~noc.store.events.NotFoundError` for an unknown id."""
    now = runtime.clock.now()
    incident = runtime.events.incidents.get(incident_id)
    alerts = _alerts_by_incident(journal).get(incident_id, [])
    wanted = {incident.source_alert, *incident.symptom_alerts} - {None}
    if journal is not None:
        known = {r.alert.key for r in alerts}
        for key in sorted(k for k in wanted if k and k not in known):
            rec = journal.alert(key)
            if rec is not None:
                alerts.append(rec)
    listed = {r.alert.key for r in alerts}
    names = {s.id: s.name for s in runtime.inventory.services}
    book = StateBook(runtime, now)
    return IncidentDetail(
        row=row(runtime, journal, incident, alerts, lang, now),
        events=runtime.events.incidents.events(incident_id),
        symptoms=sorted(k for k in incident.symptom_alerts if k not in listed),
        notifications=None if journal is None else _notifications(journal, incident_id, lang),
        assignees=[
            u for u in runtime.events.users.list() if not u.disabled and u.role in ACTING_ROLES
        ],
        services=[(s, names.get(s, s), book.service(s)[0]) for s in incident.affected_services],
    )
