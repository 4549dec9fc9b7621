"""Step aggregation shared by every metric backend.

Raw samples and rollup rows are both folded into the same partial aggregate
(count, sum, min, max, last_ts, last), so a bucket answered from a mix of raw data and
rollups gives the same numbers as one answered from raw data alone.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from datetime import UTC, datetime, timedelta

from noc.store.metrics import Aggregation

MS_PER_DAY = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)
NAN = math.nan


def to_ms(ts: datetime) -> int:
    """Milliseconds since the epoch, exact (sub-millisecond parts are truncated)."""
    if ts.tzinfo is None:
        raise ValueError(f"naive datetime {ts.isoformat()} has no time zone; use UTC")
    return (ts - _EPOCH) // _ONE_MS


def from_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def step_ms(step: timedelta) -> int:
    ms = step // _ONE_MS
    if ms <= 0:
        raise ValueError(f"step {step} must be at least one millisecond")
    return ms


# A partial aggregate: [count, sum, min, max, last_ts, last]; count/sum/min/max skip NaN.
Acc = list[float]


class Folder:
    """Folds raw samples and partial aggregates into epoch-aligned buckets of ``step`` ms."""

    def __init__(self, step: int) -> None:
        self.step = step
        self.buckets: dict[tuple[Hashable, int], Acc] = {}

    def add_raw(self, series: Hashable, ts: int, value: float | None) -> None:
        v = NAN if value is None else value
        self._add(series, ts, 0 if v != v else 1, v, v, v, ts, v)

    def add_partial(
        self,
        series: Hashable,
        bucket: int,
        count: int,
        total: float | None,
        low: float | None,
        high: float | None,
        last_ts: int,
        last: float | None,
    ) -> None:
        self._add(
            series,
            bucket,
            count,
            NAN if total is None else total,
            NAN if low is None else low,
            NAN if high is None else high,
            last_ts,
            NAN if last is None else last,
        )

    def _add(
        self,
        series: Hashable,
        ts: int,
        count: int,
        total: float,
        low: float,
        high: float,
        last_ts: int,
        last: float,
    ) -> None:
        key = (series, ts - ts % self.step)
        acc = self.buckets.get(key)
        if acc is None:
            if count == 0:
                total, low, high = 0.0, NAN, NAN
            self.buckets[key] = [count, total, low, high, last_ts, last]
            return
        if count:
            acc[1] += total
            acc[2] = low if acc[0] == 0 or low < acc[2] else acc[2]
            acc[3] = high if acc[0] == 0 or high > acc[3] else acc[3]
            acc[0] += count
        if last_ts >= acc[4]:
            acc[4], acc[5] = last_ts, last

    def series_points(self, agg: Aggregation) -> dict[Hashable, list[tuple[int, float]]]:
        """Per series, ``(bucket_ms, value)`` in time order."""
        out: dict[Hashable, list[tuple[int, float]]] = {}
        for (series, bucket), acc in sorted(self.buckets.items(), key=_order):
            out.setdefault(series, []).append((bucket, finish(acc, agg)))
        return out


def _order(item: tuple[tuple[Hashable, int], Acc]) -> tuple[str, int]:
    (series, bucket), _ = item
    return (str(series), bucket)


def finish(acc: Acc, agg: Aggregation) -> float:
    count = acc[0]
    if agg is Aggregation.last:
        return acc[5]
    if count == 0:
        return NAN
    if agg is Aggregation.avg:
        return acc[1] / count
    if agg is Aggregation.sum:
        return acc[1]
    if agg is Aggregation.min:
        return acc[2]
    return acc[3]


def widen_step(step: int, resolution: int) -> int:
    """The smallest multiple of ``resolution`` that is at least ``step``."""
    if resolution <= 1:
        return step
    return max(resolution, -(-step // resolution) * resolution)


def labels_match(labels: dict[str, str], matchers: dict[str, str] | None) -> bool:
    if not matchers:
        return True
    return all(labels.get(k, "") == v for k, v in matchers.items())
