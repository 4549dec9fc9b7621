"""The auditor's desk: the audit chain's head and whether it verifies now, the latest entries,
the export (GET /api/v1/audit/export, CSV or JSON Lines) and the offline check of an export
file (POST /api/v1/audit/verify, which names the entry that was edited)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from noc.api.auth import RuntimeDep
from noc.store.events import AuditEntry, ChainVerdict
from noc.web.pages import PageContext, open_page, remember_language

router = APIRouter(include_in_schema=False)
LATEST = 25


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request, runtime: RuntimeDep, lang: Annotated[str | None, Query()] = None
) -> Response:
    page = await open_page(request, runtime, "audit", lang)
    if not isinstance(page, PageContext):
        return page
    audit = runtime.events.audit

    def read() -> tuple[AuditEntry | None, ChainVerdict, list[AuditEntry]]:
        head = audit.head()
        after = max(0, head.seq - LATEST) if head is not None else 0
        return head, audit.verify(), list(reversed(audit.entries(after_seq=after)))

    head, verdict, latest = await asyncio.to_thread(read)
    today = runtime.clock.now().astimezone(ZoneInfo(page.zone)).date()
    response = page.render(
        "audit/index.html",
        "audit",
        head=head,
        verdict=verdict,
        latest=latest,
        export_from=today.replace(day=1).isoformat(),
        export_to=(today + timedelta(days=1)).isoformat(),
    )
    return remember_language(response, page.lang, lang)
