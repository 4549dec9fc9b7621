"""Recurring maintenance windows: their occurrences, in the wall-clock time of a time zone.

A window with a ``recurrence`` (an RFC 5545 RRULE such as ``FREQ=WEEKLY;BYDAY=SU``) repeats its
first occurrence ``[start, end)`` in the wall-clock time of its target's time zone (the site's,
else the city's): "every Sunday 01:00-04:00" means Sunday in Jakarta, not in UTC, and stays
01:00-04:00 local across daylight-saving changes, so an occurrence can last an hour more or
less than the first one. The rule runs from the first occurrence's local start (``DTSTART``);
``UNTIL`` and ``COUNT`` work as RFC 5545 says (an ``UNTIL`` without ``Z`` is local time). A local
time that does not exist or exists twice is read the first way (PEP 495 ``fold=0``).

The first occurrence always counts, whether or not the rule matches it; a cancelled window has
no occurrence from its cancellation on, and one running then ends there. A rule that does not
parse leaves only the first occurrence.

Alerting (is a window muting now?) and the SLA engine (which time is planned?) both ask here,
so the two can never disagree about when a window is on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

_SLACK = timedelta(days=2)  # more than any UTC offset change


def _rule(text: str, first: datetime) -> tuple[rrule, bool] | None:
    """The rule from the local first start, and whether it runs in aware datetimes (a
    floating UNTIL needs a naive DTSTART)."""
    for dtstart in (first, first.replace(tzinfo=None)):
        try:
            rule = rrulestr(text, dtstart=dtstart)
        except (ValueError, TypeError):
            continue
        if isinstance(rule, rrule):
            return rule, dtstart.tzinfo is not None
    return None


def occurrences(
    start: datetime,
    end: datetime,
    recurrence: str | None,
    zone: ZoneInfo,
    lo: datetime,
    hi: datetime,
    *,
    cancelled_at: datetime | None = None,
) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` (UTC) of each occurrence that overlaps ``[lo, hi)``, cut at the
    cancellation; not clipped to the period. ``start``/``end`` are the first occurrence."""
    until = hi if cancelled_at is None else min(hi, cancelled_at)
    out: list[tuple[datetime, datetime]] = []
    first_end = end if cancelled_at is None else min(end, cancelled_at)
    if start < until and first_end > lo and first_end > start:
        out.append((start.astimezone(UTC), first_end.astimezone(UTC)))
    if not recurrence or until <= lo:
        return out
    first = start.astimezone(zone)
    wall = first.replace(tzinfo=None, fold=0)
    length = end.astimezone(zone).replace(tzinfo=None, fold=0) - wall
    found = _rule(recurrence, first.replace(fold=0))
    if found is None:
        return out
    rule, aware = found
    after = lo.astimezone(zone) - length - _SLACK
    before = until.astimezone(zone) + _SLACK
    if not aware:
        after, before = after.replace(tzinfo=None), before.replace(tzinfo=None)
    for at in rule.between(after, before, inc=True):
        local = at.replace(tzinfo=None)
        if local == wall:
            continue  # the first occurrence, counted exactly above
        s = local.replace(tzinfo=zone).astimezone(UTC)
        e = (local + length).replace(tzinfo=zone).astimezone(UTC)
        if cancelled_at is not None:
            e = min(e, cancelled_at.astimezone(UTC))
        if s < until and e > lo and e > s:
            out.append((s, e))
    return out


def active_at(
    start: datetime,
    end: datetime,
    recurrence: str | None,
    zone: ZoneInfo,
    at: datetime,
    *,
    cancelled_at: datetime | None = None,
) -> bool:
    """Whether an occurrence of the window covers the instant ``at``."""
    found = occurrences(
        start, end, recurrence, zone, at, at + timedelta(microseconds=1), cancelled_at=cancelled_at
    )
    return any(s <= at < e for s, e in found)


def next_start(
    start: datetime,
    end: datetime,
    recurrence: str | None,
    zone: ZoneInfo,
    after: datetime,
    *,
    cancelled_at: datetime | None = None,
    horizon: timedelta = timedelta(days=400),
) -> datetime | None:
    """When the window next starts after ``after`` (within ``horizon``), or None."""
    if cancelled_at is not None and cancelled_at <= after:
        return None
    found = occurrences(
        start, end, recurrence, zone, after, after + horizon, cancelled_at=cancelled_at
    )
    later = [s for s, _ in found if s > after]
    return min(later) if later else None
