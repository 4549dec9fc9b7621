"""The embedded store: downsampling and retention, exact step aggregation, crash and reopen."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from noc.errors import StoreError
from noc.model.observations import Sample
from noc.store.metrics import Aggregation, SqliteMetricStoreConfig
from noc.store.sqlite_metrics import SqliteMetricStore

M = "ups_load_ratio"
MIN = timedelta(minutes=1)
DAY = timedelta(days=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# a day on which the 7- and 28-day rollup partitions start, so partition counts are exact
D0 = EPOCH + 28 * DAY * ((datetime(2026, 9, 1, tzinfo=UTC) - EPOCH) // (28 * DAY))


def cfg(tmp_path: Path, **kw: object) -> SqliteMetricStoreConfig:
    return SqliteMetricStoreConfig.model_validate({"path": tmp_path / "m.db", **kw})


def minutes(store: SqliteMetricStore, days: int, labels: dict[str, str]) -> None:
    """One sample a minute, value = minute index, for ``days`` days from D0."""
    batch = [
        Sample(metric=M, labels=labels, value=float(i), ts=D0 + i * MIN) for i in range(days * 1440)
    ]
    for i in range(0, len(batch), 5000):
        store.write(batch[i : i + 5000])


def mean(lo: int, hi: int) -> float:
    return sum(float(i) for i in range(lo, hi)) / (hi - lo)


def test_retention_downsamples_and_queries_pick_the_finest_covering_tier(tmp_path: Path) -> None:
    store = SqliteMetricStore(
        cfg(tmp_path, raw_retention_days=2, rollup_5m_retention_days=5, rollup_1h_retention_days=30)
    )
    ups = {"device": "ups-1"}
    minutes(store, 12, ups)
    now = D0 + 12 * DAY + timedelta(hours=1)
    report = store.apply_retention(now)
    # days 0..11 rolled; raw days 0..9 and the first 7-day 5m partition dropped
    assert (report.rolled_up_days, report.dropped_partitions) == (12, 11)
    assert store.apply_retention(now).rolled_up_days == 0  # incremental: nothing to redo

    (raw,) = store.query_range(
        M, ups, D0 + 11 * DAY, D0 + 11 * DAY + 5 * MIN, MIN, Aggregation.last
    )
    assert raw.step == MIN
    assert [p.value for p in raw.points] == [float(11 * 1440 + i) for i in range(5)]

    start, end = D0 + 8 * DAY, D0 + 12 * DAY
    (r5,) = store.query_range(M, ups, start, end, MIN, Aggregation.avg)
    assert r5.step == 5 * MIN  # widened to the 5-minute rollup
    first = 8 * 1440
    assert len(r5.points) == 4 * 288
    assert [p.value for p in r5.points] == [
        mean(first + 5 * k, first + 5 * k + 5) for k in range(1152)
    ]
    assert [p.ts for p in r5.points[:2]] == [start, start + 5 * MIN]

    (r1h,) = store.query_range(M, ups, D0 + DAY, D0 + 3 * DAY, timedelta(hours=1), Aggregation.max)
    assert r1h.step == timedelta(hours=1)
    assert [p.value for p in r1h.points] == [float(1440 + 60 * h + 59) for h in range(48)]
    (r1h_last,) = store.query_range(
        M, ups, D0 + DAY, D0 + 2 * DAY, timedelta(hours=2), Aggregation.last
    )
    assert [p.value for p in r1h_last.points] == [float(1440 + 120 * h + 119) for h in range(12)]

    (latest,) = store.latest(M, ups)
    assert (latest.value, latest.ts) == (float(12 * 1440 - 1), D0 + (12 * 1440 - 1) * MIN)

    # a late sample in a rolled-up day is seen at once (raw) and after the day is rolled again
    late_ts = D0 + 11 * DAY + timedelta(seconds=30)
    store.write([Sample(metric=M, labels=ups, value=1e6, ts=late_ts)])
    window = (D0 + 10 * DAY, D0 + 11 * DAY + 5 * MIN)
    rerolled = []
    for _ in range(2):
        (res,) = store.query_range(M, ups, window[0] - 3 * DAY, window[1], 5 * MIN, Aggregation.sum)
        bucket = {p.ts: p.value for p in res.points}[D0 + 11 * DAY]
        assert bucket == sum(float(11 * 1440 + i) for i in range(5)) + 1e6
        rerolled.append(store.apply_retention(now).rolled_up_days)
    assert rerolled == [1, 0]

    # a sample older than raw retention is refused and counted, not half-rolled-up
    store.write([Sample(metric=M, labels=ups, value=-1.0, ts=D0 + DAY + 30 * timedelta(seconds=1))])
    assert store.stats()["points_too_old_total"] == 1
    (again,) = store.query_range(
        M, ups, D0 + DAY, D0 + DAY + timedelta(hours=1), timedelta(hours=1), Aggregation.min
    )
    assert [p.value for p in again.points] == [1440.0]

    assert store.apply_retention(D0 + 60 * DAY).dropped_partitions > 0
    assert store.query_range(M, ups, D0, D0 + 12 * DAY, timedelta(hours=1), Aggregation.avg) == []
    store.close()


def test_same_timestamp_twice_keeps_one_sample_the_last(tmp_path: Path) -> None:
    store = SqliteMetricStore(cfg(tmp_path))
    t = D0 + timedelta(hours=3)
    store.write([Sample(metric=M, value=1.0, ts=t), Sample(metric=M, value=2.0, ts=t)])
    store.write([Sample(metric=M, value=3.0, ts=t)])
    (s,) = store.query_range(M, None, t, t + MIN, MIN, Aggregation.sum)
    assert [p.value for p in s.points] == [3.0]
    store.close()


_CRASH = """
import os, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from noc.model.observations import Sample
from noc.store.metrics import SqliteMetricStoreConfig
from noc.store.sqlite_metrics import SqliteMetricStore
store = SqliteMetricStore(SqliteMetricStoreConfig(path=Path(sys.argv[1])))
t = datetime(2026, 10, 1, tzinfo=UTC)
for b in range(4):
    store.write([Sample(metric="m", labels={"i": str(i)}, value=b * 1000.0 + i,
                        ts=t + timedelta(seconds=b)) for i in range(1000)])
