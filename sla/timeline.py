"""From state changes to intervals: when each object was down, in maintenance, or unknown.

What counts as down: for a device ``down`` and ``unreachable`` (an unreachable device counts
against the services behind it, but its downtime is attributed to the root cause named in its
state change, ``root cause upstream: X, Y``); for a link, and anything else, ``down``. The
state ``maintenance`` counts as planned maintenance. ``unknown`` (not polled yet) is *no data*:
it is neither down nor excluded, so it counts as available time, and is reported separately
(``no_data``) so a reader sees how much of the period was not observed.

Before its first recorded change an object is in that change's ``old`` state; after its last
change it stays in the ``new`` state until the end of the period (or now, whichever is first):
an outage still open at the end of the period counts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sla.history import Change, Window
from sla.intervals import IntervalSet

_DOWN = {"device": frozenset({"down", "unreachable"})}
_DEFAULT_DOWN = frozenset({"down"})
_ROOT = re.compile(r"root cause upstream:\s*(.+)$")


def is_down(ref: str, state: str) -> bool:
    return state in _DOWN.get(ref.partition(":")[0], _DEFAULT_DOWN)


def root_causes(ref: str, state: str, cause: str) -> tuple[str, ...]:
    """Whom a down state is attributed to: itself, or the upstream root cause(s) it names."""
    if state == "unreachable":
        m = _ROOT.search(cause)
        if m:
            names = [n.strip() for n in m.group(1).split(",") if n.strip()]
            if names:
                return tuple(n if ":" in n else f"device:{n}" for n in names)
    return (ref,)


@dataclass
class Timeline:
    down: IntervalSet = field(default_factory=IntervalSet.empty)
    maintenance: IntervalSet = field(default_factory=IntervalSet.empty)
    no_data: IntervalSet = field(default_factory=IntervalSet.empty)
    causes: dict[str, IntervalSet] = field(default_factory=dict)


def state_segments(changes: list[Change], lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """``(start, end, state, cause)`` of one object's changes, clipped to ``[lo, hi)``."""
    ordered = sorted(changes, key=lambda c: (c.ts, c.order))
    out: list[tuple[int, int, str, str]] = []
    state, cause, since = ordered[0].old, "", lo
    for c in ordered:
        if c.ts > since:
            out.append((max(since, lo), min(c.ts, hi), state, cause))
        state, cause, since = c.new, c.cause, max(c.ts, lo)
    out.append((since, hi, state, cause))
    return [s for s in out if s[0] < s[1]]


def timelines(changes: list[Change], lo: int, hi: int) -> dict[str, Timeline]:
    """Every object's timeline over ``[lo, hi)`` from its state changes."""
    by_ref: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_ref[c.ref].append(c)
    out: dict[str, Timeline] = {}
    for ref, items in by_ref.items():
        down: list[tuple[int, int]] = []
        maint: list[tuple[int, int]] = []
        unknown: list[tuple[int, int]] = []
        causes: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s, e, state, cause in state_segments(items, lo, hi):
            if is_down(ref, state):
                down.append((s, e))
                for root in root_causes(ref, state, cause):
                    causes[root].append((s, e))
            elif state == "maintenance":
                maint.append((s, e))
            elif state == "unknown":
                unknown.append((s, e))
        out[ref] = Timeline(
            down=IntervalSet.of(down),
            maintenance=IntervalSet.of(maint),
            no_data=IntervalSet.of(unknown),
            causes={k: IntervalSet.of(v) for k, v in causes.items()},
        )
    return out


def windows_by_target(windows: list[Window], lo: int, hi: int) -> dict[str, IntervalSet]:
    by: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for w in windows:
        if w.end > lo and w.start < hi:
            by[w.target].append((w.start, w.end))
    return {k: IntervalSet.of(v).clip(lo, hi) for k, v in by.items()}
