"""The metric store: where samples go, and how they come back.

Two backends implement :class:`MetricStore`: ``sqlite`` (embedded, the default) and
``influxdb`` (influxdb-client; InfluxDB 2.x/3.x and line-protocol engines such as
VictoriaMetrics). :func:`noc.store.metric_backends.open_metric_store` opens one from its config.

Query semantics shared by every backend:

* Timestamps are UTC and kept with millisecond resolution (finer parts are truncated).
* ``query_range(start, end, step)`` reads samples with ``start <= ts < end`` and groups them in
  buckets aligned to the Unix epoch (``floor(ts / step) * step``); each returned point carries
  the bucket start. The first bucket may start before ``start`` and then covers only part of it.
* A backend may answer from a coarser resolution (a rollup) for old data; it then widens the step
  to a multiple of that resolution, and :attr:`Series.step` says which step was used.
* NaN values are stored; ``avg``/``min``/``max``/``sum`` skip them (NaN when a bucket has only
  NaN), ``last`` does not.
* The embedded store keeps one sample per series and timestamp (the last written); a server
  backend keeps whatever its engine keeps (VictoriaMetrics keeps both).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from noc.model.observations import Sample


class Aggregation(StrEnum):
    avg = "avg"
    min = "min"
    max = "max"
    last = "last"
    sum = "sum"


class Point(BaseModel):
    model_config = ConfigDict(frozen=True)

    ts: datetime
    value: float


class Series(BaseModel):
    """One series of a range query, points in time order."""

    model_config = ConfigDict(frozen=True)

    metric: str
    labels: dict[str, str]
    step: timedelta
    points: list[Point]


class SeriesValue(BaseModel):
    """The newest value of one series."""

    model_config = ConfigDict(frozen=True)

    metric: str
    labels: dict[str, str]
    value: float
    ts: datetime


class RetentionReport(BaseModel):
    """What one :meth:`MetricStore.apply_retention` pass did."""

    model_config = ConfigDict(frozen=True)

    rolled_up_days: int = 0
    dropped_partitions: int = 0


@runtime_checkable
class MetricStore(Protocol):
    """A time-series store. Synchronous and thread-safe; call it from a worker thread."""

    def write(self, samples: Sequence[Sample]) -> None:
        """Accept ``samples``; raises StoreError when they cannot be accepted."""
        ...

    def flush(self) -> None:
        """Make every accepted sample durable (on disk here or at the server)."""
        ...

    def latest(self, metric: str, matchers: dict[str, str] | None = None) -> list[SeriesValue]:
        """The newest value of each series of ``metric`` whose labels equal ``matchers``."""
        ...

    def query_range(
        self,
        metric: str,
        matchers: dict[str, str] | None,
        start: datetime,
        end: datetime,
        step: timedelta,
        agg: Aggregation = Aggregation.avg,
    ) -> list[Series]:
        """Samples of ``metric`` in ``[start, end)`` aggregated per ``step`` (see module doc)."""
        ...

    def apply_retention(self, now: datetime) -> RetentionReport:
        """Roll up and delete old data; a no-op where the server keeps retention."""
        ...

    def stats(self) -> dict[str, float]:
        """Health counters (``points_written_total``, ...) for /metrics."""
        ...

    def close(self) -> None: ...


class SqliteMetricStoreConfig(BaseModel):
    """The embedded store: one SQLite file (WAL), raw data plus 5-minute and 1-hour rollups."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["sqlite"] = "sqlite"
    path: Path
    raw_retention_days: int = Field(default=14, ge=1)
    rollup_5m_retention_days: int = Field(default=90, ge=1)
    rollup_1h_retention_days: int = Field(default=800, ge=1)
    rollup_delay: timedelta = Field(
        default=timedelta(minutes=10),
        description="how long after a UTC day ends before it is rolled up (late samples)",
    )
    cache_size_mib: int = Field(default=64, ge=1)
    synchronous: Literal["OFF", "NORMAL", "FULL"] = "NORMAL"

    @model_validator(mode="after")
    def _longer_rollups(self) -> SqliteMetricStoreConfig:
        if not (
            self.raw_retention_days
            <= self.rollup_5m_retention_days
            <= self.rollup_1h_retention_days
        ):
            raise ValueError(
                "retention must grow with resolution: raw_retention_days <= "
                "rollup_5m_retention_days <= rollup_1h_retention_days"
            )
        return self


class InfluxMetricStoreConfig(BaseModel):
    """Writes line protocol through influxdb-client, spooling on disk while the server is away.

    Layout (see docs/influx-layout.md): measurement = metric name, tags = labels, one field
    ``value``, timestamp in milliseconds. ``token`` may be a literal or a reference
    ``env:NAME`` / ``file:/path`` resolved when the store opens.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["influxdb"] = "influxdb"
    url: str = Field(pattern=r"^https?://")
    org: str = ""
    bucket: str = Field(min_length=1)
    token: SecretStr | None = None
    batch_size: int = Field(default=5000, ge=1, le=100_000)
    flush_interval: timedelta = timedelta(seconds=1)
    timeout: timedelta = timedelta(seconds=10)
    retry_initial: timedelta = timedelta(milliseconds=200)
    retry_max: timedelta = timedelta(seconds=30)
    spool_path: Path
    spool_max_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    spool_fsync: bool = False
    close_timeout: timedelta = timedelta(seconds=5)
    query_url: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description="a Prometheus-compatible export API (VictoriaMetrics) for reads; "
        "without it the store is write-only",
    )
    latest_lookback: timedelta = Field(
        default=timedelta(days=1), description="how far back latest() looks for a value"
    )
    query_metric_suffix: str = Field(
        default="_value",
        description="what the engine appends to the measurement name ('' with "
        "VictoriaMetrics -influxSkipSingleField)",
    )

    @field_validator("url", "query_url")
    @classmethod
    def _strip_slash(cls, v: str | None) -> str | None:
        return v.rstrip("/") if v else v


MetricStoreConfig = Annotated[
    SqliteMetricStoreConfig | InfluxMetricStoreConfig, Field(discriminator="backend")
]
