"""Indonesian and English: message catalogs and locale-aware numbers and times."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

from noc.errors import ConfigError

LANGUAGES = ("id", "en")
_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported", hint="use 'id' or 'en'")
    text = resources.files("noc.web").joinpath("locales", f"{lang}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError(f"noc/web/locales/{lang}.yaml is not a mapping of keys to strings")
    return {str(k): str(v) for k, v in data.items()}


def pick_language(requested: str | None, default: str) -> str:
    return requested if requested in LANGUAGES else default


def translate(key: str, lang: str) -> str:
    """The text for ``key``; a missing key shows as itself (and a test keeps that from shipping)."""
    return catalog(lang).get(key, key)


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """1234567.891 -> '1.234.567,89' (id) or '1,234,567.89' (en)."""
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(ratio: float, lang: str, decimals: int = 2) -> str:
    return f"{format_number(ratio * 100, lang, decimals)}%"


def format_time(value: datetime, lang: str, zone: str) -> str:
    """'22 Nov 2026 17:30 WIB' in the site's time zone."""
    local = value.astimezone(ZoneInfo(zone))
    months = _MONTHS_ID if lang == "id" else _MONTHS_EN
    abbrev = local.tzname() or zone
    return f"{local.day} {months[local.month - 1]} {local.year} {local:%H:%M} {abbrev}"
