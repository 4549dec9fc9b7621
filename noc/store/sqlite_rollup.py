"""Partitions, rollups and retention of the embedded metric store.

Raw samples live in one table per UTC day (``raw_<day>``). When a day has ended (plus
``rollup_delay``) it is rolled up once into 5-minute buckets (``r5m_<first day>``, one table
per 7 days) and 1-hour buckets (``r1h_<first day>``, one table per 28 days), each bucket holding
count, sum, min, max and the last value. A sample written later into a rolled-up day marks the
day dirty and the day is rolled up again. Retention drops whole tables, so data is kept at
least the configured number of days and at most one partition longer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from noc.store.metric_agg import MS_PER_DAY


@dataclass(frozen=True)
class Tier:
    prefix: str
    resolution_ms: int  # 1 for raw
    partition_ms: int

    def table(self, start_ms: int) -> str:
        return f"{self.prefix}_{start_ms // MS_PER_DAY}"

    def partition_of(self, ts_ms: int) -> int:
        return ts_ms - ts_ms % self.partition_ms


RAW = Tier("raw", 1, MS_PER_DAY)
R5M = Tier("r5m", 300_000, 7 * MS_PER_DAY)
R1H = Tier("r1h", 3_600_000, 28 * MS_PER_DAY)
TIERS = (RAW, R5M, R1H)

SCHEMA = """
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY, metric TEXT NOT NULL, labels TEXT NOT NULL, UNIQUE (metric, labels));
CREATE TABLE IF NOT EXISTS rolled_days (day INTEGER PRIMARY KEY, dirty INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""

_RAW_DDL = (
    "CREATE TABLE IF NOT EXISTS {t} (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, "
    "value REAL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID"
)
_ROLLUP_DDL = (
    "CREATE TABLE IF NOT EXISTS {t} (series_id INTEGER NOT NULL, bucket INTEGER NOT NULL, "
    "cnt INTEGER NOT NULL, sum REAL, min REAL, max REAL, last_ts INTEGER NOT NULL, last REAL, "
    "PRIMARY KEY (series_id, bucket)) WITHOUT ROWID"
)
_ROLLUP_SQL = (
    "INSERT OR REPLACE INTO {dst} (series_id, bucket, cnt, sum, min, max, last_ts, last) "
    "SELECT g.series_id, g.b, g.c, g.s, g.mn, g.mx, g.lt, "
    "(SELECT r.value FROM {src} r WHERE r.series_id = g.series_id AND r.ts = g.lt) "
    "FROM (SELECT series_id, ts - ts % {res} AS b, count(value) AS c, sum(value) AS s, "
    "min(value) AS mn, max(value) AS mx, max(ts) AS lt FROM {src} GROUP BY series_id, b) g"
)


@dataclass
class Catalog:
    """Which partition tables exist (start ms per tier), and which days are rolled up."""

    partitions: dict[str, set[int]] = field(default_factory=dict)
    rolled: dict[int, bool] = field(default_factory=dict)  # day -> dirty
    horizon_ms: int = -(2**62)  # raw samples older than this are refused

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Catalog:
        cat = cls({t.prefix: set() for t in TIERS})
        by_prefix = {t.prefix: t for t in TIERS}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            prefix, _, day = str(name).partition("_")
            if prefix in by_prefix and day.lstrip("-").isdigit():
                cat.partitions[prefix].add(int(day) * MS_PER_DAY)
        cat.rolled = {int(d): bool(x) for d, x in conn.execute("SELECT * FROM rolled_days")}
        row = conn.execute("SELECT value FROM meta WHERE key = 'horizon_ms'").fetchone()
        if row:
            cat.horizon_ms = int(row[0])
        return cat

    def ensure(self, conn: sqlite3.Connection, tier: Tier, start_ms: int) -> str:
        name = tier.table(start_ms)
        if start_ms not in self.partitions[tier.prefix]:
            ddl = _RAW_DDL if tier is RAW else _ROLLUP_DDL
            conn.execute(ddl.format(t=name))
            self.partitions[tier.prefix].add(start_ms)
        return name

    def oldest(self, tier: Tier) -> int | None:
        parts = self.partitions[tier.prefix]
        return min(parts) if parts else None

    def overlapping(self, tier: Tier, start_ms: int, end_ms: int) -> list[int]:
        return sorted(
            p
            for p in self.partitions[tier.prefix]
            if p < end_ms and p + tier.partition_ms > start_ms
        )


def roll_up_day(conn: sqlite3.Connection, cat: Catalog, day: int) -> None:
    """Compute the 5-minute and 1-hour buckets of one raw day (inside the caller's transaction)."""
    src = RAW.table(day * MS_PER_DAY)
    for tier in (R5M, R1H):
        dst = cat.ensure(conn, tier, tier.partition_of(day * MS_PER_DAY))
        conn.execute(_ROLLUP_SQL.format(dst=dst, src=src, res=tier.resolution_ms))
    conn.execute("INSERT OR REPLACE INTO rolled_days VALUES (?, 0)", (day,))
    cat.rolled[day] = False


def days_to_roll(cat: Catalog, now_ms: int, delay_ms: int) -> list[int]:
    return sorted(
        p // MS_PER_DAY
        for p in cat.partitions[RAW.prefix]
        if p + MS_PER_DAY + delay_ms <= now_ms and cat.rolled.get(p // MS_PER_DAY, True)
    )


def drop_expired(conn: sqlite3.Connection, cat: Catalog, tier: Tier, cutoff_ms: int) -> int:
    """Drop partitions of ``tier`` that end at or before ``cutoff_ms``; returns how many."""
    dropped = 0
    for start in sorted(cat.partitions[tier.prefix]):
        if start + tier.partition_ms > cutoff_ms:
            continue
        conn.execute(f"DROP TABLE IF EXISTS {tier.table(start)}")
        cat.partitions[tier.prefix].discard(start)
        dropped += 1
    if tier is RAW:
        horizon = cutoff_ms - cutoff_ms % MS_PER_DAY
        if horizon > cat.horizon_ms:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('horizon_ms', ?)", (horizon,))
            conn.execute("DELETE FROM rolled_days WHERE day < ?", (horizon // MS_PER_DAY,))
            cat.horizon_ms = horizon
            cat.rolled = {d: x for d, x in cat.rolled.items() if d >= horizon // MS_PER_DAY}
    return dropped
