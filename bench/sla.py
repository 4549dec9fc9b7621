"""SLA benchmark: the engine the report uses, 10,000 objects over a month and a year.

10,000 devices at 100 sites (each site a service over its devices, as sla.catalog builds it from
the inventory). Each device has 50 outages a year (1 minute to 4 hours), i.e. 1,000,000 state
changes, and 5 maintenance windows (2 hours, overlapping outages and each other): 550,000
intervals. For October and for the whole year we time sla.availability.figures (what the
report, the API and the export call) from a fresh History of Change and Window objects, the form
sla.history.history_from_store returns (reading them out of SQLite is not timed), and
build_monthly_report for October (the month plus the year to date, one history); the anchor is
the same per-device computation in DuckDB SQL in the same run (gaps-and-islands merge, overlap
join), from the outage intervals already in a table. Every device's downtime and denominator
must be identical.

    .venv/bin/python bench/sla.py [--objects 10000] [--outages 50] [--per-object]

--per-object also times the per-object reference path (sla.availability, per_object=True).
DuckDB is a bench-only dependency (pip install duckdb).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime

# This file is bench/sla.py: run as a script, its folder comes first on sys.path and would
# shadow the sla package. Drop it before importing.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import numpy as np
import numpy.typing as npt

from noc.model import Inventory
from sla.availability import evaluate, figures
from sla.batch import Keyed
from sla.catalog import SlaCatalog, catalog_of
from sla.history import Change, History, Window
from sla.intervals import I64, from_us, to_us
from sla.report.data import build_monthly_report

YEAR = (to_us(datetime(2026, 1, 1, tzinfo=UTC)), to_us(datetime(2027, 1, 1, tzinfo=UTC)))
OCTOBER = (to_us(datetime(2026, 10, 1, tzinfo=UTC)), to_us(datetime(2026, 11, 1, tzinfo=UTC)))
SECOND = 1_000_000

SQL = """
WITH d AS (
  SELECT k, greatest(s, $lo) AS s, least(e, $hi) AS e FROM down WHERE e > $lo AND s < $hi
), d2 AS (
  SELECT k, s, e, max(e) OVER (PARTITION BY k ORDER BY s, e
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM d
), d3 AS (
  SELECT k, s, e, sum(CASE WHEN prev IS NULL OR s > prev THEN 1 ELSE 0 END)
      OVER (PARTITION BY k ORDER BY s, e) AS g FROM d2
), dm AS (SELECT k, min(s) AS s, max(e) AS e FROM d3 GROUP BY k, g),
m AS (
  SELECT k, greatest(s, $lo) AS s, least(e, $hi) AS e FROM maint WHERE e > $lo AND s < $hi
), m2 AS (
  SELECT k, s, e, max(e) OVER (PARTITION BY k ORDER BY s, e
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM m
), m3 AS (
  SELECT k, s, e, sum(CASE WHEN prev IS NULL OR s > prev THEN 1 ELSE 0 END)
      OVER (PARTITION BY k ORDER BY s, e) AS g FROM m2
), mm AS (SELECT k, min(s) AS s, max(e) AS e FROM m3 GROUP BY k, g),
dsum AS (SELECT k, sum(e - s) AS total FROM dm GROUP BY k),
msum AS (SELECT k, sum(e - s) AS total FROM mm GROUP BY k),
overlap AS (
  SELECT dm.k, sum(least(dm.e, mm.e) - greatest(dm.s, mm.s)) AS total
  FROM dm JOIN mm ON dm.k = mm.k AND dm.s < mm.e AND mm.s < dm.e GROUP BY dm.k
)
SELECT o.k,
  coalesce(dsum.total, 0) - coalesce(overlap.total, 0) AS downtime,
  ($hi - $lo) - coalesce(msum.total, 0) AS counted
FROM objects o
LEFT JOIN dsum ON dsum.k = o.k LEFT JOIN msum ON msum.k = o.k
LEFT JOIN overlap ON overlap.k = o.k
ORDER BY o.k
"""


def generate(n: int, outages: int, seed: int = 1) -> tuple[Keyed, Keyed]:
    """Per object: ``outages`` disjoint outages (1 min to 4 h, sorted) and 5 maintenance windows
    of 2 h that may overlap the outages and each other."""
    rng = np.random.default_rng(seed)
    lo, hi = YEAR
    s = np.sort(rng.integers(lo, hi, (n, outages), dtype=np.int64) // SECOND * SECOND, axis=1)
    nxt = np.concatenate((s[:, 1:], np.full((n, 1), hi + 86400 * SECOND)), axis=1)
    e = np.minimum(s + rng.integers(60, 4 * 3600, (n, outages), dtype=np.int64) * SECOND, nxt)
    keep = (e > s).reshape(-1)
    k = np.repeat(np.arange(n, dtype=np.int64), outages)[keep]
    down = Keyed(k, s.reshape(-1)[keep], e.reshape(-1)[keep])
    mk = np.repeat(np.arange(n, dtype=np.int64), 5)
    ms = rng.integers(lo, hi, mk.size, dtype=np.int64) // SECOND * SECOND
    return down, Keyed(mk, ms, ms + 2 * 3600 * SECOND)


def changes_of(down: Keyed) -> tuple[I64, I64, I64, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """The state changes (up->down at each start, down->up at each end) of disjoint outages."""
    n = down.keys.size
    keys = np.concatenate((down.keys, down.keys))
    ts = np.concatenate((down.starts, down.ends))
    is_start = np.concatenate((np.ones(n, bool), np.zeros(n, bool)))
    # In time order, as the store lists them; an outage's end before the next one's start.
    idx = np.lexsort((is_start, ts))
    order = np.arange(2 * n, dtype=np.int64)
    return keys[idx], ts[idx], order, ~is_start[idx], is_start[idx]


def city(n: int, sites: int = 100) -> SlaCatalog:
    """The catalog of an inventory of ``n`` access switches at ``sites`` sites."""
    inv = Inventory.model_validate(
        {
            "version": 1,
            "city": "Bench",
            "sites": [{"id": f"s{j}", "name": f"S{j}", "kind": "district"} for j in range(sites)],
            "devices": [
                {
                    "id": f"d{i}",
                    "site": f"s{i % sites}",
                    "role": "access_switch",
                    "address": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                }
                for i in range(n)
            ],
        }
    )
    return catalog_of(inv)


def history_of(down: Keyed, maint: Keyed) -> tuple[list[Change], list[Window]]:
    """The state changes and windows as the event store gives them (Change / Window)."""
    keys, ts, order, _, new_down = changes_of(down)
    refs = [f"device:d{k}" for k in range(int(keys.max()) + 1)]
    changes = [
        Change(refs[k], t, "up" if d else "down", "down" if d else "up", "", o + 1)
        for k, t, o, d in zip(
            keys.tolist(), ts.tolist(), order.tolist(), new_down.tolist(), strict=True
        )
    ]
    windows = [
        Window(i + 1, refs[k], s, e)
        for i, (k, s, e) in enumerate(
            zip(maint.keys.tolist(), maint.starts.tolist(), maint.ends.tolist(), strict=True)
        )
    ]
    return changes, windows


def engine(
    catalog: SlaCatalog,
    changes: list[Change],
    windows: list[Window],
    n: int,
    period: tuple[int, int],
    per_object: bool = False,
) -> tuple[float, npt.NDArray[np.int64]]:
    """figures() from a fresh History (nothing cached from an earlier run)."""
    history = History(changes=list(changes), windows=list(windows))
    lo, hi = from_us(period[0]), from_us(period[1])
    t0 = time.perf_counter()
    if per_object:
        ev = evaluate(catalog, history, lo, hi, hi, per_object=True)
        found = {ref: ev.figure(ref) for ref in ev.nodes}
    else:
        found = figures(catalog, history, lo, hi, hi)
    elapsed = time.perf_counter() - t0
    got = [found[f"device:d{i}"] for i in range(n)]
    return elapsed, np.array([(f.downtime_us, f.counted_us) for f in got], dtype=np.int64)


def report(catalog: SlaCatalog, changes: list[Change], windows: list[Window]) -> float:
    history = History(changes=list(changes), windows=list(windows))
    now = datetime(2026, 11, 1, 3, tzinfo=UTC)
    t0 = time.perf_counter()
    build_monthly_report(catalog, history, 2026, 10, now)
    return time.perf_counter() - t0


def duck(n: int, down: Keyed, maint: Keyed, period: tuple[int, int]) -> tuple[float, np.ndarray]:
    import duckdb

    con = duckdb.connect()
    con.register("down_df", {"k": down.keys, "s": down.starts, "e": down.ends})
    con.register("maint_df", {"k": maint.keys, "s": maint.starts, "e": maint.ends})
    con.execute("CREATE TABLE down AS SELECT * FROM down_df")
    con.execute("CREATE TABLE maint AS SELECT * FROM maint_df")
    con.execute(f"CREATE TABLE objects AS SELECT range AS k FROM range({n})")
    t0 = time.perf_counter()
    rows = con.execute(SQL, {"lo": period[0], "hi": period[1]}).fetchnumpy()
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed, np.stack(
        [rows["downtime"].astype(np.int64), rows["counted"].astype(np.int64)], axis=1
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--objects", type=int, default=10_000)
    ap.add_argument("--outages", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--per-object", action="store_true")
    args = ap.parse_args()
    n = args.objects
    down, maint = generate(n, args.outages)
    catalog = city(n)
    changes, windows = history_of(down, maint)
    print(
        f"{n} devices at 100 sites, {len(changes)} state changes ({down.keys.size} outages) + "
        f"{len(windows)} maintenance windows = {down.keys.size + maint.keys.size} intervals"
    )
    worst = 0.0
    slower = False
    for name, period in (("month", OCTOBER), ("year", YEAR)):
        runs = [engine(catalog, changes, windows, n, period) for _ in range(args.repeat)]
        mine = min(r[0] for r in runs)
        anchor = min(duck(n, down, maint, period)[0] for _ in range(args.repeat))
        same = bool(np.array_equal(runs[0][1], duck(n, down, maint, period)[1]))
        worst = max(worst, mine)
        slower = slower or mine > anchor
        print(
            f"{name:5}  sla engine (figures): {mine:.3f} s   duckdb: {anchor:.3f} s   "
            f"ratio duckdb/sla: {anchor / mine:.2f}x   identical results: {same}"
        )
        if args.per_object:
            t, ref = engine(catalog, changes, windows, n, period, per_object=True)
            print(
                f"       per-object path: {t:.3f} s   "
                f"identical: {bool(np.array_equal(ref, runs[0][1]))}"
            )
        if not same:
            print("  MISMATCH: the computations disagree")
            return 1
    rep = min(report(catalog, changes, windows) for _ in range(args.repeat))
    print(f"report  build_monthly_report 2026-10 (month + year to date): {rep:.3f} s")
    verdict = "met" if worst <= 2 and not slower else "NOT met"
    print(
        f"target: <= 2 s and faster than DuckDB: {verdict} "
        f"(worst sla time {worst:.3f} s, report {rep:.3f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