os._exit(0)  # no close, no checkpoint: like a killed process
"""


def test_crash_without_close_loses_no_committed_batch(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    subprocess.run([sys.executable, "-c", _CRASH, str(path)], check=True, timeout=60)
    store = SqliteMetricStore(cfg(tmp_path))
    got = {v.labels["i"]: v.value for v in store.latest("m")}
    assert len(got) == 1000
    assert got["999"] == 3999.0
    t = datetime(2026, 10, 1, tzinfo=UTC)
    # new series after reopen get fresh ids (no collision with the ones written before)
    store.write([Sample(metric="m", labels={"i": "new"}, value=-1.0, ts=t)])
    got = {v.labels["i"]: v.value for v in store.latest("m")}
    assert (len(got), got["new"], got["0"]) == (1001, -1.0, 3000.0)
    store.close()


def test_second_open_is_refused_while_in_use(tmp_path: Path) -> None:
    store = SqliteMetricStore(cfg(tmp_path))
    with pytest.raises(StoreError, match=r"m\.db is in use by another process"):
        SqliteMetricStore(cfg(tmp_path))
    store.close()
    SqliteMetricStore(cfg(tmp_path)).close()


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    (tmp_path / "m.db").write_bytes(b"not sqlite at all, just text" * 100)
    with pytest.raises(StoreError, match=r"m\.db is not a readable SQLite database"):
        SqliteMetricStore(cfg(tmp_path))


def test_closed_store_says_so(tmp_path: Path) -> None:
    store = SqliteMetricStore(cfg(tmp_path))
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.write([Sample(metric=M, value=1.0, ts=D0)])


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    store = SqliteMetricStore(cfg(tmp_path))

    def writer(n: int) -> None:
        for b in range(20):
            store.write(
                [
                    Sample(metric=M, labels={"w": str(n), "i": str(i)}, value=1.0, ts=D0 + b * MIN)
                    for i in range(100)
                ]
            )

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    res = store.query_range(M, None, D0, D0 + DAY, DAY, Aggregation.sum)
    assert len(res) == 400
    assert {s.points[0].value for s in res} == {20.0}
    assert store.stats()["points_written_total"] == 8000
    store.close()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"raw_retention_days": 30, "rollup_5m_retention_days": 7}, "retention must grow"),
        ({"retention": 3}, "Extra inputs are not permitted"),
        ({"raw_retention_days": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_config_is_refused(tmp_path: Path, extra: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        cfg(tmp_path, **extra)
