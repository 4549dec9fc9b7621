"""Records -> typed results, following the profile's field map. No vendor knowledge here."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from collectors.ssh.models import (
    EnvComponent,
    Facts,
    InterfaceStatus,
    Kind,
    NeighborEntry,
    Optic,
    Parsed,
)
from collectors.ssh.profile import CommandSpec
from collectors.ssh.records import Record, parse_records
from noc.errors import CollectError

_ITEM: dict[Kind, type[BaseModel]] = {
    Kind.optics: Optic,
    Kind.neighbors: NeighborEntry,
    Kind.environment: EnvComponent,
    Kind.interfaces: InterfaceStatus,
    Kind.facts: Facts,
}
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_UPTIME_UNITS = {
    "year": 365 * 86400,
    "week": 7 * 86400,
    "day": 86400,
    "hour": 3600,
    "minute": 60,
    "second": 1,
}
_UPTIME_PART = re.compile(r"(\d+)\s*(year|week|day|hour|minute|second)s?", re.IGNORECASE)
_HMS = re.compile(r"(?:(\d+)\s*days?,?\s*)?(\d+):(\d{2})(?::(\d{2}))?")


def number(text: str) -> float | None:
    """The first number in ``text``; None for N/A, empty or no number."""
    m = _NUMBER.search(text)
    return float(m.group()) if m else None


def uptime_seconds(text: str) -> float | None:
    """``2 years, 31 weeks, 6 days, 9 hours, 55 minutes`` or ``5 days, 3:04:05`` -> seconds."""
    parts = _UPTIME_PART.findall(text)
    total = sum(int(n) * _UPTIME_UNITS[unit.lower()] for n, unit in parts)
    if m := _HMS.search(text):
        days = int(m.group(1) or 0) if not parts or "day" not in text.lower() else 0
        total += days * 86400 + int(m.group(2)) * 3600 + int(m.group(3)) * 60
        total += int(m.group(4) or 0)
    elif not parts:
        return None
    return float(total)


def _first(value: str | list[str]) -> str:
    if isinstance(value, list):
        return next((v for v in value if v), "")
    return value


def _accepts(model: type[BaseModel], name: str, kind: type) -> bool:
    ann = model.model_fields[name].annotation
    return ann is kind or kind in typing.get_args(ann)


def _coerce(model: type[BaseModel], name: str, text: str) -> Any:
    if name == "uptime_seconds":
        return uptime_seconds(text)
    if name == "admin_up":
        return "admin" not in text.lower() and text != ""
    if name == "oper_up":
        return bool(re.match(r"(?i)\s*up\b", text))
    if _accepts(model, name, float):
        return number(text)
    if _accepts(model, name, int):
        return int(text) if text.strip().isdigit() else None
    return text.strip() or (None if _accepts(model, name, type(None)) else "")


def _item(model: type[BaseModel], record: Record, spec: CommandSpec) -> dict[str, Any]:
    mapping = spec.fields or {k: k for k in record}
    values: dict[str, Any] = {}
    merged = {k: k for k in record if k not in mapping.values()}
    merged.update(mapping)
    for target, source in merged.items():
        if source not in record:
            continue
        top, _, sub = target.partition(".")
        if top not in model.model_fields:
            continue
        if sub:
            n = number(_first(record[source]))
            if n is not None:
                values.setdefault(top, {})[sub] = n
        else:
            values[top] = _coerce(model, top, _first(record[source]))
    for target, text in spec.set.items():
        values[target] = text
    if model is EnvComponent and values.get("ok") is None:
        state = str(values.get("state", "")).lower()
        values["ok"] = state in spec.ok_states if state else None
    return values


def build(platform: str, spec: CommandSpec, records: list[Record]) -> Parsed:
    model = _ITEM[spec.kind]
    items: list[BaseModel] = []
    for record in records:
        values = _item(model, record, spec)
        try:
            items.append(model.model_validate(values))
        except ValidationError:
            continue  # a record without its key (an interface name): not a reading
    out: dict[str, Any] = {"platform": platform, "command": spec.command, "kind": spec.kind}
    if spec.kind is Kind.facts:
        out["facts"] = items[0] if items else Facts()
    else:
        out[spec.kind.value] = items
    return Parsed.model_validate(out)


def parse_output(platform: str, spec: CommandSpec, text: str) -> Parsed:
    """Parse one command's output; CollectError (kind protocol) when the text is unreadable."""
    try:
        records = parse_records(platform, spec, text)
    except CollectError:
        raise
    except Exception as err:  # textfsm.TextFSMError and friends: the output is not the format
        raise CollectError(
            f"the output of '{spec.command}' is not in the expected {platform} format "
            f"({type(err).__name__})"
        ) from None
    return build(platform, spec, records)
