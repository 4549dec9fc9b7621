"""Reading a point in time from a command line or a query: a date is local midnight."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from noc.errors import ConfigError


def parse_when(text: str, tz: ZoneInfo) -> datetime:
    """``2026-10-01`` (midnight in ``tz``) or an ISO 8601 time (UTC when it names no zone)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"{text!r} is not a date or time",
            hint="use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+07:00]",
        ) from None
    if value.tzinfo is None:
        value = (
            value.replace(tzinfo=tz)
            if len(text.strip()) == 10
            else value.replace(tzinfo=ZoneInfo("UTC"))
        )
    return value
