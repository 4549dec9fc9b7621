"""A time zone name checked against the system's zoneinfo database."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name like Asia/Jakarta"
        ) from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_zone)]
