"""The ``influxdb`` metric backend.

``write`` encodes samples as line protocol (:mod:`.lineproto`) into a memory buffer; a full
batch (``batch_size`` lines), or whatever is buffered after ``flush_interval``, is sealed into
the disk spool (:mod:`.spool`). One sender thread posts spooled batches in order through
influxdb-client and deletes a batch only after a 2xx. Network errors, 5xx, 429 and other
non-data 4xx are retried with exponential backoff (the batch stays first in line); 400, 413 and
422 mean the data itself is refused, so that batch is logged, counted and dropped.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from influxdb_client.client.influxdb_client import InfluxDBClient
from influxdb_client.client.write_api import SYNCHRONOUS
from influxdb_client.domain.write_precision import WritePrecision
from influxdb_client.rest import ApiException

from noc.clock import Clock, SystemClock
from noc.errors import StoreError
from noc.model.observations import Sample
from noc.store.influx.lineproto import LineEncoder
from noc.store.influx.reader import ExportReader
from noc.store.influx.spool import Spool
from noc.store.metrics import (
    Aggregation,
    InfluxMetricStoreConfig,
    RetentionReport,
    Series,
    SeriesValue,
)

log = logging.getLogger(__name__)
PERMANENT_STATUS = frozenset({400, 413, 422})


def resolve_token(config: InfluxMetricStoreConfig) -> str:
    """The token itself, from a literal, ``env:NAME`` or ``file:/path`` (never logged)."""
    if config.token is None:
        return ""
    raw = config.token.get_secret_value()
    if raw.startswith("env:"):
        value = os.environ.get(raw[4:])
        if value is None:
            raise StoreError(f"the token of the metric store {config.url} names an unset variable")
        return value
    if raw.startswith("file:"):
        try:
            return Path(raw[5:]).read_text().strip()
        except OSError as exc:
            raise StoreError(
                f"cannot read the token file of the metric store {config.url}: {exc.strerror}"
            ) from None
    return raw


class InfluxMetricStore:
    def __init__(self, config: InfluxMetricStoreConfig, *, clock: Clock | None = None) -> None:
        self.config = config
        self._clock = clock or SystemClock()
        self._spool = Spool(config.spool_path, config.spool_max_bytes, fsync=config.spool_fsync)
        self._encoder = LineEncoder()
        self._buf: list[str] = []
        self._buf_lock = threading.Lock()
        self._sealed_at = time.monotonic()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._closed = False
        self._reader = (
            ExportReader(config.query_url, config.query_metric_suffix, config.timeout)
            if config.query_url
            else None
        )
        self._counters: dict[str, float] = dict.fromkeys(
            (
                "points_written_total",
                "points_invalid_total",
                "points_delivered_total",
                "points_rejected_total",
                "batches_sent_total",
                "send_errors_total",
                "last_send_seconds",
            ),
            0.0,
        )
        self._client = InfluxDBClient(
            url=config.url,
            token=resolve_token(config),
            org=config.org,
            timeout=int(config.timeout.total_seconds() * 1000),
        )
        self._api = self._client.write_api(write_options=SYNCHRONOUS)
        self._thread = threading.Thread(target=self._run, name="noc-influx-sender", daemon=True)
        self._thread.start()

    # -- writing ---------------------------------------------------------------------------

    def write(self, samples: Sequence[Sample]) -> None:
        if self._closed:
            raise StoreError(f"the metric store {self.config.url} is closed")
        lines, invalid = self._encoder.encode(samples)
        with self._buf_lock:
            self._counters["points_written_total"] += len(lines)
            self._counters["points_invalid_total"] += invalid
            self._buf.extend(lines)
            size = self.config.batch_size
            if len(self._buf) >= size:
                full = len(self._buf) - len(self._buf) % size
                for i in range(0, full, size):
                    self._seal(self._buf[i : i + size])
                del self._buf[:full]
                self._wake.set()

    def _seal(self, lines: list[str]) -> None:
        if lines:
            self._spool.append("\n".join(lines).encode(), len(lines))
        self._sealed_at = time.monotonic()

    def flush(self) -> None:
        """Seal what is buffered into the spool: it is on disk and goes out next."""
        with self._buf_lock:
            self._seal(self._buf)
            self._buf = []
        self._wake.set()

    def wait_delivered(self, timeout: float) -> bool:
        """Flush, then wait until the server acknowledged every spooled batch."""
        self.flush()
        deadline = time.monotonic() + timeout
        while self._spool.pending()[0]:
            if time.monotonic() >= deadline or not self._thread.is_alive():
                return False
            self._wake.set()
            time.sleep(0.01)
        return True

    # -- the sender thread -------------------------------------------------------------------

    def _run(self) -> None:
        interval = self.config.flush_interval.total_seconds()
        backoff = self.config.retry_initial.total_seconds()
        while not self._stop.is_set():
            if time.monotonic() - self._sealed_at >= interval:
                with self._buf_lock:
                    self._seal(self._buf)
                    self._buf = []
            try:
                item = self._spool.oldest()
            except StoreError as exc:
                log.error("%s", exc)
                item = None
            if item is None:
                self._wake.wait(interval)
                self._wake.clear()
                continue
            if self._send(*item):
                backoff = self.config.retry_initial.total_seconds()
            else:
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.config.retry_max.total_seconds())

    def _send(self, seq: int, data: bytes, points: int) -> bool:
        """Post one batch; True when it is done with (delivered or refused for good)."""
        t0 = time.monotonic()
        status: int | None = None
        try:
            self._api.write(
                self.config.bucket,
                self.config.org,
                record=data,
                write_precision=cast(WritePrecision, WritePrecision.MS),
            )
        except ApiException as exc:
            status = int(exc.status or 0)
            error: Exception | None = exc
        except Exception as exc:  # urllib3 connection/timeouts: retry
            error = exc
        else:
            error = None
        c = self._counters
        c["last_send_seconds"] = time.monotonic() - t0
        if error is None:
            self._spool.remove(seq)
            c["points_delivered_total"] += points
            c["batches_sent_total"] += 1
            return True
        c["send_errors_total"] += 1
        if status in PERMANENT_STATUS:
            log.error(
                "metric store %s refused a batch of %d samples (HTTP %s); dropped it",
                self.config.url,
                points,
                status,
            )
            self._spool.remove(seq)
            c["points_rejected_total"] += points
            return True
        log.warning(
            "metric store %s did not take a batch (%s); retrying",
            self.config.url,
            f"HTTP {status}" if status else type(error).__name__,
        )
        self._spool.release()
        return False

    # -- reading, health, lifecycle ----------------------------------------------------------

    def _need_reader(self) -> ExportReader:
        if self._reader is None:
            raise StoreError(
                f"the metric store {self.config.url} is write-only",
                hint="set query_url to a Prometheus-compatible export API, or query it in Grafana",
            )
        return self._reader

    def latest(self, metric: str, matchers: dict[str, str] | None = None) -> list[SeriesValue]:
        return self._need_reader().latest(
            metric, matchers, self._clock.now(), self.config.latest_lookback
        )

    def query_range(
        self,
        metric: str,
        matchers: dict[str, str] | None,
        start: datetime,
        end: datetime,
        step: timedelta,
        agg: Aggregation = Aggregation.avg,
    ) -> list[Series]:
        return self._need_reader().query_range(metric, matchers, start, end, step, agg)

    def apply_retention(self, now: datetime) -> RetentionReport:
        """The server keeps retention (bucket retention, ``-retentionPeriod``)."""
        return RetentionReport()

    def stats(self) -> dict[str, float]:
        batches, points, size = self._spool.pending()
        out = dict(self._counters)
        with self._buf_lock:
            out["points_buffered"] = float(len(self._buf))
        out["points_spooled"] = float(points)
        out["spool_batches"] = float(batches)
        out["spool_bytes"] = float(size)
        out["points_dropped_total"] = float(self._spool.dropped_points)
        return out

    def close(self) -> None:
        """Deliver what can be delivered within ``close_timeout``; the rest stays spooled."""
        if self._closed:
            return
        self.flush()
        self.wait_delivered(self.config.close_timeout.total_seconds())
        self._closed = True
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=self.config.timeout.total_seconds() + 1)
        self._client.close()  # type: ignore[no-untyped-call]


def open_store(config: InfluxMetricStoreConfig, **kwargs: Any) -> InfluxMetricStore:
    return InfluxMetricStore(config, **kwargs)
