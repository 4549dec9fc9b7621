"""Units of the chart axes: how a base-unit value (bits/s, ratio, seconds, °C) is written.

Metric names carry their base unit (DESIGN.md: ``if_in_bits_per_second``,
``ups_battery_charge_ratio``); a chart shows ``9,5 Gbit/s``, ``85%``, ``12 min``, in the
page's language (decimal comma in Indonesian).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from noc.web.i18n import format_number


@dataclass(frozen=True)
class Unit:
    name: str
    from_zero: bool = True  # the value axis starts at 0 (not for °C or dBm)


BITS_PER_SECOND = Unit("bits_per_second")
RATIO = Unit("ratio")
CELSIUS = Unit("celsius", from_zero=False)
SECONDS = Unit("seconds")
WATTS = Unit("watts")
AMPERES = Unit("amperes")
VOLTS = Unit("volts", from_zero=False)
DBM = Unit("dbm", from_zero=False)
PER_SECOND = Unit("per_second")
HERTZ = Unit("hertz", from_zero=False)
PLAIN = Unit("plain")

_SI = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
_TENTHS = frozenset({"celsius", "dbm"})  # 23.5 °C, -7.2 dBm: the tenth matters
_SUFFIX = {
    "celsius": " °C",
    "amperes": " A",
    "volts": " V",
    "dbm": " dBm",
    "per_second": "/s",
    "hertz": " Hz",
    "plain": "",
}


def _decimals(value: float) -> int:
    size = abs(value)
    if size == 0 or size >= 10:
        return 0
    return 1 if size >= 1 else 2


def _number(value: float, lang: str) -> str:
    return format_number(value, lang, _decimals(value))


def _si(value: float, lang: str, unit: str) -> str:
    for factor, prefix in _SI:
        if abs(value) >= factor:
            return f"{_number(value / factor, lang)} {prefix}{unit}"
    return f"{_number(value, lang)} {unit}"


def _seconds(value: float, lang: str) -> str:
    size = abs(value)
    if size >= 7200:
        return f"{_number(value / 3600, lang)} h"
    if size >= 120:
        return f"{_number(value / 60, lang)} min"
    if size >= 1 or size == 0:
        return f"{_number(value, lang)} s"
    return f"{_number(value * 1000, lang)} ms"


def format_value(value: float, unit: Unit, lang: str) -> str:
    """``value`` (in the base unit) for a person: scaled, with its unit."""
    if not math.isfinite(value):
        return "–"
    if unit.name == "bits_per_second":
        return _si(value, lang, "bit/s")
    if unit.name == "watts":
        return _si(value, lang, "W")
    if unit.name == "ratio":
        return f"{_number(value * 100, lang)}%"
    if unit.name == "seconds":
        return _seconds(value, lang)
    if unit.name in _TENTHS:
        return f"{format_number(value, lang, 1)}{_SUFFIX[unit.name]}"
    return f"{_number(value, lang)}{_SUFFIX.get(unit.name, '')}"


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten apart) covering ``[lo, hi]``."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step) * step
    ticks: list[float] = []
    value = first
    while value < hi + step * 0.999:
        ticks.append(round(value, 12))
        value += step
    return ticks


def axis_ticks(lo: float, hi: float, unit: Unit) -> list[float]:
    """Round values in the unit a person reads: whole minutes or hours for durations."""
    scale = 1.0
    if unit.name == "seconds":
        top = max(abs(lo), abs(hi))
        scale = 3600.0 if top >= 7200 else 60.0 if top >= 120 else 1.0
    return [v * scale for v in nice_ticks(lo / scale, hi / scale)]
