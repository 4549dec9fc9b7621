"""The auditor's export over the API: the audit chain with its hashes and the SLA figures."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request, Response

from noc.api.auth import RuntimeDep
from noc.api.policy import AUDITORS, allow
from noc.errors import ConfigError
from sla.catalog import catalog_of
from sla.export import write_sla_export
from sla.timeparse import parse_when
from sla.verify import VerifyReport, verify_text

router = APIRouter(tags=["audit"], dependencies=[allow(AUDITORS)])

_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/x-ndjson"}


@router.get("/audit/export", summary="Every state change and incident event, chained, with figures")
async def export(
    runtime: RuntimeDep,
    start: Annotated[str, Query(alias="from", description="YYYY-MM-DD (local) or ISO time")],
    end: Annotated[str, Query(alias="to", description="exclusive")],
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
) -> Response:
    tz = ZoneInfo(runtime.inventory.settings.timezone)
    try:
        lo, hi = parse_when(start, tz), parse_when(end, tz)
    except ConfigError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    if hi <= lo:
        raise HTTPException(status_code=422, detail="'to' must be after 'from'")
    now = runtime.clock.now()

    def build() -> str:
        entries = runtime.events.audit.entries()
        return write_sla_export(entries, catalog_of(runtime.inventory), lo, hi, now, format)

    text = await asyncio.to_thread(build)
    name = f"audit-sla-{lo.date()}-{hi.date()}.{'csv' if format == 'csv' else 'jsonl'}"
    return Response(
        content=text,
        media_type=_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/audit/verify", summary="Verify an export (the file as the request body)")
async def verify(request: Request) -> VerifyReport:
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(status_code=422, detail="the export is not UTF-8 text") from None
    return await asyncio.to_thread(verify_text, text)
