"""The batch path (sla.leaves, what the report uses) equals the per-object path exactly.

Generated histories: devices and links at several sites under policies with every maintenance
treatment (some with business hours in zones with daylight saving time), state changes through
every state (down, unreachable naming one or two upstream root causes, unknown, maintenance),
outages still open at the end or cut by ``now``, maintenance windows on objects, sites and
services, a device with no change at all, a component no catalog entry lists, and services
and sites with every rule.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noc.model import BusinessHours, MaintenanceTreatment, Policy, ServiceRule
from sla.availability import evaluate, figures
from sla.catalog import CatalogObject, CatalogService, SlaCatalog
from sla.history import Change, History, Window
from sla.intervals import to_us

BASE = datetime(2026, 3, 27, tzinfo=UTC)  # Europe/Berlin springs forward on 29 March
DEVICES = [f"device:d{i}" for i in range(5)]
LINKS = ["link:l0", "link:l1"]
GHOST = "device:ghost"  # a component no catalog entry lists
STATES = ["up", "down", "unreachable", "unknown", "maintenance"]
CAUSES = ["", "timeout", "root cause upstream: d0", "root cause upstream: d1, link:l0"]
POLICIES = {
    "default": Policy(),
    "up": Policy(maintenance=MaintenanceTreatment.count_as_up),
    "down": Policy(maintenance=MaintenanceTreatment.count_as_down),
    "office": Policy(
        business_hours=BusinessHours(start=time(8), end=time(17)),
        maintenance=MaintenanceTreatment.count_as_down,
    ),
}


def catalog_of(draw: st.DrawFn) -> SlaCatalog:
    pol = st.sampled_from(sorted(POLICIES))
    site = st.sampled_from(["a", "b", "c"])
    objects = [CatalogObject(ref=r, name=r, site=draw(site), policy=draw(pol)) for r in DEVICES]
    objects += [
        CatalogObject(
            ref=r, name=r, sites=tuple(sorted({draw(site), draw(site)})), policy=draw(pol)
        )
        for r in LINKS
    ]
    rule = draw(st.sampled_from(list(ServiceRule)))
    comps = tuple(
        draw(
            st.lists(
                st.sampled_from([*DEVICES, *LINKS, GHOST]), min_size=1, max_size=4, unique=True
            )
        )
    )
    services = (
        CatalogService(
            ref="service:core",
            name="core",
            policy=draw(pol),
            components=comps,
            rule=rule,
            n=draw(st.integers(1, len(comps))) if rule is ServiceRule.n_of_m else None,
        ),
        CatalogService(
            ref="service:top", name="top", components=("service:core", "device:d4"), rule=rule
        ),
        CatalogService(
            ref="site:a",
            name="A",
            site="a",
            components=("device:d0", "device:d1"),
            rule=ServiceRule.any,
        ),
    )
    return SlaCatalog(
        timezone=draw(st.sampled_from(["Asia/Jakarta", "Europe/Berlin"])),
        site_timezones={"b": "UTC"},
        policies=POLICIES,
        objects=tuple(objects),
        services=services,
    )


@st.composite
def scenario(draw: st.DrawFn) -> tuple[SlaCatalog, History, datetime, datetime, datetime]:
    catalog = catalog_of(draw)
    seconds = draw(st.integers(1, 3 * 86400))
    sec = st.integers(-7200, seconds + 7200)

    def at(off: int) -> int:
        return to_us(BASE + timedelta(seconds=off))

    changes: list[Change] = []
    for ref in [*DEVICES[:-1], *LINKS, GHOST]:  # d4 never changes: no data
        n = draw(st.integers(0, 8))
        times = draw(st.lists(sec, min_size=n, max_size=n))  # any order, ties too
        states = draw(st.lists(st.sampled_from(STATES), min_size=n + 1, max_size=n + 1))
        for j, off in enumerate(times):
            cause = draw(st.sampled_from(CAUSES))
            changes.append(Change(ref, at(off), states[j], states[j + 1], cause, len(changes)))
    changes.reverse()  # not in time order: the batch path must not depend on it
    targets = [*DEVICES, *LINKS, GHOST, "site:a", "site:b", "service:core", "service:top"]
    windows = [
        Window(i, draw(st.sampled_from(targets)), at(s), at(s + n))
        for i, (s, n) in enumerate(
            draw(st.lists(st.tuples(sec, st.integers(1, 30000)), max_size=6))
        )
    ]
    end = BASE + timedelta(seconds=seconds)
    cut = draw(st.one_of(st.none(), st.integers(0, seconds)))
    now = end + timedelta(days=1) if cut is None else BASE + timedelta(seconds=cut)
    return catalog, History(changes=changes, windows=windows), BASE, end, now


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(), st.integers(0, 3 * 86400), st.integers(0, 86400))
def test_batch_path_equals_per_object_path(sc: Any, sub_start: int, sub_len: int) -> None:
    catalog, history, start, end, now = sc
    fast = evaluate(catalog, history, start, end, now)
    slow = evaluate(catalog, history, start, end, now, per_object=True)
    assert fast.batch is not None and slow.batch is None
    assert list(fast.nodes) == list(slow.nodes)
    a = to_us(start) + sub_start * 10**6
    b = a + sub_len * 10**6
    for ref in slow.nodes:
        assert fast.figure(ref) == slow.figure(ref), ref
        assert fast.figure(ref, a, b) == slow.figure(ref, a, b), ref
        f, s = fast.nodes[ref], slow.nodes[ref]
        assert (f.down, f.planned, f.cal, f.no_data) == (s.down, s.planned, s.cal, s.no_data)
        assert f.causes == s.causes and f.treatment == s.treatment
    assert fast.totals == slow.totals
    assert figures(catalog, history, start, end, now) == {r: slow.figure(r) for r in slow.nodes}


def test_unreachable_downtime_goes_to_its_root_causes() -> None:
    catalog = SlaCatalog(
        policies=POLICIES,
        objects=tuple(CatalogObject(ref=r, name=r) for r in DEVICES),
        services=(CatalogService(ref="service:s", name="s", components=("device:d2",)),),
    )
    h = 3600 * 10**6
    t0 = to_us(BASE)
    history = History(
        changes=[
            Change("device:d2", t0 + h, "up", "unreachable", "root cause upstream: d0, d1", 1),
            Change("device:d2", t0 + 3 * h, "unreachable", "down", "", 2),
            Change("device:d2", t0 + 4 * h, "down", "up", "", 3),
            Change("device:d3", t0 + 5 * h, "up", "down", "", 4),  # still open at the end
        ]
    )
    ev = evaluate(catalog, history, BASE, BASE + timedelta(hours=10), BASE + timedelta(days=1))
    d2 = ev.figure("device:d2")
    assert d2.causes == {"device:d0": 2 * h, "device:d1": 2 * h, "device:d2": h}
    assert d2.downtime_us == 3 * h and d2.outages == 1
    assert ev.figure("service:s").causes == d2.causes
    assert ev.figure("device:d3").downtime_us == 5 * h
    assert ev.figure("device:d4").no_data_us == 10 * h
