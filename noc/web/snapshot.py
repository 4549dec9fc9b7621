"""What the wall shows, as one snapshot built from the runtime's stores and live state.

Nothing here changes every second on its own (ages and countdowns are computed by the page
from timestamps), so two snapshots differ only when something on the wall really changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from noc.model import DeviceState
from noc.runtime import Runtime
from noc.store.events import IncidentStatus, Severity
from noc.web.facility import FacilityPanels, facility_panels
from noc.web.incident_titles import incident_titles

_SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}
_STATE_ORDER = {"down": 0, "unreachable": 1, "unknown": 2, "maintenance": 3}


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeviceProblem(_View):
    id: str
    name: str
    site: str
    site_name: str
    role: str
    state: str
    root_causes: list[str]


class IncidentCard(_View):
    id: int
    title: str  # as stored (English); ``titles`` has it per language
    titles: dict[str, str]
    severity: str
    status: str
    opened_at: datetime
    response_due_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    assignee: str | None
    root_cause: str | None
    affected_services: list[str]


class MaintenanceCard(_View):
    id: int
    target: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    author: str


class ServiceCard(_View):
    id: str
    name: str
    owner: str
    status: str
    components_down: list[str]


class RingCard(_View):
    ring: str
    status: str
    message: str
    sites_cut_off: list[str]


class TopologySummary(_View):
    """The parts of the wall that come from the live topology (read on the event loop)."""

    services_down: list[ServiceCard]
    services_degraded: list[ServiceCard]
    rings: list[RingCard]
    sites_cut_off: list[str]


def topology_summary(runtime: Runtime) -> TopologySummary | None:
    """Call on the event loop: the live topology is updated there."""
    live = runtime.topology
    if live is None:
        return None
    impact = live.impact()

    def card(s: Any) -> ServiceCard:
        return ServiceCard(
            id=s.service,
            name=s.name,
            owner=s.owner,
            status=str(s.status.value),
            components_down=list(s.components_down),
        )

    return TopologySummary(
        services_down=[card(s) for s in impact.services_down],
        services_degraded=[card(s) for s in impact.services_degraded],
        rings=[
            RingCard(
                ring=r.ring,
                status=str(r.status.value),
                message=r.message,
                sites_cut_off=list(r.sites_cut_off),
            )
            for r in live.rings()
        ],
        sites_cut_off=[s.name for s in impact.sites_cut_off],
    )


class WallSnapshot(_View):
    city: str
    timezone: str
    stale: bool
    stale_reason: str
    devices_total: int
    devices_by_state: dict[str, int]
    problems: list[DeviceProblem]
    services_total: int
    services_up: int | None
    services_down: list[ServiceCard]
    services_degraded: list[ServiceCard]
    rings: list[RingCard]
    sites_cut_off: list[str]
    incidents: list[IncidentCard]
    incidents_by_severity: dict[str, int]
    maintenance: list[MaintenanceCard]
    facility: FacilityPanels


def _stale(runtime: Runtime, now: datetime) -> tuple[bool, str, datetime | None]:
    pipeline, scheduler = runtime.pipeline, runtime.scheduler
    if scheduler is None or not scheduler.running or pipeline is None:
        return True, "collectors are not running", None
    polls = [r.started_at for r in pipeline.last_result.values()]
    last = max(polls, default=None)
    fastest = scheduler.fastest_interval or 60.0
    if last is None:
        return False, "", None  # just started: the first polls are on their way
    if now - last > timedelta(seconds=3 * fastest):
        return True, f"no poll result for {int((now - last).total_seconds())} s", last
    return False, "", last


def _problems(runtime: Runtime, states: dict[str, str]) -> list[DeviceProblem]:
    inv = runtime.inventory
    sites = {s.id: s.name for s in inv.sites}
    out: list[DeviceProblem] = []
    for d in inv.devices:
        state = states.get(d.id, DeviceState.unknown.value)
        if state == DeviceState.up.value:
            continue
        roots = runtime.pipeline.root_causes(d.id) if runtime.pipeline else []
        out.append(
            DeviceProblem(
                id=d.id,
                name=d.name,
                site=d.site,
                site_name=sites.get(d.site, d.site),
                role=d.role.value,
                state=state,
                root_causes=roots,
            )
        )
    out.sort(key=lambda p: (_STATE_ORDER.get(p.state, 9), p.site, p.id))
    return out


def _incidents(runtime: Runtime) -> list[IncidentCard]:
    target = runtime.inventory.policy(None).response_time_target
    journal = runtime.alerting.journal if runtime.alerting is not None else None
    cards = []
    for status in (IncidentStatus.open, IncidentStatus.acknowledged):
        for inc in runtime.events.incidents.list(status=status):
            cards.append(
                IncidentCard(
                    id=inc.id,
                    title=inc.title,
                    titles=incident_titles(inc, journal),
                    severity=inc.severity.value,
                    status=inc.status.value,
                    opened_at=inc.opened_at,
                    response_due_at=inc.opened_at + target,
                    acknowledged_at=inc.acknowledged_at,
                    acknowledged_by=inc.acknowledged_by,
                    assignee=inc.assignee,
                    root_cause=str(inc.root_cause) if inc.root_cause else None,
                    affected_services=list(inc.affected_services),
                )
            )
    cards.sort(key=lambda c: (_SEVERITY_ORDER[Severity(c.severity)], c.opened_at))
    return cards


def build_snapshot(runtime: Runtime, topo: TopologySummary | None = None) -> WallSnapshot:
    """Read everything the wall shows (synchronous: call it off the event loop), with the
    live topology's summary taken on the loop beforehand."""
    now = runtime.clock.now()
    states = runtime.pipeline.snapshot() if runtime.pipeline else {}
    by_state = {s.value: 0 for s in DeviceState}
    for d in runtime.inventory.devices:
        by_state[states.get(d.id, DeviceState.unknown.value)] += 1
    incidents = _incidents(runtime)
    by_severity = {s.value: 0 for s in Severity}
    for card in incidents:
        by_severity[card.severity] += 1
    stale, reason, _last = _stale(runtime, now)
    maintenance = [
        MaintenanceCard(
            id=w.id,
            target=str(w.target),
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            reason=w.reason,
            author=w.author,
        )
        for w in runtime.events.maintenance.active(now)
    ]
    return WallSnapshot(
        city=runtime.inventory.city,
        timezone=runtime.inventory.settings.timezone,
        stale=stale,
        stale_reason=reason,
        devices_total=len(runtime.inventory.devices),
        devices_by_state=by_state,
        problems=_problems(runtime, states),
        services_total=len(runtime.inventory.services),
        services_up=None
        if topo is None
        else len(runtime.inventory.services) - len(topo.services_down),
        services_down=[] if topo is None else topo.services_down,
        services_degraded=[] if topo is None else topo.services_degraded,
        rings=[] if topo is None else topo.rings,
        sites_cut_off=[] if topo is None else topo.sites_cut_off,
        incidents=incidents,
        incidents_by_severity=by_severity,
        maintenance=maintenance,
        facility=facility_panels(runtime, now),
    )
