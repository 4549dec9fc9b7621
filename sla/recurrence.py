"""Recurring maintenance windows, expanded into their occurrences inside a period.

A window with a ``recurrence`` (an RFC 5545 RRULE such as ``FREQ=WEEKLY;BYDAY=SU``) repeats its
first occurrence ``[start, end)`` in the wall-clock time of its target's time zone (the site's,
else the city's): "every Sunday 01:00-04:00" stays 01:00-04:00 local across daylight-saving
changes, so an occurrence can last an hour more or less than the first one. The rule runs from
the first occurrence's local start (``DTSTART``); ``UNTIL`` and ``COUNT`` work as RFC 5545 says
(an ``UNTIL`` without ``Z`` is local time). A local time that does not exist or exists twice
(a daylight-saving change) is read the first way (PEP 495 ``fold=0``), as everywhere else here.

The first occurrence always counts, as the alerting side mutes it (``alerting.mute``), whether or
not the rule matches it; a cancelled window (``stop``) has no occurrence from then on, and one
running then ends there. A rule that does not parse leaves only the first occurrence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from sla.history import Window
from sla.intervals import from_us, to_us

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


def occurrences(window: Window, tz: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int]]:
    """``[start, end)`` (microseconds) of each occurrence of ``window`` that overlaps
    ``[lo, hi)``, cut at its cancellation; not clipped to the period."""
    cut = window.stop  # cancelled: nothing lasts past it
    until = hi if cut is None else min(hi, cut)
    out: list[tuple[int, int]] = []
    first_end = window.end if cut is None else min(window.end, cut)
    if window.start < until and first_end > lo and first_end > window.start:
        out.append((window.start, first_end))
    if not window.recurrence or until <= lo:
        return out
    first = from_us(window.start).astimezone(tz)
    wall = first.replace(tzinfo=None, fold=0)
    length = from_us(window.end).astimezone(tz).replace(tzinfo=None, fold=0) - wall
    found = _rule(window.recurrence, first.replace(fold=0))
    if found is None:
        return out
    rule, aware = found
    after = from_us(lo).astimezone(tz) - length - _SLACK
    before = from_us(until).astimezone(tz) + _SLACK
    if not aware:
        after, before = after.replace(tzinfo=None), before.replace(tzinfo=None)
    for at in rule.between(after, before, inc=True):
        local = at.replace(tzinfo=None)
        if local == wall:
            continue  # the first occurrence, counted exactly above
        s = to_us(local.replace(tzinfo=tz).astimezone(UTC))
        e = to_us((local + length).replace(tzinfo=tz).astimezone(UTC))
        if cut is not None:
            e = min(e, cut)
        if s < until and e > lo and e > s:
            out.append((s, e))
    return out


def expand(
    windows: Iterable[Window], zone_of: Callable[[str], ZoneInfo], lo: int, hi: int
) -> list[Window]:
    """One-off windows as they are; each recurring one as its occurrences in ``[lo, hi)``
    (one-off windows of the same id and target), in its target's zone (``zone_of``)."""
    out: list[Window] = []
    for w in windows:
        if not w.recurrence:
            out.append(w)
            continue
        out += [Window(w.id, w.target, s, e) for s, e in occurrences(w, zone_of(w.target), lo, hi)]
    return out
