"""An independent recomputation of service availability from an exported CSV.

Reads the file with the csv module and evaluates per-second numpy bitmaps, following the rules
as DESIGN.md states them; it shares no code with sla's interval algebra.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from noc.model import BusinessHours
from tests.sla.oracle import Bits, calendar_bits

DOWN = {"device": {"down", "unreachable"}}


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def recompute(csv_text: str, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    """``service ref -> (downtime seconds, counted seconds)`` over ``[start, end)``."""
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    meta = json.loads(next(r for r in rows if r["kind"] == "meta")["payload"])
    catalog = meta["catalog"]
    n = int((end - start).total_seconds())

    def idx(t: datetime) -> int:
        return min(max(int((t - start).total_seconds()), 0), n)

    changes: dict[str, list[tuple[datetime, int, str, str]]] = {}
    windows: dict[int, list[Any]] = {}
    for r in rows:
        if r["kind"] != "entry":
            continue
        p = json.loads(r["payload"])
        if r["action"] == "state_change.recorded":
            changes.setdefault(r["subject"], []).append((_ts(p["ts"]), p["id"], p["old"], p["new"]))
        elif r["action"] == "maintenance.created":
            windows[p["id"]] = [r["subject"], _ts(p["starts_at"]), _ts(p["ends_at"])]
        elif r["action"] == "maintenance.cancelled":
            windows[p["id"]][2] = min(windows[p["id"]][2], _ts(p["cancelled_at"]))
    planned: dict[str, Bits] = {}
    for target, s, e in windows.values():
        bits = planned.setdefault(target, np.zeros(n, bool))
        bits[idx(s) : idx(e)] = True

    def leaf(ref: str) -> tuple[Bits, Bits]:
        down = np.zeros(n, bool)
        items = sorted(changes.get(ref, []), key=lambda c: (c[0], c[1]))
        if items:
            bounds = (
                [start - timedelta(days=3650)] + [c[0] for c in items] + [end + timedelta(days=1)]
            )
            states = [items[0][2]] + [c[3] for c in items]
            for state, a, b in zip(states, bounds, bounds[1:], strict=False):
                if state in DOWN.get(ref.split(":")[0], {"down"}) or state == "maintenance":
                    down[idx(a) : idx(b)] = True
        return down, planned.get(ref, np.zeros(n, bool))

    services = {s["ref"]: s for s in catalog["services"]}
    memo: dict[str, tuple[Bits, Bits]] = {}

    def node(ref: str) -> tuple[Bits, Bits]:
        """(not up, planned)."""
        if ref in memo:
            return memo[ref]
        if ref not in services:
            memo[ref] = leaf(ref)
            return memo[ref]
        s = services[ref]
        parts = [node(c) for c in s["components"]]
        m = len(parts)
        need = {"all": m, "any": 1, "n_of_m": s.get("n")}[s["rule"]]
        k = m - need + 1
        fails_any = np.sum([d for d, _ in parts], axis=0) >= k
        fails_unplanned = np.sum([d & ~p for d, p in parts], axis=0) >= k
        own = planned.get(ref, np.zeros(n, bool))
        memo[ref] = (fails_any, own | (fails_any & ~fails_unplanned))
        return memo[ref]

    out = {}
    for ref, s in services.items():
        if not ref.startswith("service:"):
            continue
        down, plan = node(ref)
        pol = catalog["policies"].get(s.get("policy") or "default", {})
        hours = BusinessHours(**pol["business_hours"]) if pol.get("business_hours") else None
        cal = calendar_bits(start, n, hours, ZoneInfo(catalog["timezone"]))
        out[ref] = (int((down & cal & ~plan).sum()), int((cal & ~plan).sum()))
    return out
