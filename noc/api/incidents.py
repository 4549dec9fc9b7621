"""Incidents: list and filter; acknowledge, assign, comment, resolve, reopen (all audited).

Operators and on-call engineers act on incidents; managers may also assign; managers and
auditors read; viewers see incidents on the wall only. Every action is recorded by the event
store with the caller as actor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from noc.api.alerting_dep import AlertingDep, store_error
from noc.api.auth import RuntimeDep, require_role
from noc.api.policy import READERS, RESPONDERS, SHIFT, allow
from noc.model.observations import ObjectRef
from noc.store.events import (
    Incident,
    IncidentEvent,
    IncidentStatus,
    LifecycleError,
    NotFoundError,
    Severity,
    User,
)

T = TypeVar("T")
router = APIRouter(tags=["incidents"], dependencies=[allow(READERS)])
Responder = Annotated[User, Depends(require_role(*RESPONDERS))]
Assigner = Annotated[User, Depends(require_role(*SHIFT))]
# In every action the role check comes first, so a refused role gets 403 even when alerting
# is not running here (503).


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Note(_Body):
    text: str = Field("", max_length=4000)


class Comment(_Body):
    text: str = Field(min_length=1, max_length=4000)


class Assignment(_Body):
    assignee: str = Field(min_length=1, max_length=100)


class Resolution(_Body):
    text: str = Field(min_length=1, max_length=4000, description="what was done")
    root_cause: str | None = Field(None, description="kind:id, e.g. device:core-1")


class IncidentDetail(_Body):
    incident: Incident
    events: list[IncidentEvent]


@router.get("/incidents", summary="Incidents, filtered by status, severity, time")
async def list_incidents(
    runtime: RuntimeDep,
    status: IncidentStatus | None = None,
    severity: Annotated[list[Severity] | None, Query()] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    unresolved: bool = False,
) -> list[Incident]:
    found = await asyncio.to_thread(
        runtime.events.incidents.list, status=status, since=since, until=until
    )
    return [
        i
        for i in found
        if (severity is None or i.severity in severity)
        and (not unresolved or i.status is not IncidentStatus.resolved)
    ]


@router.get("/incidents/{incident_id}", summary="One incident and its history")
async def get_incident(runtime: RuntimeDep, incident_id: int) -> IncidentDetail:
    def read() -> IncidentDetail:
        return IncidentDetail(
            incident=runtime.events.incidents.get(incident_id),
            events=runtime.events.incidents.events(incident_id),
        )

    try:
        return await asyncio.to_thread(read)
    except NotFoundError as err:
        raise store_error(err) from None


async def _act(alerting: AlertingDep, incident_id: int, action: str, call: Callable[[], T]) -> T:
    try:
        result = await asyncio.to_thread(call)
    except (NotFoundError, LifecycleError) as err:
        raise store_error(err) from None
    alerting.emit_incident(incident_id, action)
    return result


@router.post("/incidents/{incident_id}/acknowledge", summary="Acknowledge (operator, oncall)")
async def acknowledge(
    user: Responder, runtime: RuntimeDep, alerting: AlertingDep, incident_id: int, body: Note
) -> Incident:
    inc = runtime.events.incidents
    call = partial(inc.acknowledge, incident_id, actor=user.username, text=body.text)
    return await _act(alerting, incident_id, "acknowledged", call)


@router.post("/incidents/{incident_id}/assign", summary="Assign to a person")
async def assign(
    user: Assigner, runtime: RuntimeDep, alerting: AlertingDep, incident_id: int, body: Assignment
) -> Incident:
    inc = runtime.events.incidents
    call = partial(inc.assign, incident_id, body.assignee, actor=user.username)
    return await _act(alerting, incident_id, "assigned", call)


@router.post("/incidents/{incident_id}/comment", summary="Add a note")
async def comment(
    user: Responder, runtime: RuntimeDep, alerting: AlertingDep, incident_id: int, body: Comment
) -> IncidentEvent:
    inc = runtime.events.incidents
    call = partial(inc.comment, incident_id, body.text, actor=user.username)
    return await _act(alerting, incident_id, "commented", call)


@router.post("/incidents/{incident_id}/resolve", summary="Resolve by hand with a note")
async def resolve(
    user: Responder, runtime: RuntimeDep, alerting: AlertingDep, incident_id: int, body: Resolution
) -> Incident:
    try:
        root = ObjectRef.parse(body.root_cause) if body.root_cause else None
    except ValueError:
        raise HTTPException(422, detail="root_cause: write kind:id, e.g. device:core-1") from None
    inc = runtime.events.incidents
    call = partial(inc.resolve, incident_id, actor=user.username, root_cause=root, text=body.text)
    return await _act(alerting, incident_id, "resolved", call)


@router.post("/incidents/{incident_id}/reopen", summary="Reopen a resolved incident")
async def reopen(
    user: Responder, runtime: RuntimeDep, alerting: AlertingDep, incident_id: int, body: Note
) -> Incident:
    inc = runtime.events.incidents
    call = partial(inc.reopen, incident_id, actor=user.username, text=body.text)
    return await _act(alerting, incident_id, "reopened", call)
