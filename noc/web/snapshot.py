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
    title: str
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


class WallSnapshot(_View):
    city: str
    timezone: str
    stale: bool
    stale_reason: str
    last_poll_at: datetime | None
    devices_total: int
    devices_by_state: dict[str, int]
    problems: list[DeviceProblem]
    services_total: int
    incidents: list[IncidentCard]
    incidents_by_severity: dict[str, int]
    maintenance: list[MaintenanceCard]
    panels: dict[str, Any]


def _stale(runtime: Runtime, now: datetime) -> tuple[bool, str, datetime | None]:
    pipeline, scheduler = runtime.pipeline, runtime.scheduler
    if scheduler is None or not scheduler.running or pipeline is None:
        return True, "collectors are not running", None
    polls = [r.started_at for r in pipeline.last_result.values()]
    last = max(polls, default=None)
    fastest = min((t.interval for t in runtime.poll_targets()), default=60.0)
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
    cards = []
    for status in (IncidentStatus.open, IncidentStatus.acknowledged):
        for inc in runtime.events.incidents.list(status=status):
            cards.append(
                IncidentCard(
                    id=inc.id,
                    title=inc.title,
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


def build_snapshot(runtime: Runtime) -> WallSnapshot:
    """Read everything the wall shows (synchronous: call it off the event loop)."""
    now = runtime.clock.now()
    states = runtime.pipeline.snapshot() if runtime.pipeline else {}
    by_state = {s.value: 0 for s in DeviceState}
    for d in runtime.inventory.devices:
        by_state[states.get(d.id, DeviceState.unknown.value)] += 1
    incidents = _incidents(runtime)
    by_severity = {s.value: 0 for s in Severity}
    for card in incidents:
        by_severity[card.severity] += 1
    stale, reason, last = _stale(runtime, now)
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
        last_poll_at=last,
        devices_total=len(runtime.inventory.devices),
        devices_by_state=by_state,
        problems=_problems(runtime, states),
        services_total=len(runtime.inventory.services),
        incidents=incidents,
        incidents_by_severity=by_severity,
        maintenance=maintenance,
        panels={},
    )
