"""The fast paths equal the reference paths exactly, on generated data.

* The batch engine over columns (sla.leaves: segments by running counts, measures by binary
  search, all sites' "every component down" by rounds) equals the per-object path on cities of
  a few hundred objects: every figure, every node's sets and causes, sub-periods, ``figures()``;
  and a History given as columns gives what the same History given as a list gives.
* The SQLite bulk read (noc.store.sqlite.columns, what history_from_store uses) gives the
  history the record-by-record read gives, including its fallback for texts it cannot split.
* The small pieces: grouping, the per-group binary search, trusted figures, interval algebra.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noc.clock import ManualClock
from noc.model import (
    BusinessHours,
    MaintenanceTreatment,
    ObjectKind,
    ObjectRef,
    Policy,
    ServiceRule,
    StateChange,
)
from noc.store.events import EventStore, open_event_store
from noc.store.sqlite.columns import state_change_columns
from sla.availability import evaluate, figures
from sla.catalog import CatalogObject, CatalogService, SlaCatalog
from sla.figures import Figure
from sla.history import (
    Change,
    History,
    Window,
    change_of,
    columns_of,
    grouped,
    history_from_store,
    window_of,
)
from sla.intervals import IntervalSet, at_least, to_us

BASE = datetime(2026, 3, 20, tzinfo=UTC)  # Europe/Berlin springs forward on 29 March
STATES = ["up", "down", "unreachable", "unknown", "maintenance", "degraded"]
POLICIES = {
    "default": Policy(),
    "up": Policy(maintenance=MaintenanceTreatment.count_as_up),
    "down": Policy(maintenance=MaintenanceTreatment.count_as_down),
    "office": Policy(
        business_hours=BusinessHours(start=time(8), end=time(17)),
        maintenance=MaintenanceTreatment.count_as_down,
    ),
}
RULES = [
    "FREQ=DAILY;COUNT=4",
    "FREQ=WEEKLY;BYDAY=SU,WE",
    "FREQ=HOURLY;INTERVAL=7;UNTIL=20260401T000000Z",
    "FREQ=DAILY;UNTIL=20260328T120000",  # floating UNTIL: local time
    "not a rule",
]


def city(seed: int, days: int) -> tuple[SlaCatalog, list[Change], list[Window]]:
    """A random city: devices and links at five sites under every policy, services with every
    rule (one over other services, one over a component no catalog entry lists), changes
    through every state (ties, causes naming upstream devices, objects outside the catalog)
    and windows, some recurring or cancelled, on devices, sites and services."""
    rng = np.random.default_rng(seed)
    sites = ["a", "b", "c", "d", "e"]
    pol = sorted(POLICIES)
    devices = [f"device:d{i}" for i in range(int(rng.integers(40, 160)))]
    links = [f"link:l{i}" for i in range(int(rng.integers(5, 30)))]
    objects = [
        CatalogObject(ref=r, name=r, site=str(rng.choice(sites)), policy=str(rng.choice(pol)))
        for r in devices
    ] + [
        CatalogObject(
            ref=r, name=r, sites=tuple(sorted({str(x) for x in rng.choice(sites, 2)})),
            policy=str(rng.choice(pol)),
        )
        for r in links
    ]  # fmt: skip
    leaves = devices + links
    services = []
    for j in range(8):
        comps = tuple(str(c) for c in rng.choice(leaves, int(rng.integers(1, 12)), replace=False))
        if j == 7:
            comps = (*comps, "device:ghost")
        rule = ServiceRule(str(rng.choice([r.value for r in ServiceRule])))
        services.append(
            CatalogService(
                ref=f"service:s{j}",
                name=f"s{j}",
                policy=str(rng.choice(pol)),
                site=str(rng.choice(sites)),
                components=comps,
                rule=rule,
                n=int(rng.integers(1, len(comps) + 1)) if rule is ServiceRule.n_of_m else None,
            )
        )
    services.append(
        CatalogService(
            ref="service:top", name="top", components=("service:s0", "service:s1", leaves[0]),
            rule=ServiceRule.n_of_m, n=2,
        )
    )  # fmt: skip
    for site in sites:
        here = tuple(o.ref for o in objects if o.site == site)
        if here:
            services.append(
                CatalogService(
                    ref=f"site:{site}", name=site, site=site, components=here,
                    rule=ServiceRule.any,
                )
            )  # fmt: skip
    catalog = SlaCatalog(
        timezone=str(rng.choice(["Asia/Jakarta", "Europe/Berlin"])),
        site_timezones={"b": "UTC", "c": "Europe/Berlin"},
        policies=POLICIES,
        objects=tuple(objects),
        services=tuple(services),
    )
    span = days * 86400
    t0 = to_us(BASE)

    def at(sec: int) -> int:
        return t0 + sec * 10**6

    changes: list[Change] = []
    whom = [*leaves[: len(leaves) - 3], "device:ghost", "interface:x:1", "ring:r1"]
    for ref in whom:  # the last three leaves never change: no data
        n = int(rng.integers(0, 25))
        times = rng.integers(-2 * 86400, span + 2 * 86400, n)
        if n > 3:
            times[1] = times[0]  # a tie
        states = rng.choice(STATES, n + 1)
        for j in range(n):
            cause = ""
            if states[j + 1] == "unreachable" and rng.random() < 0.7:
                names = rng.choice([*devices[:5], "link:l0", "nobody"], int(rng.integers(1, 3)))
                cause = "root cause upstream: " + ", ".join(
                    str(x).removeprefix("device:") for x in names
                )
            changes.append(
                Change(ref, at(int(times[j])), str(states[j]), str(states[j + 1]), cause,
                       int(rng.integers(0, 10**6)))
            )  # fmt: skip
    rng.shuffle(changes)  # type: ignore[arg-type]
    targets = [*leaves, "device:ghost", *(f"site:{s}" for s in sites), "service:s0", "service:top"]
    windows = []
    for i in range(int(rng.integers(5, 60))):
        s = int(rng.integers(-86400, span + 86400))
        rule = str(rng.choice(RULES)) if rng.random() < 0.3 else None
        stop = at(s + int(rng.integers(0, 4 * 86400))) if rng.random() < 0.3 else None
        e = s + int(rng.integers(60, 6 * 3600))
        if rule is None and stop is not None:
            windows.append(Window(i, str(rng.choice(targets)), at(s), min(at(e), stop)))
        else:
            windows.append(Window(i, str(rng.choice(targets)), at(s), at(e), rule, stop))
    windows = [w for w in windows if w.end > w.start]
    return catalog, changes, windows


def _same(catalog: SlaCatalog, history: History, start: datetime, end: datetime, now: datetime,
          subs: list[tuple[int, int]]) -> None:  # fmt: skip
    fast = evaluate(catalog, history, start, end, now)
    slow = evaluate(catalog, history, start, end, now, per_object=True)
    assert fast.batch is not None and slow.batch is None
    assert list(fast.nodes) == list(slow.nodes)
    for ref in slow.nodes:
        assert fast.figure(ref) == slow.figure(ref), ref
        for a, b in subs:
            assert fast.figure(ref, a, b) == slow.figure(ref, a, b), ref
        f, s = fast.nodes[ref], slow.nodes[ref]
        assert (f.down, f.planned, f.cal, f.no_data) == (s.down, s.planned, s.cal, s.no_data), ref
        assert f.causes == s.causes and f.treatment == s.treatment, ref
    fresh = evaluate(catalog, history, start, end, now).figures()
    assert fresh == {r: slow.figure(r) for r in slow.nodes}
    assert list(fresh) == list(slow.nodes)  # in evaluation order


@pytest.mark.parametrize("seed", range(12))
def test_batch_over_columns_equals_per_object_on_random_cities(seed: int) -> None:
    catalog, changes, windows = city(seed, days=4 + seed % 5)
    days = 4 + seed % 5
    start = BASE + timedelta(hours=seed)
    end = BASE + timedelta(days=days)
    now = end - timedelta(hours=5) if seed % 3 == 0 else end + timedelta(days=1)
    lo = to_us(start)
    subs = [(lo + 3600 * 10**6 * h, lo + 3600 * 10**6 * (h + 30)) for h in (0, 17, 50)]
    listed = History(changes=list(changes), windows=list(windows))
    _same(catalog, listed, start, end, now, subs)
    as_columns = History(columns=columns_of(changes), windows=list(windows))
    _same(catalog, as_columns, start, end, now, subs)
    assert figures(catalog, as_columns, start, end, now) == figures(
        catalog, listed, start, end, now
    )


def test_periods_before_after_and_around_every_change() -> None:
    catalog, changes, windows = city(99, days=3)
    history = History(columns=columns_of(changes), windows=windows)
    first = min(c.ts for c in changes)
    last = max(c.ts for c in changes)
    for lo, hi in [
        (first - 10**9, first),  # before everything
        (last + 1, last + 10**9),  # after everything
        (first, last + 1),  # exactly around
        (first + 1, first + 1),  # empty
        (first - 86400 * 10**6, last + 86400 * 10**6),
    ]:
        start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=lo)
        end = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=hi)
        _same(catalog, history, start, end, end + timedelta(days=1), [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(-50, 150), st.integers(0, 3)),
        max_size=40,
    ),
    st.integers(0, 100),
    st.integers(0, 100),
)
def test_grouping_and_the_per_group_search(
    rows: list[tuple[int, int, int]], lo: int, length: int
) -> None:
    changes = [Change(f"device:d{k}", t, "up", "down", "", o) for k, t, o in rows]
    cols = columns_of(changes)
    expect = sorted(
        range(len(changes)), key=lambda i: (changes[i].ref, changes[i].ts, changes[i].order)
    )
    got = [
        (cols.refs[k], int(t), int(o))
        for k in range(len(cols.refs))
        for t, o in zip(
            cols.ts[cols.bounds[k] : cols.bounds[k + 1]],
            cols.order[cols.bounds[k] : cols.bounds[k + 1]],
            strict=True,
        )
    ]
    assert sorted(got) == sorted((changes[i].ref, changes[i].ts, changes[i].order) for i in expect)
    for k in range(len(cols.refs)):  # each group in time order
        ts = cols.ts[cols.bounds[k] : cols.bounds[k + 1]].tolist()
        assert ts == sorted(ts)
    groups = np.arange(len(cols.refs), dtype=np.int64)
    for t in (lo, lo + length, -100, 1000):
        want = [sum(1 for c in changes if c.ref == r and c.ts < t) for r in cols.refs]
        assert cols.count_before(groups, t).tolist() == want
    assert sorted(cols.changes(), key=lambda c: (c.ts, c.order, c.ref)) == sorted(
        changes, key=lambda c: (c.ts, c.order, c.ref)
    )


def test_a_history_from_columns_gives_its_changes_in_time_order() -> None:
    _, changes, windows = city(3, days=2)
    history = History(columns=columns_of(changes), windows=windows)
    listed = history.changes
    assert sorted(listed, key=lambda c: (c.ts, c.order)) == listed
    assert sorted(listed, key=lambda c: (c.ts, c.order, c.ref)) == sorted(
        changes, key=lambda c: (c.ts, c.order, c.ref)
    )
    assert history.columns() is history.columns()  # computed once
    history.changes.append(Change("device:d0", 0, "up", "down"))  # appending recomputes
    assert len(history.columns()) == len(changes) + 1
    with pytest.raises(ValueError, match="not both"):
        History(changes=[], columns=columns_of([]))


def _record_history(events: EventStore) -> History:
    """What history_from_store did before the bulk read: one record per row."""
    changes = [change_of(r) for r in events.state_changes.list()]
    windows = [w for w in map(window_of, events.maintenance.list()) if w]
    return History(changes=changes, windows=windows)


def _fill(events: EventStore, cause_extra: str = "") -> None:
    rng = np.random.default_rng(5)
    batch = []
    for i in range(400):
        kind = ObjectKind.device if i % 5 else ObjectKind.link
        ref = ObjectRef(kind=kind, id=f"x{int(rng.integers(0, 30))}")
        at = BASE + timedelta(seconds=int(rng.integers(0, 10 * 86400)), microseconds=i)
        old, new = (str(x) for x in rng.choice(STATES, 2))
        cause = f"root cause upstream: x{i % 7}" if new == "unreachable" else "ping, timeout é"
        batch.append(StateChange(object=ref, old=old, new=new, ts=at, cause=cause + cause_extra))
    events.state_changes.append_many(batch)
    dev = ObjectRef(kind=ObjectKind.device, id="x1")
    site = ObjectRef(kind=ObjectKind.site, id="a")
    m = events.maintenance
    m.create(dev, BASE, BASE + timedelta(hours=2), author="ops", reason="r")
    w = m.create(site, BASE + timedelta(days=1), BASE + timedelta(days=1, hours=3), author="o",
                 reason="r", recurrence="FREQ=WEEKLY;BYDAY=SU")  # fmt: skip
    m.cancel(w.id, actor="ops", at=BASE + timedelta(days=20))
    w = m.create(dev, BASE + timedelta(days=2), BASE + timedelta(days=2, hours=3), author="o",
                 reason="r")  # fmt: skip
    m.cancel(w.id, actor="ops", at=BASE + timedelta(days=2, hours=1))
    w = m.create(dev, BASE + timedelta(days=3), BASE + timedelta(days=3, hours=3), author="o",
                 reason="r")  # fmt: skip
    m.cancel(w.id, actor="ops", at=BASE + timedelta(days=2))  # before it began: none


@pytest.mark.parametrize("extra", ["", "\x1f"], ids=["bulk", "row-by-row fallback"])
def test_the_bulk_store_read_equals_the_record_read(tmp_path: Path, extra: str) -> None:
    store = open_event_store(tmp_path / "e.sqlite", ManualClock(BASE - timedelta(days=1)))
    try:
        _fill(store, extra)
        bulk = history_from_store(store)
        records = _record_history(store)
        assert bulk.changes == records.changes
        assert bulk.windows == records.windows
        assert any(w.recurrence for w in bulk.windows)
        until = BASE + timedelta(days=5)
        part = history_from_store(store, until)
        assert part.changes == [c for c in records.changes if c.ts < to_us(until)]
        catalog = SlaCatalog(
            objects=tuple(
                CatalogObject(ref=f"{k}:x{i}", name=f"x{i}", site="a")
                for i in range(30)
                for k in ("device", "link")
            )
        )
        start, end = BASE, BASE + timedelta(days=12)
        assert figures(catalog, bulk, start, end, end) == figures(catalog, records, start, end, end)
        with store._db.read("test") as conn:  # type: ignore[attr-defined]
            cols = state_change_columns(conn)
        assert len(cols) == 400
    finally:
        store.close()


def test_trusted_figures_equal_validated_ones() -> None:
    values = {
        "ref": "device:a",
        "name": "a",
        "start": BASE,
        "end": BASE + timedelta(days=1),
        "downtime_us": 5,
        "counted_us": 86400 * 10**6,
        "maintenance_us": 7,
        "no_data_us": 0,
        "outages": 1,
        "causes": {"device:a": 5},
    }
    fast, checked = Figure.trusted(dict(values)), Figure(**values)
    assert fast == checked and checked == fast
    assert fast.model_dump() == checked.model_dump()
    assert fast.model_dump_json() == checked.model_dump_json()
    assert fast.model_fields_set == checked.model_fields_set
    assert fast.model_copy(update={"outages": 2}) == checked.model_copy(update={"outages": 2})
    assert fast.availability == checked.availability and fast.mttr == checked.mttr
    many = Figure.trusted_many(
        ["device:a", "device:b"], ["a", "b"], values["start"], values["end"],
        [[5, 0], [10, 10], [7, 0], [0, 0], [1, 0]], [{"device:a": 5}, {}],
    )  # fmt: skip
    assert many[0] == Figure(**{**values, "counted_us": 10})
    assert many[1] == Figure(
        ref="device:b", name="b", start=values["start"], end=values["end"], downtime_us=0,
        counted_us=10, maintenance_us=0, no_data_us=0, outages=0,
    )  # fmt: skip
    many[0].model_copy(update={"outages": 3})  # a copy changes its own set of fields only
    assert many[1].model_fields_set == checked.model_fields_set


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=8),
        min_size=1,
        max_size=5,
    ),
    st.data(),
)
def test_interval_set_shortcuts_and_groups(
    raw: list[list[tuple[int, int]]], data: st.DataObject
) -> None:
    sets = [IntervalSet.of((s, s + n) for s, n in r) for r in raw]
    a, b = sets[0], sets[-1]
    e = IntervalSet.empty()
    assert a.union(e) == a and e.union(a) == a and e.union() == e
    assert a.intersection(e) == e and e.difference(a) == e and a.difference(e) == a
    # The batch engine's groups: every k of them, against at_least.
    k = data.draw(st.integers(1, len(sets)))
    changes = []
    for i, x in enumerate(sets):
        changes.append(Change(f"device:d{i}", -1, "up", "up", "", 0))
        for s, t in x:
            changes += [
                Change(f"device:d{i}", s, "up", "down"),
                Change(f"device:d{i}", t, "down", "up"),
            ]
    refs = tuple(f"device:d{i}" for i in range(len(sets)))
    catalog = SlaCatalog(
        objects=tuple(CatalogObject(ref=r, name=r) for r in refs),
        services=(
            CatalogService(
                ref="service:s", name="s", components=refs, rule=ServiceRule.n_of_m,
                n=len(sets) - k + 1,
            ),
        ),
    )  # fmt: skip
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    ev = evaluate(catalog, History(changes=changes), epoch, epoch + timedelta(microseconds=300),
                  epoch + timedelta(days=1))  # fmt: skip
    assert ev.nodes["service:s"].down == at_least(sets, k)
    assert a.intersection(b) == at_least([a, b], 2) if a is not b else True


def test_grouped_keeps_the_input_order_of_exact_ties() -> None:
    changes = [
        Change("device:a", 5, "up", "down", "first", 1),
        Change("device:a", 5, "down", "unknown", "second", 1),
        Change("device:a", 1, "unknown", "up", "", 0),
    ]
    cols = columns_of(changes)
    assert [cols.texts[c] for c in cols.cause.tolist()] == ["", "first", "second"]
    again = grouped(np.zeros(len(cols), np.int64), ["device:a"], cols.ts, cols.order, cols.old,
                    cols.new, cols.cause, cols.texts)  # fmt: skip
    assert again.ts.tolist() == cols.ts.tolist()
