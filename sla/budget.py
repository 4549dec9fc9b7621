"""Error budgets: downtime allowed, consumed, remaining, and the rate it burns at.

Allowed downtime over a window = (1 - availability target) x the time the policy counts in the
whole window (a 30-day month at 99.9%: 43.2 minutes; a 365-day year: 8.76 hours). The year also
has the policy's own ``annual_downtime_budget`` (22 hours by default; looser than 99.9%); the
report shows both. Burn rate = share of the budget consumed / share of the window elapsed: 1
spends exactly the budget by the end of the window; above 1 exhausts it early.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from sla.availability import Evaluation, evaluate
from sla.calendar import calendar
from sla.catalog import SlaCatalog
from sla.history import History
from sla.intervals import to_us, us_delta
from sla.periods import month_bounds, month_of, year_bounds


class ErrorBudget(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: str
    name: str
    window: Literal["month", "year"]
    start: datetime
    end: datetime
    target: float
    allowed: timedelta  # (1 - target) x counted time of the whole window
    annual_budget: timedelta | None = None  # the policy's yearly budget (year window only)
    consumed: timedelta
    remaining: timedelta  # negative once overspent
    elapsed: float  # share of the window's counted time already past
    burn_rate: float
    exhausts_at: datetime | None = None  # at the current rate; None when it will not

    @property
    def exhausted(self) -> bool:
        return self.remaining <= timedelta()


def budget_of(
    ev: Evaluation,
    ref: str,
    window: Literal["month", "year"],
    start: datetime,
    end: datetime,
    now: datetime,
) -> ErrorBudget:
    """The budget of ``ref`` from an evaluation of ``[start, end)`` at ``now``."""
    catalog = ev.catalog
    node = ev.nodes[ref]
    svc = catalog.service(ref)
    obj = catalog.object(ref)
    policy = catalog.policy(svc.policy if svc else obj.policy if obj else None)
    site = svc.site if svc else obj.site if obj else None
    whole = calendar(
        policy.business_hours, ZoneInfo(catalog.timezone_of(site)), to_us(start), to_us(end)
    )
    total = whole.total()
    past = whole.clip(to_us(start), min(to_us(end), to_us(now))).total()
    fig = ev.figure(ref)
    allowed_us = round((1 - policy.availability_target) * total)
    elapsed = past / total if total else 0.0
    consumed_share = (
        fig.downtime_us / allowed_us
        if allowed_us
        else (0.0 if fig.downtime_us == 0 else float("inf"))
    )
    burn = consumed_share / elapsed if elapsed else 0.0
    exhausts_at = None
    if fig.downtime_us >= allowed_us and fig.downtime_us:
        exhausts_at = fig.end
    elif burn > 1 and fig.downtime_us:
        rate = fig.downtime_us / max(1, past)  # downtime per counted microsecond
        exhausts_at = now + us_delta(int((allowed_us - fig.downtime_us) / rate))
    return ErrorBudget(
        ref=ref,
        name=node.name,
        window=window,
        start=start,
        end=end,
        target=policy.availability_target,
        allowed=us_delta(allowed_us),
        annual_budget=policy.annual_downtime_budget if window == "year" else None,
        consumed=fig.downtime,
        remaining=us_delta(allowed_us - fig.downtime_us),
        elapsed=elapsed,
        burn_rate=burn,
        exhausts_at=exhausts_at,
    )


def monthly_budget(
    catalog: SlaCatalog, history: History, ref: str, year: int, month: int, now: datetime
) -> ErrorBudget:
    start, end = month_bounds(year, month, ZoneInfo(catalog.timezone))
    return budget_of(evaluate(catalog, history, start, end, now), ref, "month", start, end, now)


def yearly_budget(
    catalog: SlaCatalog, history: History, ref: str, year: int, now: datetime
) -> ErrorBudget:
    start, end = year_bounds(year, ZoneInfo(catalog.timezone))
    return budget_of(evaluate(catalog, history, start, end, now), ref, "year", start, end, now)


def burning_services(
    catalog: SlaCatalog, history: History, now: datetime, *, threshold: float = 1.0
) -> list[ErrorBudget]:
    """Services that will exhaust this month's budget at the current burn rate (or already
    have): the condition alerting evaluates. Most urgent first."""
    year, month = month_of(now, ZoneInfo(catalog.timezone))
    start, end = month_bounds(year, month, ZoneInfo(catalog.timezone))
    ev = evaluate(catalog, history, start, end, now)
    out = []
    for svc in catalog.services:
        if not svc.ref.startswith("service:"):
            continue
        b = budget_of(ev, svc.ref, "month", start, end, now)
        if b.burn_rate > threshold or (b.exhausted and b.consumed > timedelta()):
            out.append(b)
    return sorted(out, key=lambda b: -b.burn_rate)
