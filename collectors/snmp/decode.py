"""From raw SNMP values to decoded readings, following a profile (no device state here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from collectors.snmp.client import Value
from collectors.snmp.oids import index_of
from collectors.snmp.profile import Lookup, Metric, Table


@dataclass
class Reading:
    """One decoded value: a sample to be, with what `noc poll` shows beside it."""

    metric: str
    labels: dict[str, str]
    value: float
    unit: str = ""
    kind: str = "gauge"  # gauge, counter, enum, rate, derived
    raw: int | None = None  # counters: the raw value the rate is computed from
    bits: int = 64
    rate: tuple[str, float, str] | None = None  # (name, scale, unit)
    row: str = ""  # table name and index: readings of one row derive together
    extra: dict[str, str] = field(default_factory=dict)  # e.g. the enum state name


def number(v: Value) -> float | None:
    """A numeric reading of a value; text that holds a number counts (some agents do that)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return float(v)
    try:
        text = v.decode("utf-8", "replace") if isinstance(v, bytes) else v
        return float(text.strip().strip("\x00"))
    except ValueError:
        return None


def text(v: Value, fmt: str = "text") -> str:
    if isinstance(v, bytes):
        if fmt == "hex":
            return v.hex(":")
        return v.decode("utf-8", "replace").strip("\x00").strip()
    if v is None:
        return ""
    return str(v)


def decode_metric(
    m: Metric, v: Value, labels: dict[str, str], row: str = "", factor: float = 1.0
) -> Reading | None:
    n = number(v)
    if n is None or (n.is_integer() and int(n) in m.ignore):
        return None
    labels = {**labels, **m.labels}
    if m.type == "enum":
        code = int(n) & m.mask if m.mask is not None else int(n)
        state = m.enum.get(code, f"unknown_{code}")
        return Reading(
            m.name,
            {**labels, "state": state},
            float(code),
            "",
            "enum",
            row=row,
            extra={"state": state},
        )
    if m.type == "counter":
        raw = int(n)
        rate = (m.rate.name, m.rate.scale, m.rate.unit) if m.rate else None
        return Reading(
            m.name, labels, float(raw), m.unit, "counter", raw=raw, bits=m.bits, rate=rate, row=row
        )
    if m.mask is not None:
        n = float(int(n) & m.mask)
    return Reading(m.name, labels, n * m.scale * factor + m.offset, m.unit, "gauge", row=row)


def split_index(index: str, names: list[str]) -> dict[str, str]:
    parts = index.split(".")
    if len(names) == 1:
        return {names[0]: index}
    out = {n: p for n, p in zip(names[:-1], parts, strict=False)}
    out[names[-1]] = ".".join(parts[len(names) - 1 :])
    return out


def part_key(index: str, index_parts: list[int] | None) -> str:
    if index_parts is None:
        return index
    parts = index.split(".")
    return ".".join(parts[i] for i in index_parts if i < len(parts))


def lookup_value(lk: Lookup, col: dict[str, Value], index: str) -> str | None:
    v = col.get(part_key(index, lk.index_parts))
    if v is None:
        return None
    if lk.enum:
        n = number(v)
        return lk.enum.get(int(n), str(v)) if n is not None else None
    if lk.format == "int":
        n = number(v)
        return str(int(n)) if n is not None else None
    return text(v, lk.format)


def table_columns(t: Table) -> list[str]:
    """Every column OID a table needs, each once, in profile order."""
    cols: list[str] = []
    for m in t.metrics:
        cols.append(m.oid)
        cols += [f.oid for f in m.filter]
        rs = m.row_scale
        if rs:
            cols += [o for o in (rs.exponent_oid, rs.precision_oid, rs.divisor_oid) if o]
    cols += [lk.oid for lk in t.lookups]
    return list(dict.fromkeys(cols))


def by_index(column: str, walked: list[tuple[str, Value]]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for oid, v in walked:
        idx = index_of(oid, column)
        if idx is not None:
            out[idx] = v
    return out


def _row_factor(m: Metric, cols: dict[str, dict[str, Value]], index: str) -> float | None:
    rs = m.row_scale
    if rs is None:
        return 1.0
    factor = 1.0
    index = part_key(index, rs.index_parts)
    if rs.exponent_oid:
        e = number(cols.get(rs.exponent_oid, {}).get(index))
        if e is None or int(e) not in rs.exponent_map:
            return None
        factor *= 10.0 ** rs.exponent_map[int(e)]
    if rs.precision_oid:
        p = number(cols.get(rs.precision_oid, {}).get(index))
        factor /= 10.0 ** (p or 0.0)
    if rs.divisor_oid:
        d = number(cols.get(rs.divisor_oid, {}).get(index))
        if not d:
            return None
        factor /= d
    return factor


def _kept(m: Metric, cols: dict[str, dict[str, Value]], index: str) -> bool:
    for f in m.filter:
        v = cols.get(f.oid, {}).get(part_key(index, f.index_parts))
        n = number(v)
        if not ((n is not None and n.is_integer() and int(n) in f.values) or text(v) in f.values):
            return False
    return True


def decode_table(
    t: Table, cols: dict[str, dict[str, Value]], base: dict[str, str]
) -> list[Reading]:
    out: list[Reading] = []
    indexes: dict[str, None] = {}
    for m in t.metrics:
        indexes.update(dict.fromkeys(cols.get(m.oid, {})))
    for index in indexes:
        labels = {**base, **split_index(index, t.index_labels)}
        for lk in t.lookups:
            val = lookup_value(lk, cols.get(lk.oid, {}), index)
            if val:  # an empty label is no label (Prometheus)
                labels[lk.label] = val
        for m in t.metrics:
            v = cols.get(m.oid, {}).get(index)
            if v is None or not _kept(m, cols, index):
                continue
            factor = _row_factor(m, cols, index)
            if factor is None:
                continue
            r = decode_metric(m, v, labels, row=f"{t.name}/{index}", factor=factor)
            if r is not None:
                out.append(r)
    return out


Capacity = Callable[[dict[str, str]], float | None]
