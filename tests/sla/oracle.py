"""A brute-force per-second bitmap oracle of availability, independent of sla's algebra."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from noc.model.policy import BusinessHours, MaintenanceTreatment

Bits = npt.NDArray[np.bool_]
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def bitmap(start: datetime, seconds: int, spans: list[tuple[datetime, datetime]]) -> Bits:
    bits = np.zeros(seconds, dtype=bool)
    for s, e in spans:
        a = max(0, int((s - start).total_seconds()))
        b = min(seconds, int((e - start).total_seconds()))
        if a < b:
            bits[a:b] = True
    return bits


def calendar_bits(start: datetime, seconds: int, hours: BusinessHours | None, tz: ZoneInfo) -> Bits:
    """Business hours second by second. Boundaries (hh:mm, and DST changes) fall on whole
    minutes, so each minute is looked up once in local time and holds for its 60 seconds;
    ``start`` must be on a whole minute."""
    if hours is None:
        return np.ones(seconds, dtype=bool)
    assert start.second == 0 and start.microsecond == 0
    bits = np.zeros(seconds, dtype=bool)
    days = {d.value for d in hours.days}
    for minute in range(0, (seconds + 59) // 60):
        local = (start + timedelta(minutes=minute)).astimezone(tz)
        if _DAYS[local.weekday()] in days and hours.start <= local.time() < hours.end:
            bits[minute * 60 : (minute + 1) * 60] = True
    return bits


def oracle(down: Bits, maint: Bits, cal: Bits, treatment: MaintenanceTreatment) -> tuple[int, int]:
    """``(downtime, counted)`` seconds."""
    if treatment is MaintenanceTreatment.exclude:
        return int((down & cal & ~maint).sum()), int((cal & ~maint).sum())
    if treatment is MaintenanceTreatment.count_as_up:
        return int((down & cal & ~maint).sum()), int(cal.sum())
    return int(((down | maint) & cal).sum()), int(cal.sum())
