"""Availability totals of many objects at once, on one axis.

Object ``k``'s interval ``[s, e)`` clipped to the period ``[lo, hi)`` is placed at
``[k * stride + s - lo, k * stride + e - lo)`` with ``stride = hi - lo + 1``: objects never touch
(one microsecond apart), so one normalize and one sweep over all of them give every object's
sets, and ``bincount`` gives their totals. Everything stays int64; sums go through float64 only
below 2**53 microseconds per object (285 years), so they are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from noc.model.policy import MaintenanceTreatment
from sla.intervals import I64, normalize, sweep


@dataclass(frozen=True)
class Keyed:
    """Intervals of many objects: ``keys[i]`` owns ``[starts[i], ends[i])`` (any order)."""

    keys: I64
    starts: I64
    ends: I64

    @classmethod
    def empty(cls) -> Keyed:
        z = np.empty(0, np.int64)
        return cls(z, z, z)

    @classmethod
    def of(cls, rows: list[tuple[int, int, int]]) -> Keyed:
        if not rows:
            return cls.empty()
        a = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
        return cls(a[:, 0].copy(), a[:, 1].copy(), a[:, 2].copy())


@dataclass(frozen=True)
class Totals:
    """Per object, in microseconds: ``downtime`` counted against it, ``counted`` (the
    denominator), ``maintenance`` inside its calendar, and the calendar ``span``."""

    downtime: I64
    counted: I64
    maintenance: I64
    span: I64


def _place(x: Keyed, lo: int, hi: int, stride: int) -> tuple[I64, I64]:
    s = np.clip(x.starts, lo, hi) - lo + x.keys * stride
    e = np.clip(x.ends, lo, hi) - lo + x.keys * stride
    return normalize(s, e)


def _per_key(starts: I64, ends: I64, stride: int, n: int) -> I64:
    if starts.size == 0:
        return np.zeros(n, np.int64)
    sums = np.bincount(starts // stride, weights=(ends - starts).astype(np.float64), minlength=n)
    return sums.astype(np.int64)


def totals(
    n: int,
    lo: int,
    hi: int,
    down: Keyed,
    maintenance: Keyed,
    treatment: list[MaintenanceTreatment],
    calendar: Keyed | None = None,
) -> Totals:
    """Downtime and denominator of objects ``0..n-1`` over ``[lo, hi)``.

    ``calendar`` (None: the whole period) is the time each object's policy counts. With
    ``X = |down & cal - maint|`` and ``M = |maint & cal|``, ``C = |cal|``: exclude gives
    ``X / (C - M)``, count_as_up ``X / C``, count_as_down ``(X + M) / C``.
    """
    if hi <= lo or n == 0:
        z = np.zeros(n, np.int64)
        return Totals(z, z, z, z)
    stride = hi - lo + 1
    d = _place(down, lo, hi, stride)
    m = _place(maintenance, lo, hi, stride)
    keys = np.arange(n, dtype=np.int64)
    if calendar is None:
        c = (keys * stride, keys * stride + (hi - lo))
    else:
        c = _place(calendar, lo, hi, stride)
    x = sweep([(d[0], d[1], 1), (c[0], c[1], 1), (m[0], m[1], -4)], 2)
    mc = sweep([(m[0], m[1], 1), (c[0], c[1], 1)], 2)
    big_x = _per_key(x[0], x[1], stride, n)
    big_m = _per_key(mc[0], mc[1], stride, n)
    big_c = _per_key(c[0], c[1], stride, n)
    code = np.array([_CODE[t] for t in treatment], dtype=np.int64)
    downtime = np.where(code == 2, big_x + big_m, big_x)
    counted = np.where(code == 0, big_c - big_m, big_c)
    return Totals(downtime, counted, big_m, big_c)


_CODE = {
    MaintenanceTreatment.exclude: 0,
    MaintenanceTreatment.count_as_up: 1,
    MaintenanceTreatment.count_as_down: 2,
}


def down_from_changes(
    keys: I64,
    ts: I64,
    order: I64,
    old_down: npt.NDArray[np.bool_],
    new_down: npt.NDArray[np.bool_],
    hi: int,
    lo: int | None = None,
) -> Keyed:
    """Down intervals of many objects from their state changes, vectorized (see sla.timeline).

    Change ``i`` of object ``keys[i]`` at ``ts[i]`` (``order`` breaks ties) moves it to a down
    state when ``new_down[i]``; before its first change an object is in that change's old state
    (``old_down``), after its last change it stays in the new one until ``hi``. Fastest when
    the changes are in time order (``ts``, then ``order``), as the store lists them; given
    ``lo`` too, only the changes that matter for ``[lo, hi)`` are sorted.
    """
    if keys.size == 0:
        return Keyed.empty()
    in_time_order = bool(
        np.all((ts[1:] > ts[:-1]) | ((ts[1:] == ts[:-1]) & (order[1:] > order[:-1])))
    )
    # Changes come from the store oldest first: a stable sort by object keeps their order and
    # costs a fraction of a three-key lexsort.
    if lo is not None and in_time_order:
        keep = _relevant(keys, ts, lo, hi)
        keys, ts, order = keys[keep], ts[keep], order[keep]
        old_down, new_down = old_down[keep], new_down[keep]
    if in_time_order:
        # numpy's stable sort is a radix sort for 16-bit integers: use it when keys fit.
        small = keys.size and int(keys.max()) < 2**16 and int(keys.min()) >= 0
        idx = np.argsort(keys.astype(np.uint16) if small else keys, kind="stable")
    else:
        idx = np.lexsort((order, ts, keys))
    k, t, nd, od = keys[idx], ts[idx], new_down[idx], old_down[idx]
    last = np.concatenate((k[1:] != k[:-1], [True]))
    first = np.concatenate(([True], k[1:] != k[:-1]))
    ends = np.where(last, np.int64(hi), np.concatenate((t[1:], [hi])))
    sel = nd & (t < ends)
    head = first & od  # down before the first change: from the beginning of time
    lo_inf = np.iinfo(np.int64).min // 4
    return Keyed(
        np.concatenate((k[sel], k[head])),
        np.concatenate((t[sel], np.full(int(head.sum()), lo_inf, np.int64))),
        np.concatenate((ends[sel], t[head])),
    )


def _relevant(keys: I64, ts: I64, lo: int, hi: int) -> npt.NDArray[np.bool_]:
    """Changes in ``[lo, hi)``, plus each object's last one before ``lo`` (its state at ``lo``)
    and first one from ``hi`` on (its old state tells the state before it). Time order assumed."""
    pos = np.arange(keys.size, dtype=np.int64)
    nk = int(keys.max()) + 1
    before, after = ts < lo, ts >= hi
    last_before = np.full(nk, -1, np.int64)
    np.maximum.at(last_before, keys[before], pos[before])
    first_after = np.full(nk, keys.size, np.int64)
    np.minimum.at(first_after, keys[after], pos[after])
    keep = ~before & ~after
    keep[last_before[last_before >= 0]] = True
    keep[first_after[first_after < keys.size]] = True
    return keep
