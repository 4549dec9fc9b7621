"""Shared pieces of the inventory model: the strict base class and small value types.

Every model read from ``inventory.yaml`` derives from :class:`InventoryModel`, so every one
rejects unknown keys (``extra="forbid"``), is immutable, and never echoes an input value in
a validation error (a misplaced secret must not leak through an error message).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_BANDWIDTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:bps|b/s|bit/s)?\s*$")
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class InventoryModel(BaseModel):
    """Base of every inventory model: unknown keys are errors, values are never echoed."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


def _identifier(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "an id may use only letters, digits, '.', '_' and '-' and must start with a "
            "letter or digit"
        )
    return value


Identifier = Annotated[str, AfterValidator(_identifier)]
"""An object id: letters, digits, ``.``, ``_``, ``-`` (no spaces, no ``:``)."""


def parse_bandwidth(value: Any) -> int:
    """Bits per second from an int or a human form: ``"10G"``, ``"100M"``, ``"2.5Gbps"``."""
    if isinstance(value, bool):
        raise ValueError("a capacity is a number of bits per second, like 10G or 1000000000")
    if isinstance(value, int):
        bps = value
    elif isinstance(value, float) and value.is_integer():
        bps = int(value)
    elif isinstance(value, str) and (m := _BANDWIDTH.match(value)):
        exact = float(m.group(1)) * _UNITS[m.group(2).lower()]
        if not exact.is_integer():
            raise ValueError("a capacity is a whole number of bits per second")
        bps = int(exact)
    else:
        raise ValueError("a capacity is a number of bits per second, like 10G, 100M or 1000000")
    if bps <= 0:
        raise ValueError("a capacity must be greater than zero")
    return bps


Bandwidth = Annotated[int, BeforeValidator(parse_bandwidth)]
"""Bits per second; accepts ``10G``, ``1G``, ``100M``, ``2.5G`` and plain integers."""


def format_bandwidth(bps: int) -> str:
    """``10000000000`` -> ``"10 Gbps"``; used in messages."""
    for unit, factor in (("Tbps", 10**12), ("Gbps", 10**9), ("Mbps", 10**6), ("kbps", 10**3)):
        if bps >= factor:
            text = f"{bps / factor:.3f}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{bps} bps"


def parse_duration(value: Any) -> timedelta:
    """A duration from seconds (int) or ``"30s"``, ``"15m"``, ``"1h"``, ``"22h"``, ``"1d"``."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _SECONDS[m.group(2) or "s"]
    else:
        raise ValueError("a duration is seconds or a number with s, m, h or d, like 1h or 15m")
    if seconds <= 0:
        raise ValueError("a duration must be greater than zero")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str | float:
    """``timedelta(hours=22)`` -> ``"22h"``: how a duration is written back to a file."""
    seconds = value.total_seconds()
    for unit in ("d", "h", "m", "s"):
        if seconds % _SECONDS[unit] == 0:
            return f"{int(seconds // _SECONDS[unit])}{unit}"
    return seconds


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, when_used="json"),
]
"""A positive duration; accepts seconds or ``30s``, ``15m``, ``1h``, ``1d``."""
