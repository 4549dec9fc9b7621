"""Every device and link over one period at once: the batch path of :mod:`sla.availability`.

The per-object path builds a :class:`~sla.timeline.Timeline` and a handful of interval sets per
object in Python; with 10,000 objects that is seconds. Here the state changes become columns,
each object's state segments are cut in one ``lexsort``, and every set (down, planned,
calendar, no data) is laid out on one axis as in :mod:`sla.batch` (``key * stride + t - lo``),
so one sweep computes the unplanned down time of all objects together. The figures are the same
integers the per-object path gives (``tests/sla/test_batch_engine.py`` checks it); an object's
own interval sets (for sub-periods and for services) are sliced out on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from noc.model.policy import MaintenanceTreatment
from sla.batch import _CODE
from sla.history import STATE_CODES, Change, ChangeColumns, Window
from sla.intervals import I64, IntervalSet, normalize, sweep
from sla.timeline import root_causes

_DOWN, _MAINT, _UNKNOWN, _UNREACHABLE = (
    STATE_CODES[s] for s in ("down", "maintenance", "unknown", "unreachable")
)
Pair = tuple[I64, I64]


@dataclass(frozen=True)
class Leaf:
    """What the engine needs of one leaf: its ref, name, policy name and sites."""

    ref: str
    name: str
    site: str | None
    sites: tuple[str, ...]
    policy: str
    uncatalogued: bool = False


def _empty() -> Pair:
    return np.empty(0, np.int64), np.empty(0, np.int64)


def _sum_per_key(x: Pair, stride: int, n: int) -> I64:
    if x[0].size == 0:
        return np.zeros(n, np.int64)
    w = (x[1] - x[0]).astype(np.float64)
    return np.bincount(x[0] // stride, weights=w, minlength=n).astype(np.int64)


def _count_per_key(x: Pair, stride: int, n: int) -> I64:
    return np.bincount(x[0] // stride, minlength=n).astype(np.int64)


def _measure_below(x: Pair, t: I64) -> I64:
    """For each ``t``, the measure of the normalized set ``x`` below ``t``."""
    if x[0].size == 0:
        return np.zeros(t.size, np.int64)
    cum = np.concatenate(([0], np.cumsum(x[1] - x[0])))
    j = np.searchsorted(x[0], t, side="right")
    over = np.where(j > 0, np.maximum(0, x[1][np.maximum(j - 1, 0)] - t), 0)
    return cum[j] - over


class Leaves:
    """Figures and sets of ``leaves`` over ``[lo, hi)``; ``cals`` / ``treatments`` per leaf."""

    def __init__(
        self,
        leaves: Sequence[Leaf],
        changes: Sequence[Change],
        columns: ChangeColumns,
        windows: Sequence[Window],
        lo: int,
        hi: int,
        cals: Sequence[IntervalSet],
        treatments: Sequence[MaintenanceTreatment],
    ) -> None:
        n = len(leaves)
        self.refs = [x.ref for x in leaves]
        self.index = {r: i for i, r in enumerate(self.refs)}
        self.lo, self.hi, self.n = lo, hi, n
        self._changes = changes
        self._bounds: dict[int, list[int]] = {}  # id of a set's starts -> where each key begins
        self.stride = max(hi - lo, 0) + 1
        seg = self._segments(columns)
        down_state = seg[3] == _DOWN
        is_dev = np.array([r.startswith("device:") for r in self.refs], bool)
        if n:
            down_state |= (seg[3] == _UNREACHABLE) & is_dev[seg[0]]
        d = self._place(seg[0][down_state], seg[1][down_state], seg[2][down_state])
        ms = self._place(*(a[seg[3] == _MAINT] for a in seg[:3]))
        nd = self._place(*(a[seg[3] == _UNKNOWN] for a in seg[:3]))
        silent = np.setdiff1d(np.arange(n, dtype=np.int64), seg[0])
        nd = normalize(
            np.concatenate((nd[0], silent * self.stride)),
            np.concatenate((nd[1], silent * self.stride + (self.stride - 1))),
        )
        w = self._windows(leaves, windows)
        self.plan = normalize(np.concatenate((ms[0], w[0])), np.concatenate((ms[1], w[1])))
        self.down = normalize(np.concatenate((d[0], ms[0])), np.concatenate((d[1], ms[1])))
        self.no_data = nd
        p = self.plan
        self.unplanned = sweep([(self.down[0], self.down[1], 1), (p[0], p[1], -2)], 1)
        self.cal = self._calendars(cals)
        c, p = self.cal, self.plan
        unplanned = sweep([(d[0], d[1], 1), (c[0], c[1], 1), (p[0], p[1], -4)], 2)
        pc = sweep([(p[0], p[1], 1), (c[0], c[1], 1)], 2)
        both = normalize(
            np.concatenate((unplanned[0], pc[0])), np.concatenate((unplanned[1], pc[1]))
        )
        x, m = _sum_per_key(unplanned, self.stride, n), _sum_per_key(pc, self.stride, n)
        big_c = _sum_per_key(c, self.stride, n)
        code = np.array([_CODE[t] for t in treatments], dtype=np.int64)
        self.downtime = np.where(code == 2, x + m, x)
        self.counted = np.where(code == 0, big_c - m, big_c)
        self.maintenance = m
        self.outages = np.where(
            code == 2,
            _count_per_key(both, self.stride, n),
            _count_per_key(unplanned, self.stride, n),
        )
        self.no_data_us = _sum_per_key(
            sweep([(nd[0], nd[1], 1), (c[0], c[1], 1)], 2), self.stride, n
        )
        self._causes(seg, down_state, is_dev)

    def _segments(self, cols: ChangeColumns) -> tuple[I64, I64, I64, I64, I64]:
        """``(key, start, end, state, change index)`` of every state segment in ``[lo, hi)``;
        the index is -1 for the segment before an object's first change (no cause)."""
        n = len(cols.refs)
        key = np.fromiter(map(self.index.get, cols.refs, repeat(-1)), np.int64, n)
        pos = np.flatnonzero(key >= 0)
        if pos.size == 0:
            z = np.empty(0, np.int64)
            return z, z, z, z, z
        if pos.size < n:
            key = key[pos]
        idx = np.lexsort((cols.order[pos], cols.ts[pos], key))
        key, pos = key[idx], pos[idx]
        ts, new = cols.ts[pos], cols.new[pos]
        first = np.concatenate(([True], key[1:] != key[:-1]))
        last = np.concatenate((key[1:] != key[:-1], [True]))
        head = np.flatnonzero(first)
        lo, hi = self.lo, self.hi
        nxt = np.where(last, np.int64(hi), np.concatenate((ts[1:], [hi])))
        keys = np.concatenate((key[head], key))
        starts = np.clip(np.concatenate((np.full(head.size, lo, np.int64), ts)), lo, hi)
        ends = np.clip(np.concatenate((ts[head], nxt)), lo, hi)
        states = np.concatenate((cols.old[pos[head]], new))
        src = np.concatenate((np.full(head.size, -1, np.int64), pos))
        keep = starts < ends
        return keys[keep], starts[keep], ends[keep], states[keep], src[keep]

    def _place(self, keys: I64, starts: I64, ends: I64) -> Pair:
        off = keys * self.stride - self.lo
        return normalize(starts + off, ends + off)

    def _windows(self, leaves: Sequence[Leaf], windows: Sequence[Window]) -> Pair:
        at_site: dict[str, list[int]] = {}
        for i, leaf in enumerate(leaves):
            for s in {leaf.site, *leaf.sites} - {None}:
                at_site.setdefault(f"site:{s}", []).append(i)
        rows: list[tuple[int, int, int]] = []
        for w in windows:
            if w.end <= self.lo or w.start >= self.hi:
                continue
            k = self.index.get(w.target)
            for key in [k] if k is not None else at_site.get(w.target, []):
                rows.append((key, max(w.start, self.lo), min(w.end, self.hi)))
        if not rows:
            return _empty()
        a = np.asarray(rows, dtype=np.int64)
        return self._place(a[:, 0], a[:, 1], a[:, 2])

    def _calendars(self, cals: Sequence[IntervalSet]) -> Pair:
        by: dict[int, tuple[IntervalSet, list[int]]] = {}
        for i, cal in enumerate(cals):
            by.setdefault(id(cal), (cal, []))[1].append(i)
        starts, ends = [], []
        for cal, keys in by.values():
            off = np.asarray(keys, np.int64)[:, None] * self.stride - self.lo
            starts.append((cal.starts[None, :] + off).reshape(-1))
            ends.append((cal.ends[None, :] + off).reshape(-1))
        if not starts:
            return _empty()
        return normalize(np.concatenate(starts), np.concatenate(ends))

    def _causes(self, seg: tuple[I64, I64, I64, I64, I64], down: I64, is_dev: I64) -> None:
        """Down time per root cause: each down segment, minus planned time, inside the
        calendar, to itself or to the upstream devices its unreachable state names."""
        keys, starts, ends, states, src = (a[down] for a in seg)
        roots: list[str] = list(self.refs)
        root_id = {r: i for i, r in enumerate(roots)}
        rid = keys.copy()
        named = (
            np.flatnonzero((states == _UNREACHABLE) & is_dev[keys] & (src >= 0))
            if keys.size
            else keys
        )
        extra_k: list[int] = []
        extra_r: list[int] = []
        for j in named.tolist():
            who = root_causes(
                self.refs[int(keys[j])], "unreachable", self._changes[int(src[j])].cause
            )
            for r, name in enumerate(who):
                rr = root_id.setdefault(name, len(root_id))
                if rr == len(roots):
                    roots.append(name)
                if r == 0:
                    rid[j] = rr
                else:
                    extra_k.append(j)
                    extra_r.append(rr)
        extra = np.asarray(extra_k, np.int64)
        keys = np.concatenate((keys, keys[extra]))
        starts = np.concatenate((starts, starts[extra]))
        ends = np.concatenate((ends, ends[extra]))
        rid = np.concatenate((rid, np.asarray(extra_r, np.int64)))
        self.roots = roots
        order = np.lexsort((starts, rid, keys))
        self.cause_keys, self.cause_roots = keys[order], rid[order]
        self.cause_starts, self.cause_ends = starts[order], ends[order]
        mine = self.cause_roots == self.cause_keys
        own = self._place(self.cause_keys[mine], self.cause_starts[mine], self.cause_ends[mine])
        p = self.plan
        self.own_causes = sweep([(own[0], own[1], 1), (p[0], p[1], -2)], 1)
        c = self.cal
        eff = sweep([(c[0], c[1], 1), (p[0], p[1], -2)], 1)
        off = self.cause_keys * self.stride - self.lo
        hit = _measure_below(eff, self.cause_ends + off) - _measure_below(
            eff, self.cause_starts + off
        )
        pair = self.cause_keys * len(roots) + self.cause_roots
        uniq, inv = np.unique(pair, return_inverse=True)
        total = np.bincount(inv, weights=hit.astype(np.float64)).astype(np.int64)
        self.causes: dict[int, dict[str, int]] = {}
        for p_, t in zip(uniq.tolist(), total.tolist(), strict=True):
            if t:
                k, r = divmod(p_, len(roots))
                self.causes.setdefault(k, {})[roots[r]] = t
        for k, d in self.causes.items():
            self.causes[k] = dict(sorted(d.items()))

    def sets(self, ref: str) -> tuple[IntervalSet, IntervalSet, IntervalSet, IntervalSet]:
        """``(down, planned, cal, no_data)`` of one leaf, in real time."""
        k = self.index[ref]
        return (
            self._slice(self.down, k),
            self._slice(self.plan, k),
            self._slice(self.cal, k),
            self._slice(self.no_data, k),
        )

    def cause_sets(self, ref: str, planned: IntervalSet) -> dict[str, IntervalSet]:
        k = self.index[ref]
        a = int(np.searchsorted(self.cause_keys, k, side="left"))
        b = int(np.searchsorted(self.cause_keys, k, side="right"))
        roots = self.cause_roots[a:b]
        out: dict[str, IntervalSet] = {}
        if bool((roots == k).any()):
            out[ref] = self._slice(self.own_causes, k)
        by: dict[str, list[tuple[int, int]]] = {}
        other = np.flatnonzero(roots != k) + a
        for r, s, e in zip(
            self.cause_roots[other].tolist(),
            self.cause_starts[other].tolist(),
            self.cause_ends[other].tolist(),
            strict=True,
        ):
            by.setdefault(self.roots[r], []).append((s, e))
        out.update({r: IntervalSet.of(v).difference(planned) for r, v in by.items()})
        return out

    def part(self, ref: str) -> tuple[IntervalSet, IntervalSet]:
        """``(down, unplanned down)`` of one leaf: what a service needs of its component."""
        k = self.index[ref]
        return self._slice(self.down, k), self._slice(self.unplanned, k)

    def _slice(self, x: Pair, k: int) -> IntervalSet:
        bounds = self._bounds.get(id(x[0]))
        if bounds is None:
            edges = np.arange(self.n + 1, dtype=np.int64) * self.stride
            bounds = self._bounds[id(x[0])] = np.searchsorted(x[0], edges).tolist()
        a, b = bounds[k], bounds[k + 1]
        off = self.lo - k * self.stride
        return IntervalSet(x[0][a:b] + off, x[1][a:b] + off)
