"""Response time of incidents, compliance with the target, breaches, MTTR and counts.

Response time = ``acknowledged_at - opened_at``. An incident's target is the strictest
``response_time_target`` among the policies of the services it affects (the default policy when
it names none). It *complies* when acknowledged within the target; it is a *breach* when
acknowledged later, or still unacknowledged more than the target after it opened (as of
``as_of``); an unacknowledged incident still within its target is *pending* and counts in
neither. Compliance = compliant / (compliant + breaches); 1 when there is neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from sla.catalog import SlaCatalog
from sla.history import IncidentFacts

SEVERITIES = ("critical", "major", "minor", "warning", "info")


class Verdict(StrEnum):
    compliant = "compliant"
    breach = "breach"
    pending = "pending"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IncidentResponse(_Model):
    id: int
    title: str
    severity: str
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    root_cause: str | None
    affected_services: tuple[str, ...]
    target: timedelta
    response: timedelta | None  # None while unacknowledged
    verdict: Verdict
    repair: timedelta | None  # resolved_at - opened_at


class ResponseStats(_Model):
    count: int = 0
    acknowledged: int = 0
    resolved: int = 0
    compliant: int = 0
    breaches: int = 0
    pending: int = 0
    compliance: float = 1.0
    mean_response: timedelta | None = None
    max_response: timedelta | None = None
    mttr: timedelta | None = None  # mean time to repair (resolved incidents)


class ResponseReport(_Model):
    incidents: tuple[IncidentResponse, ...]
    overall: ResponseStats
    by_severity: dict[str, ResponseStats]


def target_of(incident: IncidentFacts, catalog: SlaCatalog) -> timedelta:
    policies = []
    for sid in incident.affected_services:
        svc = catalog.service(sid if ":" in sid else f"service:{sid}")
        policies.append(catalog.policy(svc.policy if svc else None))
    if not policies:
        policies.append(catalog.policy(None))
    return min(p.response_time_target for p in policies)


def assess(incident: IncidentFacts, catalog: SlaCatalog, as_of: datetime) -> IncidentResponse:
    target = target_of(incident, catalog)
    response = None
    if incident.acknowledged_at is not None:
        response = incident.acknowledged_at - incident.opened_at
        verdict = Verdict.compliant if response <= target else Verdict.breach
    elif as_of - incident.opened_at > target:
        verdict = Verdict.breach
    else:
        verdict = Verdict.pending
    repair = None if incident.resolved_at is None else incident.resolved_at - incident.opened_at
    return IncidentResponse(
        id=incident.id,
        title=incident.title,
        severity=incident.severity,
        opened_at=incident.opened_at,
        acknowledged_at=incident.acknowledged_at,
        acknowledged_by=incident.acknowledged_by,
        resolved_at=incident.resolved_at,
        root_cause=incident.root_cause,
        affected_services=incident.affected_services,
        target=target,
        response=response,
        verdict=verdict,
        repair=repair,
    )


def _mean(values: list[timedelta]) -> timedelta | None:
    return sum(values, timedelta()) / len(values) if values else None


def stats(items: Iterable[IncidentResponse]) -> ResponseStats:
    rows = list(items)
    responses = [r.response for r in rows if r.response is not None]
    repairs = [r.repair for r in rows if r.repair is not None]
    compliant = sum(r.verdict is Verdict.compliant for r in rows)
    breaches = sum(r.verdict is Verdict.breach for r in rows)
    judged = compliant + breaches
    return ResponseStats(
        count=len(rows),
        acknowledged=len(responses),
        resolved=len(repairs),
        compliant=compliant,
        breaches=breaches,
        pending=len(rows) - judged,
        compliance=compliant / judged if judged else 1.0,
        mean_response=_mean(responses),
        max_response=max(responses) if responses else None,
        mttr=_mean(repairs),
    )


def response_report(
    incidents: Iterable[IncidentFacts],
    catalog: SlaCatalog,
    start: datetime,
    end: datetime,
    as_of: datetime,
    service: str | None = None,
) -> ResponseReport:
    """Incidents opened in ``[start, end)`` (affecting ``service`` when given), judged at
    ``as_of``."""
    chosen = [
        i
        for i in incidents
        if start <= i.opened_at < end
        and (
            service is None
            or service in {s if ":" in s else f"service:{s}" for s in i.affected_services}
        )
    ]
    rows = tuple(
        assess(i, catalog, as_of) for i in sorted(chosen, key=lambda i: (i.opened_at, i.id))
    )
    by = {sev: stats(r for r in rows if r.severity == sev) for sev in SEVERITIES}
    return ResponseReport(
        incidents=rows,
        overall=stats(rows),
        by_severity={k: v for k, v in by.items() if v.count},
    )
