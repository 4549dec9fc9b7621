"""Business-hours calendars: the hours a policy counts, in the site's own time zone.

A moment is in business hours when the site's wall clock then shows a listed weekday and a
time in ``[start, end)``. The period is cut into stretches of constant UTC offset (found by
probing the zone hourly and bisecting to the microsecond), and each stretch is handled in its own
wall-clock time, so the rule holds exactly across daylight-saving changes: on a spring-forward
day hours start when the clock jumps past ``start``; on a fall-back day a repeated hour counts
twice if it is inside the business hours (Asia/Jakarta has neither).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from noc.model.policy import BusinessHours, Weekday
from sla.intervals import IntervalSet, from_us

_WEEKDAYS = list(Weekday)  # mon=0 ... sun=6, as date.weekday() counts
_HOUR = 3_600_000_000
_NAIVE_EPOCH = datetime(1970, 1, 1)


def _offset(tz: ZoneInfo, at: int) -> int:
    off = from_us(at).astimezone(tz).utcoffset()
    return 0 if off is None else off // timedelta(microseconds=1)


def offset_stretches(tz: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """``(start, end, utc_offset)`` stretches covering ``[lo, hi)`` (microseconds)."""
    out: list[tuple[int, int, int]] = []
    a, off = lo, _offset(tz, lo)
    t = lo
    while t < hi:
        nxt = min(t + _HOUR, hi)
        if (nxt < hi and _offset(tz, nxt) != off) or (nxt == hi and _offset(tz, hi - 1) != off):
            good, bad = t, nxt  # the offset changes in (good, bad]: bisect to the microsecond
            while bad - good > 1:
                mid = (good + bad) // 2
                if _offset(tz, mid) == off:
                    good = mid
                else:
                    bad = mid
            out.append((a, bad, off))
            a, off = bad, _offset(tz, bad)
            t = bad
            continue
        t = nxt
    out.append((a, hi, off))
    return [s for s in out if s[0] < s[1]]


def _local_us(day: date, at: time) -> int:
    return (datetime.combine(day, at) - _NAIVE_EPOCH) // timedelta(microseconds=1)


def business_hours(hours: BusinessHours, tz: ZoneInfo, lo: int, hi: int) -> IntervalSet:
    """The business hours inside ``[lo, hi)`` (microseconds) as UTC intervals."""
    if hi <= lo:
        return IntervalSet.empty()
    days = {_WEEKDAYS.index(d) for d in hours.days}
    pairs: list[tuple[int, int]] = []
    for a, b, off in offset_stretches(tz, lo, hi):
        first = from_us(a + off).replace(tzinfo=UTC).date()
        last = from_us(b + off).replace(tzinfo=UTC).date()
        day = first
        while day <= last:
            if day.weekday() in days:
                s = _local_us(day, hours.start) - off
                e = _local_us(day, hours.end) - off
                pairs.append((max(s, a), min(e, b)))
            day += timedelta(days=1)
    return IntervalSet.of(pairs)


def calendar(hours: BusinessHours | None, tz: ZoneInfo, lo: int, hi: int) -> IntervalSet:
    """The time a policy counts in ``[lo, hi)``: all of it, or its business hours."""
    if hours is None:
        return IntervalSet.span(lo, hi) if hi > lo else IntervalSet.empty()
    return business_hours(hours, tz, lo, hi)
