"""Month-to-date SLA figures per service, for gauges a dashboard can chart.

The monthly report is the authority; this is the same engine run over the current month
so far, so the wall and Grafana show where each service stands before the month ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from noc.model import Inventory
from noc.store.events import EventStore
from sla.availability import evaluate
from sla.budget import budget_of
from sla.catalog import catalog_of
from sla.history import history_from_store
from sla.periods import month_bounds, month_of


@dataclass(frozen=True)
class ServiceStanding:
    service: str  # the inventory id, without "service:"
    name: str
    availability_ratio: float  # month to date; 1.0 while nothing was counted yet
    target_ratio: float
    downtime_seconds: float
    budget_allowed_seconds: float  # for the whole month
    budget_remaining_seconds: float  # negative once overspent


def month_to_date(events: EventStore, inventory: Inventory, now: datetime) -> list[ServiceStanding]:
    """Every service's standing in the current month (in the city's time zone) until ``now``."""
    catalog = catalog_of(inventory)
    history = history_from_store(events, until=now)
    year, month = month_of(now, ZoneInfo(catalog.timezone))
    start, end = month_bounds(year, month, ZoneInfo(catalog.timezone))
    ev = evaluate(catalog, history, start, end, now)
    out = []
    for svc in catalog.services:
        if not svc.ref.startswith("service:"):
            continue  # sites are in the catalog too
        fig = ev.figure(svc.ref)
        budget = budget_of(ev, svc.ref, "month", start, end, now)
        out.append(
            ServiceStanding(
                service=svc.ref.removeprefix("service:"),
                name=svc.name,
                availability_ratio=fig.availability,
                target_ratio=budget.target,
                downtime_seconds=fig.downtime_us / 1e6,
                budget_allowed_seconds=budget.allowed.total_seconds(),
                budget_remaining_seconds=budget.remaining.total_seconds(),
            )
        )
    return out
