"""Availability equals a brute-force per-second bitmap oracle, exactly.

Random state changes (down, unreachable, unknown, maintenance), maintenance windows (some
cancelled), business-hours calendars in zones with and without daylight saving time, every
maintenance treatment, and services over 2-4 components with every rule.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noc.model import BusinessHours, MaintenanceTreatment, Policy, ServiceRule
from sla import batch
from sla.availability import evaluate
from sla.catalog import CatalogObject, CatalogService, SlaCatalog
from sla.history import Change, History, Window
from sla.intervals import IntervalSet, to_us
from tests.sla.oracle import Bits, bitmap, calendar_bits, oracle

# Europe/Berlin springs forward on 29 March 2026 and falls back on 25 October 2026.
BASES = [datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)]
ZONES = ["Asia/Jakarta", "Europe/Berlin", "UTC"]
STATES = ["up", "down", "unreachable", "unknown", "maintenance"]
# NOC_SLA_EXAMPLES raises the example count for a longer local run (CI keeps it bounded).
EXAMPLES = int(os.environ.get("NOC_SLA_EXAMPLES", "60"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def scenario(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.sampled_from(BASES)) + timedelta(minutes=draw(st.integers(0, 2 * 1440)))
    seconds = draw(st.integers(1, 3 * 86400))
    m = draw(st.integers(1, 4))
    sec = st.integers(-3600, seconds + 3600)
    comps = []
    for _ in range(m):
        n = draw(st.integers(0, 6))
        ch = sorted(draw(st.lists(sec, min_size=n, max_size=n)))
        states = draw(st.lists(st.sampled_from(STATES), min_size=n + 1, max_size=n + 1))
        wins = draw(
            st.lists(
                st.tuples(sec, st.integers(1, 20000), st.one_of(st.none(), st.integers(0, 20000))),
                max_size=3,
            )
        )
        comps.append((ch, states, wins))
    own = draw(st.lists(st.tuples(sec, st.integers(1, 20000), st.none()), max_size=2))
    hours = draw(
        st.one_of(
            st.none(),
            st.builds(
                lambda d, a, b: BusinessHours(
                    days=d, start=time(a // 60, a % 60), end=time(b // 60, b % 60)
                ),
                st.lists(
                    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                    min_size=1,
                    unique=True,
                ),
                st.integers(0, 600),
                st.integers(601, 1439),
            ),
        )
    )
    rule = draw(st.sampled_from(list(ServiceRule)))
    return {
        "start": start,
        "seconds": seconds,
        "comps": comps,
        "own": own,
        "hours": hours,
        "tz": draw(st.sampled_from(ZONES)),
        "treatment": draw(st.sampled_from(list(MaintenanceTreatment))),
        "rule": rule,
        "n": draw(st.integers(1, m)) if rule is ServiceRule.n_of_m else None,
        "now_cut": draw(st.one_of(st.none(), st.integers(0, seconds))),
    }


def build(sc: dict[str, Any]) -> tuple[SlaCatalog, History]:
    def at(off: int) -> int:
        return to_us(sc["start"] + timedelta(seconds=off))

    changes, windows, order = [], [], 0
    for i, (ch, states, wins) in enumerate(sc["comps"]):
        for j, off in enumerate(ch):
            order += 1
            changes.append(Change(f"device:d{i}", at(off), states[j], states[j + 1], "", order))
        for k, (s, length, cancel) in enumerate(wins):
            end = s + length if cancel is None else min(s + length, s + cancel)
            if end > s:
                windows.append(Window(100 * i + k, f"device:d{i}", at(s), at(end)))
    for k, (s, length, _) in enumerate(sc["own"]):
        windows.append(Window(1000 + k, "service:svc", at(s), at(s + length)))
    policy = Policy(business_hours=sc["hours"], maintenance=sc["treatment"])
    m = len(sc["comps"])
    catalog = SlaCatalog(
        timezone=sc["tz"],
        policies={"default": Policy(), "p": policy},
        objects=tuple(
            CatalogObject(ref=f"device:d{i}", name=f"d{i}", policy="p") for i in range(m)
        ),
        services=(
            CatalogService(
                ref="service:svc",
                name="svc",
                policy="p",
                components=tuple(f"device:d{i}" for i in range(m)),
                rule=sc["rule"],
                n=sc["n"],
            ),
        ),
    )
    return catalog, History(changes=changes, windows=windows)


def component_bits(sc: dict[str, Any], i: int, seconds: int) -> tuple[Bits, Bits, Bits]:
    """(down incl. planned, state maintenance, windows) of component i, per second."""
    ch, states, wins = sc["comps"][i]
    down = np.zeros(seconds, bool)
    smaint = np.zeros(seconds, bool)
    bounds = [-(10**9), *ch, 10**9]
    for j, state in enumerate(states if ch else []):  # no change recorded: no data, not down
        a, b = max(0, bounds[j]), min(seconds, bounds[j + 1])
        if a < b and state in ("down", "unreachable"):
            down[a:b] = True
        if a < b and state == "maintenance":
            smaint[a:b] = True
    spans = []
    for s, length, cancel in wins:
        end = s + length if cancel is None else min(s + length, s + cancel)
        spans.append((sc["start"] + timedelta(seconds=s), sc["start"] + timedelta(seconds=end)))
    return down | smaint, smaint, bitmap(sc["start"], seconds, spans)


@SETTINGS
@given(scenario())
def test_devices_and_service_equal_the_bitmap_oracle(sc: dict[str, Any]) -> None:
    catalog, history = build(sc)
    seconds = sc["seconds"] if sc["now_cut"] is None else sc["now_cut"]
    end = sc["start"] + timedelta(seconds=sc["seconds"])
    now = (
        end + timedelta(days=1)
        if sc["now_cut"] is None
        else sc["start"] + timedelta(seconds=sc["now_cut"])
    )
    ev = evaluate(catalog, history, sc["start"], end, now)
    cal = calendar_bits(sc["start"], seconds, sc["hours"], ZoneInfo(sc["tz"]))
    t = sc["treatment"]
    unplanned, anydown = [], []
    for i in range(len(sc["comps"])):
        a, smaint, wins = component_bits(sc, i, seconds)
        planned = wins | smaint
        want = oracle(a & ~planned, planned, cal, t)
        fig = ev.figure(f"device:d{i}")
        assert (fig.downtime_us, fig.counted_us) == (want[0] * 10**6, want[1] * 10**6)
        assert ev.totals[f"device:d{i}"] == (fig.downtime_us, fig.counted_us)
        unplanned.append(a & ~planned)
        anydown.append(a)
    m = len(sc["comps"])
    need = {ServiceRule.all: m, ServiceRule.any: 1, ServiceRule.n_of_m: sc["n"]}[sc["rule"]]
    k = m - need + 1
    fails_u = np.sum(unplanned, axis=0) >= k
    fails_a = np.sum(anydown, axis=0) >= k
    own = bitmap(
        sc["start"],
        seconds,
        [
            (sc["start"] + timedelta(seconds=s), sc["start"] + timedelta(seconds=s + n))
            for s, n, _ in sc["own"]
        ],
    )
    planned = own | (fails_a & ~fails_u)
    want = oracle(fails_u & ~planned, planned, cal, t)
    fig = ev.figure("service:svc")
    assert (fig.downtime_us, fig.counted_us) == (want[0] * 10**6, want[1] * 10**6)
    assert ev.totals["service:svc"] == (fig.downtime_us, fig.counted_us)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(-50, 400), st.integers(0, 120)), max_size=30),
    st.lists(st.tuples(st.integers(0, 3), st.integers(-50, 400), st.integers(0, 120)), max_size=10),
    st.lists(st.sampled_from(list(MaintenanceTreatment)), min_size=4, max_size=4),
)
def test_batch_equals_oracle_for_many_objects(
    down: list[tuple[int, int, int]],
    maint: list[tuple[int, int, int]],
    treatments: list[MaintenanceTreatment],
) -> None:
    lo, hi = 0, 300
    t = batch.totals(
        4,
        lo,
        hi,
        batch.Keyed.of([(k, s, s + n) for k, s, n in down]),
        batch.Keyed.of([(k, s, s + n) for k, s, n in maint]),
        treatments,
    )
    for key in range(4):
        d = np.zeros(hi, bool)
        m = np.zeros(hi, bool)
        for k, s, n in down:
            if k == key:
                d[max(0, s) : max(0, min(hi, s + n))] = True
        for k, s, n in maint:
            if k == key:
                m[max(0, s) : max(0, min(hi, s + n))] = True
        assert (int(t.downtime[key]), int(t.counted[key])) == oracle(
            d, m, np.ones(hi, bool), treatments[key]
        )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(-50, 350),
            st.sampled_from(STATES),
            st.sampled_from(STATES),
        ),
        max_size=25,
    ),
    st.integers(-20, 250),
    st.booleans(),
)
def test_vectorized_changes_equal_the_timeline(
    rows: list[tuple[int, int, str, str]], lo: int, in_time_order: bool
) -> None:
    from sla.timeline import timelines

    if in_time_order:
        rows = sorted(rows, key=lambda r: r[1])
    hi = 300
    changes = [
        Change(f"device:d{k}", t, old, new, "", i) for i, (k, t, old, new) in enumerate(rows)
    ]
    keyed = batch.down_from_changes(
        np.array([r[0] for r in rows], np.int64),
        np.array([r[1] for r in rows], np.int64),
        np.arange(len(rows), dtype=np.int64),
        np.array([r[2] in ("down", "unreachable") for r in rows], bool),
        np.array([r[3] in ("down", "unreachable") for r in rows], bool),
        hi,
        lo=lo,
    )
    tl = timelines(changes, lo, hi)
    for key in range(4):
        ref = f"device:d{key}"
        want = tl[ref].down if ref in tl else IntervalSet.empty()
        mine = [
            (max(s, lo), min(e, hi))
            for k, s, e in zip(keyed.keys, keyed.starts, keyed.ends, strict=True)
            if k == key
        ]
        assert IntervalSet.of([p for p in mine if p[0] < p[1]]) == want
