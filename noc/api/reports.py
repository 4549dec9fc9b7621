"""SLA reports and figures for managers (and auditors): the monthly report, availability of
any period, and the services burning their monthly error budget."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Response

from noc.api.auth import RuntimeDep
from noc.api.policy import REPORT_READERS, allow
from noc.errors import ConfigError
from sla.availability import figures
from sla.budget import ErrorBudget, burning_services
from sla.catalog import catalog_of
from sla.figures import Figure
from sla.history import history_from_store
from sla.periods import parse_month
from sla.report.build import CONTENT_TYPES, filename, monthly_report, render
from sla.timeparse import parse_when

router = APIRouter(tags=["sla"], dependencies=[allow(REPORT_READERS)])


def _bad(err: ConfigError) -> HTTPException:
    return HTTPException(status_code=422, detail=str(err))


@router.get("/reports/monthly", summary="The monthly SLA report (PDF or HTML)")
async def monthly(
    runtime: RuntimeDep,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")],
    format: Annotated[Literal["pdf", "html"], Query()] = "pdf",
    lang: Annotated[Literal["id", "en"] | None, Query()] = None,
) -> Response:
    try:
        year, mon = parse_month(month)
    except ConfigError as e:
        raise _bad(e) from None
    language = lang or runtime.inventory.settings.locale
    report = await asyncio.to_thread(
        monthly_report,
        runtime.events,
        runtime.inventory,
        year,
        mon,
        runtime.clock.now(),
        runtime.metrics,
    )
    data = await asyncio.to_thread(render, report, format, language)
    name = filename(report, format, language)
    return Response(
        content=data,
        media_type=CONTENT_TYPES[format],
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/sla/availability", summary="Availability of every device, link, site and service")
async def availability(
    runtime: RuntimeDep,
    start: Annotated[str, Query(alias="from", description="YYYY-MM-DD (local) or ISO time")],
    end: Annotated[str, Query(alias="to", description="exclusive")],
) -> list[Figure]:
    tz = ZoneInfo(runtime.inventory.settings.timezone)
    try:
        lo, hi = parse_when(start, tz), parse_when(end, tz)
    except ConfigError as e:
        raise _bad(e) from None
    now = runtime.clock.now()

    def compute() -> list[Figure]:
        found = figures(
            catalog_of(runtime.inventory), history_from_store(runtime.events, hi), lo, hi, now
        )
        return list(found.values())

    return await asyncio.to_thread(compute)


@router.get("/sla/burn", summary="Services that will exhaust this month's error budget")
async def burn(runtime: RuntimeDep) -> list[ErrorBudget]:
    now = runtime.clock.now()
    return await asyncio.to_thread(
        lambda: burning_services(
            catalog_of(runtime.inventory), history_from_store(runtime.events), now
        )
    )
