"""The SLA desk: availability per service against its target (99.9% by default) with the
month's error budget and burn rate, response-time compliance against the 1-hour target with the
breaches, and the year to date against the annual downtime budget (22 hours by default). The
monthly report (PDF, HTML, both languages) is downloaded from GET /api/v1/reports/monthly."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from noc.api.auth import RuntimeDep
from noc.errors import ConfigError
from noc.web.pages import PageContext, open_page, remember_language
from noc.web.pages.desk import minutes
from sla.budget import ErrorBudget
from sla.periods import month_of, parse_month
from sla.report.build import monthly_report
from sla.report.data import MonthlyReport
from sla.response import Verdict

router = APIRouter(include_in_schema=False)


def used_share(budget: ErrorBudget) -> float:
    """The share of the allowed downtime already spent (above 1 when overspent)."""
    allowed = budget.allowed.total_seconds()
    spent = budget.consumed.total_seconds()
    return spent / allowed if allowed else (0.0 if spent == 0 else float("inf"))


def annual_share(budget: ErrorBudget) -> float:
    """The year's downtime as a share of the policy's annual budget (22 hours by default)."""
    annual = (budget.annual_budget or budget.allowed).total_seconds()
    return budget.consumed.total_seconds() / annual if annual else 0.0


def hours(value: timedelta) -> float:
    return value.total_seconds() / 3600


def duration_text(value: timedelta | None) -> str:
    """'1 h 05 min' / '12 min' / '40 s'; '–' for none."""
    if value is None:
        return "–"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    h, m = divmod(seconds // 60, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


@router.get("/sla", response_class=HTMLResponse)
async def sla_page(
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, Query()] = None,
    month: Annotated[str | None, Query()] = None,
) -> Response:
    page = await open_page(request, runtime, "sla", lang)
    if not isinstance(page, PageContext):
        return page
    now = runtime.clock.now()
    current = month_of(now, ZoneInfo(runtime.inventory.settings.timezone))
    problem = ""
    chosen = current
    if month:
        try:
            chosen = parse_month(month)
        except ConfigError as err:
            problem = str(err)
    if chosen > current:
        problem, chosen = "future", current

    def build(year: int, mon: int) -> MonthlyReport:
        return monthly_report(runtime.events, runtime.inventory, year, mon, now)

    report = await asyncio.to_thread(build, *chosen)
    month_to_date = report if chosen == current else await asyncio.to_thread(build, *current)
    breaches = [i for i in report.response.incidents if i.verdict is Verdict.breach]
    month_text = f"{chosen[0]:04d}-{chosen[1]:02d}"
    response = page.render(
        "sla/index.html",
        "sla",
        report=report,
        month_to_date=month_to_date,
        is_current=chosen == current,
        month=month_text,
        current_month=f"{current[0]:04d}-{current[1]:02d}",
        problem=problem,
        breaches=breaches,
        minutes=minutes,
        hours=hours,
        used_share=used_share,
        annual_share=annual_share,
        duration=duration_text,
        downloads=[(f, lg) for f in ("pdf", "html") for lg in ("id", "en")],
    )
    return remember_language(response, page.lang, lang)
