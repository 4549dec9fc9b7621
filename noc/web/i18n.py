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
    """Every message in ``lang``: ``locales/<lang>.yaml`` (the wall) and one ``<area>.<lang>.yaml``
    per area of the app. A key defined twice is an error, so two areas cannot shadow each other."""
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported", hint="use 'id' or 'en'")
    folder = resources.files("noc.web").joinpath("locales")
    names = sorted(
        p.name
        for p in folder.iterdir()
        if p.name == f"{lang}.yaml" or p.name.endswith(f".{lang}.yaml")
    )
    merged: dict[str, str] = {}
    for name in names:
        data = yaml.safe_load(folder.joinpath(name).read_text("utf-8")) or {}
        if not isinstance(data, dict):
            raise ConfigError(f"noc/web/locales/{name} is not a mapping of keys to strings")
        for key, value in data.items():
            if str(key) in merged:
                raise ConfigError(f"noc/web/locales/{name}: message {key!r} is defined twice")
            merged[str(key)] = str(value)
    return merged


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
