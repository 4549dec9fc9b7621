"""The incidents area: the list (unresolved first, resolved paged) and one page per incident
with its alerts, timeline and notifications. Actions (acknowledge, assign, comment, resolve,
reopen) are forms posted to the JSON API (static/app.js), so its role checks and audit apply."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from alerting.journal import Journal
from noc.api.auth import RuntimeDep
from noc.store.events import IncidentStatus, NotFoundError, Severity
from noc.web.pages import open_page, remember_language
from noc.web.pages.incident_views import (
    ACTING_ROLES,
    ASSIGNING_ROLES,
    duration_text,
    incident_detail,
    incident_list,
)
from noc.web.pages.not_found import not_found

router = APIRouter(include_in_schema=False)
AREA = "incidents"


def _journal(request: Request) -> Journal | None:
    """Alerting's journal when alerting runs in this process (as the API reaches it)."""
    service = getattr(request.app.state, "alerting", None)
    return None if service is None else service.journal


@router.get("/incidents", response_class=HTMLResponse)
async def incidents_page(
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query()] = None,
    severity: Annotated[str | None, Query()] = None,
    page: Annotated[int, Query()] = 1,  # clamped to the pages there are
) -> Response:
    ctx = await open_page(request, runtime, AREA, lang)
    if isinstance(ctx, Response):
        return ctx
    chosen_status = IncidentStatus(status) if status in set(IncidentStatus) else None
    chosen_severity = Severity(severity) if severity in set(Severity) else None
    listing = await asyncio.to_thread(
        incident_list,
        runtime,
        _journal(request),
        ctx.lang,
        status=chosen_status,
        severity=chosen_severity,
        page=page,
    )
    response = ctx.render(
        "incidents/list.html",
        AREA,
        listing=listing,
        filters={"status": status or "", "severity": severity or ""},
        statuses=[s.value for s in IncidentStatus],
        severities=[s.value for s in Severity],
        now=runtime.clock.now(),
        duration=lambda d: duration_text(d, ctx.lang),
    )
    return remember_language(response, ctx.lang, lang)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
async def incident_page(
    request: Request,
    runtime: RuntimeDep,
    incident_id: str,
    lang: Annotated[str | None, Query()] = None,
) -> Response:
    ctx = await open_page(request, runtime, AREA, lang)
    if isinstance(ctx, Response):
        return ctx
    if not incident_id.isdigit():
        return not_found(ctx, AREA, "inventory.kind.incident", incident_id, "/incidents")
    try:
        detail = await asyncio.to_thread(
            incident_detail, runtime, _journal(request), int(incident_id), ctx.lang
        )
    except NotFoundError:
        return not_found(ctx, AREA, "inventory.kind.incident", incident_id, "/incidents")
    response = ctx.render(
        "incidents/detail.html",
        AREA,
        d=detail,
        inc=detail.row.incident,
        can_act=ctx.user.role in ACTING_ROLES,
        can_assign=ctx.user.role in ASSIGNING_ROLES,
        now=runtime.clock.now(),
        duration=lambda d: duration_text(d, ctx.lang),
    )
    return remember_language(response, ctx.lang, lang)
