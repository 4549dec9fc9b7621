"""The embedded metric store: one SQLite file in WAL mode, owned by one process.

Writes are batched (one transaction per ``write`` call, ``executemany`` per day partition) and
series ids are cached in memory. See :mod:`noc.store.sqlite_rollup` for partitions, rollups
and retention, and :mod:`noc.store.metrics` for the query semantics.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from noc.errors import StoreError
from noc.model.observations import Sample
from noc.store.metric_agg import (
    MS_PER_DAY,
    Folder,
    from_ms,
    labels_match,
    step_ms,
    to_ms,
    widen_step,
)
from noc.store.metrics import (
    Aggregation,
    Point,
    RetentionReport,
    Series,
    SeriesValue,
    SqliteMetricStoreConfig,
)
from noc.store.sqlite_query import fold_raw, fold_rollup, latest_rows, pick_tier
from noc.store.sqlite_rollup import (
    R1H,
    R5M,
    RAW,
    SCHEMA,
    Catalog,
    days_to_roll,
    drop_expired,
    roll_up_day,
)

SeriesKey = tuple[str, tuple[tuple[str, str], ...]]


class SqliteMetricStore:
    """The ``sqlite`` backend of :class:`noc.store.metrics.MetricStore`."""

    def __init__(self, config: SqliteMetricStoreConfig) -> None:
        self.config = config
        self._path = config.path
        self._lock = threading.Lock()
        self._counters = {"points_written_total": 0.0, "points_too_old_total": 0.0}
        self._counters["write_seconds_total"] = 0.0
        self._counters["last_write_seconds"] = 0.0
        try:
            config.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                config.path, isolation_level=None, check_same_thread=False, timeout=1.0
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the metric store {config.path}: {exc}") from exc
        self._conn: sqlite3.Connection | None = conn
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {config.synchronous}")
            conn.execute(f"PRAGMA cache_size = -{config.cache_size_mib * 1024}")
            conn.execute("BEGIN IMMEDIATE")
            conn.executescript(SCHEMA)  # commits
            self._ids: dict[SeriesKey, int] = {}
            self._meta: dict[int, tuple[str, dict[str, str]]] = {}
            for sid, metric, labels_json in conn.execute("SELECT id, metric, labels FROM series"):
                labels: dict[str, str] = json.loads(labels_json)
                self._ids[(metric, tuple(sorted(labels.items())))] = sid
                self._meta[sid] = (metric, labels)
            self._next_id = max(self._meta, default=0) + 1
            self._cat = Catalog.load(conn)
        except sqlite3.OperationalError as exc:
            conn.close()
            self._conn = None
            if "locked" in str(exc):
                raise StoreError(
                    f"the metric store {config.path} is in use by another process"
                ) from exc
            raise StoreError(f"cannot open the metric store {config.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            self._conn = None
            raise StoreError(
                f"the metric store {config.path} is not a readable SQLite database: {exc}"
            ) from exc

    # -- writing ------------------------------------------------------------------------

    def write(self, samples: Sequence[Sample]) -> None:
        if not samples:
            return
        t0 = time.perf_counter()
        with self._lock:
            conn = self._open()
            ids, meta, horizon = self._ids, self._meta, self._cat.horizon_ms
            new: list[tuple[int, str, str]] = []
            by_day: dict[int, list[tuple[int, int, float]]] = {}
            too_old = 0
            last_ts, ms = None, 0  # a poll stamps its samples with one time: convert it once
            rows: list[tuple[int, int, float]] = []
            day_lo = day_hi = 0
            for s in samples:
                key = (s.metric, tuple(sorted(s.labels.items())))
                sid = ids.get(key)
                if sid is None:
                    sid = self._next_id
                    self._next_id += 1
                    ids[key] = sid
                    meta[sid] = (s.metric, dict(key[1]))
                    new.append((sid, s.metric, json.dumps(dict(key[1]), separators=(",", ":"))))
                if s.ts is not last_ts:
                    last_ts, ms = s.ts, to_ms(s.ts)
                    if ms < horizon:
                        too_old += 1
                        continue
                    if not day_lo <= ms < day_hi:
                        day = ms // MS_PER_DAY
                        day_lo, day_hi = day * MS_PER_DAY, (day + 1) * MS_PER_DAY
                        rows = by_day.setdefault(day, [])
                elif ms < horizon:
                    too_old += 1
                    continue
                rows.append((sid, ms, s.value))
            try:
                conn.execute("BEGIN")
                if new:
                    conn.executemany("INSERT INTO series VALUES (?, ?, ?)", new)
                for day, rows in by_day.items():
                    table = self._cat.ensure(conn, RAW, day * MS_PER_DAY)
                    rows.sort()
                    conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)", rows)
                    if day in self._cat.rolled:
                        conn.execute("UPDATE rolled_days SET dirty = 1 WHERE day = ?", (day,))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._undo(conn, new)
                raise StoreError(
                    f"could not write {len(samples)} samples to the metric store "
                    f"{self._path}: {exc}"
                ) from exc
            for day in by_day:
                if day in self._cat.rolled:
                    self._cat.rolled[day] = True
            elapsed = time.perf_counter() - t0
            c = self._counters
            c["points_written_total"] += len(samples) - too_old
            c["points_too_old_total"] += too_old
            c["write_seconds_total"] += elapsed
            c["last_write_seconds"] = elapsed

    def _undo(self, conn: sqlite3.Connection, new: list[tuple[int, str, str]]) -> None:
        if conn.in_transaction:
            conn.rollback()
        for sid, _, _ in new:
            metric, labels = self._meta.pop(sid)
            self._ids.pop((metric, tuple(sorted(labels.items()))), None)
        self._next_id = max(self._meta, default=0) + 1
        self._cat = Catalog.load(conn)

    def flush(self) -> None:
        """Every ``write`` commits, so there is nothing buffered; this checks the store is open."""
        with self._lock:
            self._open()

    # -- reading ------------------------------------------------------------------------

    def _series(self, metric: str, matchers: dict[str, str] | None) -> dict[int, dict[str, str]]:
        return {
            sid: labels
            for sid, (m, labels) in self._meta.items()
            if m == metric and labels_match(labels, matchers)
        }

    def latest(self, metric: str, matchers: dict[str, str] | None = None) -> list[SeriesValue]:
        with self._lock:
            conn = self._open()
            wanted = self._series(metric, matchers)
            found = latest_rows(conn, self._cat, list(wanted))
        return [
            SeriesValue(
                metric=metric,
                labels=wanted[sid],
                value=float("nan") if value is None else value,
                ts=from_ms(ts),
            )
            for sid, (ts, value) in sorted(found.items())
        ]

    def query_range(
        self,
        metric: str,
        matchers: dict[str, str] | None,
        start: datetime,
        end: datetime,
        step: timedelta,
        agg: Aggregation = Aggregation.avg,
    ) -> list[Series]:
        start_ms, end_ms, step_v = to_ms(start), to_ms(end), step_ms(step)
        with self._lock:
            conn = self._open()
            wanted = self._series(metric, matchers)
            tier = pick_tier(self._cat, start_ms)
            if not wanted or tier is None or end_ms <= start_ms:
                return []
            step_v = widen_step(step_v, tier.resolution_ms)
            folder = Folder(step_v)
            ids = sorted(wanted)
            if tier is RAW:
                fold_raw(conn, self._cat, folder, ids, start_ms, end_ms)
            else:
                fold_rollup(conn, self._cat, folder, ids, tier, start_ms, end_ms)
        points = folder.series_points(agg)
        return [
            Series(
                metric=metric,
                labels=wanted[sid],
                step=timedelta(milliseconds=step_v),
                points=[Point(ts=from_ms(b), value=v) for b, v in points.get(sid, [])],
            )
            for sid in ids
            if sid in points
        ]

    # -- retention, health, lifecycle ------------------------------------------------------

    def apply_retention(self, now: datetime) -> RetentionReport:
        now_ms = to_ms(now)
        cfg = self.config
        with self._lock:
            conn = self._open()
            delay = cfg.rollup_delay // timedelta(milliseconds=1)
            try:
                conn.execute("BEGIN")
                days = days_to_roll(self._cat, now_ms, delay)
                for day in days:
                    roll_up_day(conn, self._cat, day)
                dropped = 0
                for tier, keep_days in (
                    (RAW, cfg.raw_retention_days),
                    (R5M, cfg.rollup_5m_retention_days),
                    (R1H, cfg.rollup_1h_retention_days),
                ):
                    dropped += drop_expired(conn, self._cat, tier, now_ms - keep_days * MS_PER_DAY)
                conn.execute("COMMIT")
                if dropped:
                    conn.execute("PRAGMA incremental_vacuum")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.rollback()
                self._cat = Catalog.load(conn)
                raise StoreError(
                    f"could not apply retention to the metric store {self._path}: {exc}"
                ) from exc
        return RetentionReport(rolled_up_days=len(days), dropped_partitions=dropped)

    def stats(self) -> dict[str, float]:
        with self._lock:
            out = dict(self._counters)
            out["series"] = float(len(self._meta))
            return out

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the metric store {self._path} is closed")
        return self._conn


def open_store(config: SqliteMetricStoreConfig, **_: object) -> SqliteMetricStore:
    """The opener ``noc.store.metric_backends`` calls; extra keywords (e.g. clock) are unused."""
    return SqliteMetricStore(config)
