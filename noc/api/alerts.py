"""Alerts as alerting last recorded them, with the mute that applied and the incident."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from alerting.alert import AlertState
from alerting.journal import AlertRecord
from noc.api.alerting_dep import AlertingDep
from noc.api.policy import READERS, allow
from noc.store.events import Severity

router = APIRouter(tags=["alerts"], dependencies=[allow(READERS)])


@router.get("/alerts", summary="Alerts, with mute reason and incident (active by default)")
async def list_alerts(
    alerting: AlertingDep,
    state: Annotated[list[AlertState] | None, Query()] = None,
    severity: Annotated[list[Severity] | None, Query()] = None,
    rule: str | None = None,
    site: str | None = None,
    muted: bool | None = None,
) -> list[AlertRecord]:
    """Active (firing, flapping) alerts unless ``state`` says otherwise."""
    records = await asyncio.to_thread(alerting.journal.alerts)
    states = set(state or [AlertState.firing, AlertState.flapping])
    return [
        r
        for r in records
        if r.alert.state in states
        and (severity is None or r.alert.severity in severity)
        and (rule is None or r.alert.rule == rule)
        and (site is None or r.alert.site == site)
        and (muted is None or (r.mute is not None) == muted)
    ]


@router.get("/alerts/{key:path}", summary="One alert by key, e.g. device_down/device:core-1")
async def get_alert(alerting: AlertingDep, key: str) -> AlertRecord:
    record = await asyncio.to_thread(alerting.journal.alert, key)
    if record is None:
        raise HTTPException(status_code=404, detail=f"no alert {key!r}")
    return record
