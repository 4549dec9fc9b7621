"""SLA benchmark: availability of 10,000 objects over a month and a year.

Each object has 50 outages a year (1 minute to 4 hours) and 5 maintenance windows (2 hours,
overlapping outages and each other): 550,000 intervals. For October and for the whole year we
time sla.batch (clip, merge, subtract maintenance, per-object totals), once from the outage
intervals and once from the 1,000,000 state changes behind them (sla.batch.down_from_changes
first), and the same computation in DuckDB SQL in the same run as the anchor (gaps-and-islands
merge, overlap join); all three must give identical integers.

    .venv/bin/python bench/sla.py [--objects 10000] [--outages 50]

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

from noc.model.policy import MaintenanceTreatment
from sla.batch import Keyed, down_from_changes, totals
from sla.intervals import I64, to_us

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


def from_changes(
    n: int,
    changes: tuple[I64, I64, I64, npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
    maint: Keyed,
    period: tuple[int, int],
) -> tuple[float, npt.NDArray[np.int64]]:
    t0 = time.perf_counter()
    down = down_from_changes(*changes, hi=period[1], lo=period[0])
    t = totals(n, period[0], period[1], down, maint, [MaintenanceTreatment.exclude] * n)
    elapsed = time.perf_counter() - t0
    return elapsed, np.stack([t.downtime, t.counted], axis=1)


def ours(n: int, down: Keyed, maint: Keyed, period: tuple[int, int]) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    t = totals(n, period[0], period[1], down, maint, [MaintenanceTreatment.exclude] * n)
    elapsed = time.perf_counter() - t0
    return elapsed, np.stack([t.downtime, t.counted], axis=1)


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
    args = ap.parse_args()
    down, maint = generate(args.objects, args.outages)
    print(
        f"{args.objects} objects, {down.keys.size} outages + {maint.keys.size} maintenance "
        f"windows = {down.keys.size + maint.keys.size} intervals"
    )
    changes = changes_of(down)
    worst = 0.0
    for name, period in (("month", OCTOBER), ("year", YEAR)):
        mine = min(ours(args.objects, down, maint, period)[0] for _ in range(args.repeat))
        full = min(
            from_changes(args.objects, changes, maint, period)[0] for _ in range(args.repeat)
        )
        anchor = min(duck(args.objects, down, maint, period)[0] for _ in range(args.repeat))
        a = ours(args.objects, down, maint, period)[1]
        b = duck(args.objects, down, maint, period)[1]
        c = from_changes(args.objects, changes, maint, period)[1]
        same = bool(np.array_equal(a, b) and np.array_equal(a, c))
        worst = max(worst, mine, full)
        print(
            f"{name:5}  sla from intervals: {mine:.3f} s   sla from state changes: {full:.3f} s   "
            f"duckdb: {anchor:.3f} s   ratio duckdb/sla: {anchor / mine:.2f}x "
            f"({anchor / full:.2f}x from state changes)   identical results: {same}"
        )
        if not same:
            print("  MISMATCH: the computations disagree")
            return 1
    print(f"target: <= 2 s and faster than DuckDB; worst sla time {worst:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
