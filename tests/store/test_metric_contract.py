"""The contract every MetricStore backend passes (napalm-style: a backend's test is a subclass).

A subclass provides the ``store`` fixture, a ``base`` time its backend accepts, and may override
``settle`` (make written samples visible to reads).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from noc.errors import StoreError
from noc.model.observations import Sample
from noc.store.metric_backends import open_metric_store
from noc.store.metrics import Aggregation, MetricStore, SqliteMetricStoreConfig

M = "if_in_bits_per_second"
S = timedelta(seconds=1)


def sample(labels: dict[str, str], value: float, ts: datetime, metric: str = M) -> Sample:
    return Sample(metric=metric, labels=labels, value=value, ts=ts)


class MetricStoreContract:
    @pytest.fixture
    def base(self) -> datetime:
        return datetime(2026, 10, 1, 12, 0, tzinfo=UTC)

    def settle(self, store: MetricStore) -> None:
        store.flush()

    def test_is_a_metric_store(self, store: MetricStore) -> None:
        assert isinstance(store, MetricStore)

    def test_latest_is_the_newest_value_per_series(
        self, store: MetricStore, base: datetime
    ) -> None:
        a, b = {"device": "core-1", "ifname": "Te1/1"}, {"device": "core-2", "ifname": "Te1/1"}
        store.write([sample(a, 1.0, base), sample(b, 10.0, base)])
        store.write([sample(a, 2.5, base + 30 * S), sample(b, 20.0, base + 15 * S)])
        store.write([sample({"device": "x"}, 9.0, base, metric="other_metric")])
        self.settle(store)
        got = {v.labels["device"]: (v.value, v.ts) for v in store.latest(M)}
        assert got == {"core-1": (2.5, base + 30 * S), "core-2": (20.0, base + 15 * S)}
        only = store.latest(M, {"device": "core-2"})
        assert [(v.metric, v.labels, v.value) for v in only] == [(M, b, 20.0)]
        assert store.latest(M, {"device": "nope"}) == []
        assert store.latest("never_written_total") == []

    def test_query_range_aggregates_each_step_exactly(
        self, store: MetricStore, base: datetime
    ) -> None:
        lab = {"device": "core-1"}
        values = [4.0, 1.0, 7.0, 2.0, 8.0, 3.0, 5.0, 6.0]  # one every 15 s, two minutes
        store.write([sample(lab, v, base + i * 15 * S) for i, v in enumerate(values)])
        self.settle(store)
        end = base + 2 * timedelta(minutes=1)
        expect = {
            Aggregation.avg: [3.5, 5.5],
            Aggregation.min: [1.0, 3.0],
            Aggregation.max: [7.0, 8.0],
            Aggregation.last: [2.0, 6.0],
            Aggregation.sum: [14.0, 22.0],
        }
        for agg, want in expect.items():
            (series,) = store.query_range(M, lab, base, end, timedelta(minutes=1), agg)
            assert series.labels == lab
            assert series.step == timedelta(minutes=1)
            assert [p.ts for p in series.points] == [base, base + timedelta(minutes=1)]
            assert [p.value for p in series.points] == want, agg

    def test_query_range_is_half_open_and_epoch_aligned(
        self, store: MetricStore, base: datetime
    ) -> None:
        lab = {"device": "d"}
        store.write([sample(lab, float(i), base + i * 10 * S) for i in range(12)])
        self.settle(store)
        (series,) = store.query_range(
            M, lab, base + 25 * S, base + 90 * S, timedelta(seconds=30), Aggregation.sum
        )
        # samples 30..80 s (3..8) and 25 s excluded (not a sample time); 90 s is excluded
        assert [(p.ts - base, p.value) for p in series.points] == [
            (30 * S, 3.0 + 4 + 5),
            (60 * S, 6.0 + 7 + 8),
        ]
        raw = store.query_range(M, lab, base, base + 120 * S, S, Aggregation.last)
        assert [p.value for p in raw[0].points] == [float(i) for i in range(12)]
        assert [p.ts for p in raw[0].points] == [base + i * 10 * S for i in range(12)]

    def test_matchers_select_series(self, store: MetricStore, base: datetime) -> None:
        rows = [
            sample({"site": "dc", "device": "core-1"}, 1.0, base),
            sample({"site": "dc", "device": "core-2"}, 2.0, base),
            sample({"site": "drc", "device": "core-3"}, 3.0, base),
        ]
        store.write(rows)
        self.settle(store)
        res = store.query_range(M, {"site": "dc"}, base, base + S, S, Aggregation.max)
        assert sorted((s.labels["device"], s.points[0].value) for s in res) == [
            ("core-1", 1.0),
            ("core-2", 2.0),
        ]
        assert len(store.query_range(M, None, base, base + S, S, Aggregation.max)) == 3

    def test_label_values_survive_the_round_trip(self, store: MetricStore, base: datetime) -> None:
        odd = {"descr": 'Uplink to "DRC", port=1 a\\b', "site": "Kantor Walikota ü"}
        store.write([sample(odd, 0.125, base), sample({"descr": "plain"}, -3e-5, base)])
        self.settle(store)
        got = {v.labels["descr"]: v for v in store.latest(M)}
        assert got[odd["descr"]].labels == odd
        assert got[odd["descr"]].value == 0.125
        assert got["plain"].value == -3e-5

    def test_large_batch_over_many_series(self, store: MetricStore, base: datetime) -> None:
        batch = [sample({"device": f"d{i}"}, i * 0.5, base + (i % 7) * S) for i in range(6000)]
        store.write(batch)
        self.settle(store)
        got = {v.labels["device"]: (v.value, v.ts) for v in store.latest(M)}
        assert len(got) == 6000
        assert got["d4321"] == (4321 * 0.5, base + (4321 % 7) * S)

    def test_stats_count_written_points(self, store: MetricStore, base: datetime) -> None:
        before = store.stats()["points_written_total"]
        store.write([sample({"device": "a"}, 1.0, base + i * S) for i in range(5)])
        store.write([])
        assert store.stats()["points_written_total"] - before == 5


def sqlite_config(tmp_path: Path) -> SqliteMetricStoreConfig:
    return SqliteMetricStoreConfig(path=tmp_path / "metrics.db")


class TestSqliteContract(MetricStoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[MetricStore]:
        store = open_metric_store(sqlite_config(tmp_path))
        yield store
        store.close()


def test_unknown_backend_is_a_clear_error() -> None:
    class Cfg:
        backend = "rrdtool"

    with pytest.raises(StoreError, match=r"unknown metric store backend 'rrdtool'.*sqlite"):
        open_metric_store(Cfg())


def test_nan_is_kept_and_skipped_by_aggregation(tmp_path: Path) -> None:
    store = open_metric_store(sqlite_config(tmp_path))
    base = datetime(2026, 10, 1, tzinfo=UTC)
    store.write([sample({}, 2.0, base), sample({}, math.nan, base + S)])
    (latest,) = store.latest(M)
    assert math.isnan(latest.value)
    (avg,) = store.query_range(M, None, base, base + 60 * S, 60 * S, Aggregation.avg)
    assert avg.points[0].value == 2.0
    store.close()
