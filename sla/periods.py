"""Calendar periods in the city's time zone: a month ``2026-10`` is the local month."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from noc.errors import ConfigError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> tuple[int, int]:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ConfigError(f"month {text!r} is not of the form YYYY-MM", hint="e.g. --month 2026-10")
    return int(m.group(1)), int(m.group(2))


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """``[first day 00:00, next month's first day 00:00)`` local time, as UTC."""
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    start = datetime(year, month, 1, tzinfo=tz).astimezone(UTC)
    return start, datetime(nxt[0], nxt[1], 1, tzinfo=tz).astimezone(UTC)


def year_bounds(year: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime(year, 1, 1, tzinfo=tz).astimezone(UTC),
        datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC),
    )


def month_of(at: datetime, tz: ZoneInfo) -> tuple[int, int]:
    local = at.astimezone(tz)
    return local.year, local.month


def previous_month(at: datetime, tz: ZoneInfo) -> tuple[int, int]:
    first = at.astimezone(tz).date().replace(day=1) - timedelta(days=1)
    return first.year, first.month


def days_of_month(year: int, month: int, tz: ZoneInfo) -> list[tuple[date, datetime, datetime]]:
    """Each local day of the month with its UTC bounds."""
    out: list[tuple[date, datetime, datetime]] = []
    day = date(year, month, 1)
    while day.month == month:
        nxt = day + timedelta(days=1)
        out.append(
            (
                day,
                datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC),
                datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).astimezone(UTC),
            )
        )
        day = nxt
    return out
