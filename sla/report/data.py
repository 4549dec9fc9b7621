"""The monthly report's content, computed once and rendered as HTML or PDF in either language.

Numbers are kept exact (microseconds, ratios); formatting happens in the renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from sla.availability import Evaluation, evaluate
from sla.budget import ErrorBudget, budget_of
from sla.capacity import CapacityFinding
from sla.catalog import SlaCatalog
from sla.figures import Figure
from sla.history import History
from sla.intervals import to_us
from sla.periods import days_of_month, month_bounds, year_bounds
from sla.response import SEVERITIES, IncidentResponse, ResponseReport, response_report


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DailyPoint(_Model):
    day: date
    availability: float | None  # None: not yet begun, or no time counted that day


class ServicePage(_Model):
    ref: str
    name: str
    target: float
    figure: Figure
    meets: bool
    budget: ErrorBudget
    response: ResponseReport
    daily: tuple[DailyPoint, ...]
    ytd: ErrorBudget


class MonthlyReport(_Model):
    city: str
    year: int
    month: int
    timezone: str
    start: datetime
    end: datetime
    generated_at: datetime
    services: tuple[ServicePage, ...]
    response: ResponseReport
    worst_incidents: tuple[IncidentResponse, ...]
    capacity: tuple[CapacityFinding, ...]
    capacity_limit: float

    @property
    def meeting(self) -> list[ServicePage]:
        return [s for s in self.services if s.meets]

    @property
    def missing(self) -> list[ServicePage]:
        return [s for s in self.services if not s.meets]


def _severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev) if sev in SEVERITIES else len(SEVERITIES)


def worst(incidents: Sequence[IncidentResponse], n: int = 5) -> tuple[IncidentResponse, ...]:
    """Most severe first, then longest to repair (open ones count as longest)."""
    big = timedelta(days=36500)
    ranked = sorted(
        incidents,
        key=lambda i: (_severity_rank(i.severity), -(i.repair or big).total_seconds(), i.id),
    )
    return tuple(ranked[:n])


def _day(ev: Evaluation, ref: str, lo: datetime, hi: datetime, now: datetime) -> float | None:
    """The day's availability; None for a day not yet begun or with no counted time (e.g. a
    weekend under a business-hours policy)."""
    if lo >= now:
        return None
    fig = ev.figure(ref, to_us(lo), to_us(hi))
    return None if fig.counted_us == 0 else fig.availability


def build_monthly_report(
    catalog: SlaCatalog,
    history: History,
    year: int,
    month: int,
    now: datetime,
    capacity: Sequence[CapacityFinding] = (),
) -> MonthlyReport:
    tz = ZoneInfo(catalog.timezone)
    start, end = month_bounds(year, month, tz)
    ev = evaluate(catalog, history, start, end, now)
    y_start, y_end = year_bounds(year, tz)
    ytd_now = min(now, end)
    ev_year = evaluate(catalog, history, y_start, end, ytd_now)
    days = days_of_month(year, month, tz)
    pages = []
    for svc in catalog.services:
        if not svc.ref.startswith("service:"):
            continue
        fig = ev.figure(svc.ref)
        policy = catalog.policy(svc.policy)
        daily = tuple(
            DailyPoint(day=d, availability=_day(ev, svc.ref, lo, hi, now)) for d, lo, hi in days
        )
        ytd = budget_of(ev_year, svc.ref, "year", y_start, y_end, ytd_now)
        pages.append(
            ServicePage(
                ref=svc.ref,
                name=svc.name,
                target=policy.availability_target,
                figure=fig,
                meets=fig.availability >= policy.availability_target,
                budget=budget_of(ev, svc.ref, "month", start, end, now),
                response=response_report(history.incidents, catalog, start, end, now, svc.ref),
                daily=daily,
                ytd=ytd,
            )
        )
    overall = response_report(history.incidents, catalog, start, end, now)
    return MonthlyReport(
        city=catalog.city,
        year=year,
        month=month,
        timezone=catalog.timezone,
        start=start,
        end=end,
        generated_at=now,
        services=tuple(pages),
        response=overall,
        worst_incidents=worst(overall.incidents),
        capacity=tuple(capacity),
        capacity_limit=catalog.policy(None).capacity_limit,
    )
