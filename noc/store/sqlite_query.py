"""Reading the embedded store: which tier answers, and folding its rows into buckets."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from noc.store.metric_agg import MS_PER_DAY, Folder
from noc.store.sqlite_rollup import RAW, TIERS, Catalog, Tier

_CHUNK = 500


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def latest_rows(
    conn: sqlite3.Connection, cat: Catalog, ids: list[int]
) -> dict[int, tuple[int, float | None]]:
    """Per series id, ``(ts_ms, value)`` of its newest sample: newest raw partitions first."""
    found: dict[int, tuple[int, float | None]] = {}
    for tier in TIERS:
        ts_col, val_col = ("ts", "value") if tier is RAW else ("last_ts", "last")
        for start in sorted(cat.partitions[tier.prefix], reverse=True):
            todo = [sid for sid in ids if sid not in found]
            if not todo:
                return found
            for chunk in _chunks(todo):
                sql = (
                    f"SELECT series_id, max({ts_col}), {val_col} FROM {tier.table(start)} "
                    f"WHERE series_id IN ({','.join('?' * len(chunk))}) GROUP BY series_id"
                )
                for sid, ts, value in conn.execute(sql, chunk):
                    found[sid] = (ts, value)
    return found


def pick_tier(cat: Catalog, start_ms: int) -> Tier | None:
    """The finest tier whose data reaches back to ``start``; else the one reaching furthest."""
    best: tuple[int, Tier] | None = None
    for tier in TIERS:
        oldest = cat.oldest(tier)
        if oldest is None:
            continue
        if oldest <= start_ms:
            return tier
        if best is None or oldest < best[0]:
            best = (oldest, tier)
    return best[1] if best else None


def fold_raw(
    conn: sqlite3.Connection, cat: Catalog, folder: Folder, ids: list[int], lo: int, hi: int
) -> None:
    for start in cat.overlapping(RAW, lo, hi):
        table = RAW.table(start)
        for chunk in _chunks(ids):
            sql = (
                f"SELECT series_id, ts, value FROM {table} WHERE series_id IN "
                f"({','.join('?' * len(chunk))}) AND ts >= ? AND ts < ?"
            )
            for sid, ts, value in conn.execute(sql, [*chunk, lo, hi]):
                folder.add_raw(sid, ts, value)


def fold_rollup(
    conn: sqlite3.Connection,
    cat: Catalog,
    folder: Folder,
    ids: list[int],
    tier: Tier,
    lo: int,
    hi: int,
) -> None:
    """Whole rollup buckets for clean rolled-up days, raw samples for the other days."""
    lo -= lo % tier.resolution_ms
    day = lo - lo % MS_PER_DAY
    while day < hi:
        d_lo, d_hi = max(lo, day), min(hi, day + MS_PER_DAY)
        clean = day < cat.horizon_ms or cat.rolled.get(day // MS_PER_DAY) is False
        if clean:
            table = tier.table(tier.partition_of(day))
            if tier.partition_of(day) in cat.partitions[tier.prefix]:
                for chunk in _chunks(ids):
                    sql = (
                        "SELECT series_id, bucket, cnt, sum, min, max, last_ts, last "
                        f"FROM {table} WHERE series_id IN ({','.join('?' * len(chunk))}) "
                        "AND bucket >= ? AND bucket < ?"
                    )
                    for row in conn.execute(sql, [*chunk, d_lo, d_hi]):
                        folder.add_partial(*row)
        elif day in cat.partitions[RAW.prefix]:
            fold_raw(conn, cat, folder, ids, d_lo, d_hi)
        day += MS_PER_DAY
