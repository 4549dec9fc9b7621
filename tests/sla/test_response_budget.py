"""Response time, compliance and breaches; error budgets and the burn-rate condition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from noc.model import Policy
from sla.budget import burning_services, monthly_budget, yearly_budget
from sla.catalog import CatalogObject, CatalogService, SlaCatalog, catalog_of
from sla.history import Change, History, IncidentFacts
from sla.intervals import to_us
from sla.response import Verdict, response_report
from tests.sla.city import demo_inventory

OCT = datetime(2026, 10, 1, tzinfo=UTC)
NOV = datetime(2026, 11, 1, tzinfo=UTC)


def incident(
    i: int,
    opened: datetime,
    ack_after: timedelta | None,
    sev: str = "major",
    services: tuple[str, ...] = (),
    resolved_after: timedelta | None = None,
) -> IncidentFacts:
    return IncidentFacts(
        id=i,
        title=f"i{i}",
        severity=sev,
        opened_at=opened,
        acknowledged_at=None if ack_after is None else opened + ack_after,
        resolved_at=None if resolved_after is None else opened + resolved_after,
        affected_services=services,
    )


def test_response_compliance_breaches_and_pending() -> None:
    cat = catalog_of(demo_inventory())
    t = OCT + timedelta(days=1)
    items = [
        incident(1, t, timedelta(minutes=59), resolved_after=timedelta(hours=2)),
        incident(2, t, timedelta(minutes=61), sev="critical", resolved_after=timedelta(hours=4)),
        incident(3, t, None),  # unacknowledged for 30 days: a breach
        incident(4, NOV - timedelta(minutes=10), None, sev="minor"),  # still within its hour
        incident(5, t, timedelta(minutes=40), services=("siak",)),  # layanan-kritis: 30 min
        incident(6, OCT - timedelta(days=1), timedelta(minutes=1)),  # opened in September
    ]
    rep = response_report(items, cat, OCT, NOV, as_of=NOV)
    got = {r.id: r.verdict for r in rep.incidents}
    assert got == {
        1: Verdict.compliant,
        2: Verdict.breach,
        3: Verdict.breach,
        4: Verdict.pending,
        5: Verdict.breach,
    }
    assert {r.id: r.target for r in rep.incidents}[5] == timedelta(minutes=30)
    o = rep.overall
    assert (o.count, o.compliant, o.breaches, o.pending) == (5, 1, 3, 1)
    assert o.compliance == 0.25
    assert o.mttr == timedelta(hours=3)
    assert o.max_response == timedelta(minutes=61)
    assert rep.by_severity["critical"].breaches == 1 and rep.by_severity["minor"].pending == 1


def single(policy: Policy) -> SlaCatalog:
    return SlaCatalog(
        timezone="UTC",
        policies={"default": policy},
        objects=(CatalogObject(ref="device:a", name="a"),),
        services=(CatalogService(ref="service:s", name="s", components=("device:a",)),),
    )


def down(start: datetime, minutes: float) -> list[Change]:
    return [
        Change("device:a", to_us(start), "up", "down", "", 1),
        Change("device:a", to_us(start + timedelta(minutes=minutes)), "down", "up", "", 2),
    ]


def test_monthly_budget_of_a_30_day_month_is_43_2_minutes() -> None:
    sep = datetime(2026, 9, 1, tzinfo=UTC)
    h = History(changes=down(sep + timedelta(days=2), 10))
    b = monthly_budget(single(Policy()), h, "service:s", 2026, 9, now=sep + timedelta(days=15))
    assert b.allowed == timedelta(minutes=43, seconds=12)
    assert b.consumed == timedelta(minutes=10)
    assert b.remaining == timedelta(minutes=33, seconds=12)
    assert abs(b.elapsed - 0.5) < 1e-12
    assert abs(b.burn_rate - (10 / 43.2) / 0.5) < 1e-9


def test_yearly_budgets_8_76_hours_at_99_9_and_22_hours_policy() -> None:
    b = yearly_budget(single(Policy()), History(), "service:s", 2026, now=NOV)
    assert b.allowed == timedelta(hours=8, minutes=45, seconds=36)  # 8.76 h
    assert b.annual_budget == timedelta(hours=22)


def test_burn_rate_condition_names_services_that_will_exhaust_the_month() -> None:
    now = OCT + timedelta(days=10)
    fast = History(changes=down(OCT + timedelta(days=1), 30))  # 30 of 44.6 min in a third of it
    slow = History(changes=down(OCT + timedelta(days=1), 5))
    cat = single(Policy())
    hot = burning_services(cat, fast, now)
    assert [b.ref for b in hot] == ["service:s"] and hot[0].burn_rate > 1
    assert hot[0].exhausts_at is not None and hot[0].exhausts_at < NOV
    assert burning_services(cat, slow, now) == []
    over = History(changes=down(OCT + timedelta(days=1), 60))
    assert burning_services(cat, over, now)[0].exhausted
