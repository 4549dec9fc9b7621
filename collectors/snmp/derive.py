"""Derived metrics of a table row: utilization against capacity, ratios, margins."""

from __future__ import annotations

from collections import defaultdict

from collectors.snmp.decode import Capacity, Reading
from collectors.snmp.profile import Table


def derive_rows(tables: list[Table], readings: list[Reading], capacity: Capacity | None) -> None:
    """Append every table's derived readings, row by row (in place)."""
    rules = {t.name: t.derived for t in tables if t.derived}
    if not rules:
        return
    rows: dict[str, dict[str, Reading]] = defaultdict(dict)
    for r in readings:
        if r.row:
            rows[r.row][r.metric] = r
    extra: list[Reading] = []
    for row, values in rows.items():
        for d in rules.get(row.split("/", 1)[0], []):
            a = values.get(d.a)
            if a is None:
                continue
            b = values.get(d.b) if d.b else None
            labels = dict(a.labels)
            if d.kind == "utilization":
                cap = capacity(labels) if capacity else None
                if cap is None and b is not None:
                    cap = b.value
                if not cap:
                    continue
                value = a.value / cap
            elif b is None:
                continue
            elif d.kind == "ratio":
                if not b.value:
                    continue
                value = a.value / b.value
            else:
                value = a.value - b.value
            extra.append(Reading(d.name, labels, value, d.unit, "derived", row=row))
    readings += extra
