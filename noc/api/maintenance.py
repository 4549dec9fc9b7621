"""Maintenance windows (planned work: not notified, excluded from SLA) and silences.

Creating and ending them is an operator's (or on-call's, manager's) action, audited by the
event store with the caller as author.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator

from alerting.mute import window_active, window_zone
from noc.api.alerting_dep import store_error
from noc.api.auth import RuntimeDep, require_role
from noc.api.policy import READERS, RESPONDERS, SHIFT, allow
from noc.model.observations import ObjectRef
from noc.store.event_models import MAINTENANCE_TARGETS
from noc.store.events import (
    LifecycleError,
    MaintenanceWindow,
    Matcher,
    NotFoundError,
    Silence,
    User,
)

router = APIRouter(tags=["maintenance and silences"], dependencies=[allow(READERS)])
Planner = Annotated[User, Depends(require_role(*SHIFT))]
Silencer = Annotated[User, Depends(require_role(*RESPONDERS))]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewWindow(_Body):
    target: str = Field(description="device:ID, site:ID or service:ID")
    starts_at: datetime
    ends_at: datetime
    reason: str = Field(min_length=1, max_length=1000)
    recurrence: str | None = Field(None, description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU")

    @model_validator(mode="after")
    def _check(self) -> NewWindow:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("give times with their offset (e.g. +07:00)")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        ref = ObjectRef.parse(self.target)
        if ref.kind not in MAINTENANCE_TARGETS:
            raise ValueError("a maintenance window targets a device, a site or a service")
        if self.recurrence is not None:
            from dateutil.rrule import rrulestr

            try:
                rrulestr(self.recurrence, dtstart=self.starts_at)
            except (ValueError, TypeError) as e:
                raise ValueError(f"recurrence is not an RRULE: {e}") from None
        return self


class NewSilence(_Body):
    matchers: list[Matcher] = Field(min_length=1)
    starts_at: datetime
    ends_at: datetime
    reason: str = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _check(self) -> NewSilence:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("give times with their offset (e.g. +07:00)")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


@router.get("/maintenance", summary="Maintenance windows (active only with ?active=true)")
async def list_windows(runtime: RuntimeDep, active: bool = False) -> list[MaintenanceWindow]:
    windows = await asyncio.to_thread(runtime.events.maintenance.list)
    if active:
        now = runtime.clock.now()
        inventory = runtime.inventory
        windows = [w for w in windows if window_active(w, now, window_zone(inventory, w))]
    return windows


@router.post("/maintenance", status_code=201, summary="Plan a maintenance window")
async def create_window(runtime: RuntimeDep, user: Planner, body: NewWindow) -> MaintenanceWindow:
    return await asyncio.to_thread(
        runtime.events.maintenance.create,
        ObjectRef.parse(body.target),
        body.starts_at,
        body.ends_at,
        author=user.username,
        reason=body.reason,
        recurrence=body.recurrence,
    )


@router.post("/maintenance/{window_id}/cancel", summary="End a window now")
async def cancel_window(runtime: RuntimeDep, user: Planner, window_id: int) -> MaintenanceWindow:
    try:
        return await asyncio.to_thread(
            runtime.events.maintenance.cancel, window_id, actor=user.username
        )
    except (NotFoundError, LifecycleError) as err:
        raise store_error(err) from None


@router.get("/silences", summary="Silences (active unless ?include_expired=true)")
async def list_silences(runtime: RuntimeDep, include_expired: bool = False) -> list[Silence]:
    return await asyncio.to_thread(runtime.events.silences.list, include_expired=include_expired)


@router.post("/silences", status_code=201, summary="Silence alerts matching every matcher")
async def create_silence(runtime: RuntimeDep, user: Silencer, body: NewSilence) -> Silence:
    if not body.reason.strip():
        raise HTTPException(422, detail="reason: say why")
    return await asyncio.to_thread(
        runtime.events.silences.create,
        body.matchers,
        body.starts_at,
        body.ends_at,
        author=user.username,
        reason=body.reason,
    )


@router.post("/silences/{silence_id}/expire", summary="End a silence now")
async def expire_silence(runtime: RuntimeDep, user: Silencer, silence_id: int) -> Silence:
    try:
        return await asyncio.to_thread(
            runtime.events.silences.expire, silence_id, actor=user.username
        )
    except (NotFoundError, LifecycleError) as err:
        raise store_error(err) from None
