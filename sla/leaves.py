"""Every device and link over one period at once: the batch path of :mod:`sla.availability`.

The per-object path builds a :class:`~sla.timeline.Timeline` and a handful of interval sets per
object in Python; with 10,000 objects that is seconds. Here everything is numpy over columns.

* The state changes come grouped by object (:class:`~sla.history.ChangeColumns`), so nothing is
  sorted: for the period ``[lo, hi)`` each object keeps its changes inside it plus the last one
  before (its state at ``lo``) and the first one after (whose old state holds when nothing else
  is known), found by one binary search in every object's changes at once; each kept change
  opens a segment that the next one closes, and a segment before the first one carries that
  change's old state.
* Every set (down, not up, planned, calendar, no data) is laid out on one axis as in
  :mod:`sla.batch` (object ``k``'s time ``t`` at ``k * stride + t - lo``; objects never touch),
  normalized: sorted, disjoint, touching intervals merged. Segments of one object are already
  in time order, so merging touching ones is one comparison with the neighbour.
* Totals are measures, not set operations: with ``E = calendar - planned``, an object's
  unplanned down time is ``|down & E|``: over the intervals ``[s, e)`` of the smaller of the two
  sets, the sum of ``|other below e| - |other below s|``, each a ``searchsorted`` plus a running
  sum; its outages are the pieces of ``down & E``, i.e. how many pairs of their intervals
  overlap. Per-object sums are differences of one running sum at the objects' boundaries
  (exact int64).
* Services over leaves (every site) are computed together: "every component down" (the
  ``any`` rule) intersects all such services with one more component a round, smallest first,
  dropping each as soon as it is empty, which for most is at once.

The figures are the same integers the per-object path gives (``tests/sla/test_batch_engine.py``
and ``tests/sla/test_fast_paths.py`` check it on generated histories); an object's own interval
sets (for sub-periods and for services) are sliced out on demand, and the sets only services
or sub-periods need (unplanned down, cause sets) are computed on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import Protocol

import numpy as np
import numpy.typing as npt

from noc.model.policy import MaintenanceTreatment
from sla.batch import _CODE
from sla.history import STATE_CODES, ChangeColumns, Window, WindowColumns
from sla.intervals import I64, IntervalSet, normalize, sweep
from sla.timeline import root_causes

_DOWN, _MAINT, _UNKNOWN, _UNREACHABLE = (
    STATE_CODES[s] for s in ("down", "maintenance", "unknown", "unreachable")
)
Pair = tuple[I64, I64]
Bools = npt.NDArray[np.bool_]


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


def _ranges(starts: I64, lens: I64) -> I64:
    """``[starts[i], starts[i] + lens[i])`` for every ``i``, concatenated."""
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, np.int64)
    offs = np.cumsum(lens) - lens
    return np.repeat(starts - offs, lens) + np.arange(total, dtype=np.int64)


def _merge_touching(s: I64, e: I64) -> Pair:
    """Sorted, disjoint intervals, normalized: touching neighbours merged."""
    if s.size < 2:
        return s, e
    cut = s[1:] != e[:-1]
    if bool(cut.all()):
        return s, e
    first = np.flatnonzero(np.concatenate(([True], cut)))
    last = np.concatenate((first[1:] - 1, [s.size - 1]))
    return s[first], e[last]


def _union(a: Pair, b: Pair) -> Pair:
    if a[0].size == 0:
        return b
    if b[0].size == 0:
        return a
    return normalize(np.concatenate((a[0], b[0])), np.concatenate((a[1], b[1])))


def _intersect(a: Pair, b: Pair) -> Pair:
    """``a & b`` of two normalized sets: each interval of ``a`` cut by every interval of ``b``
    it meets (the pieces are already normalized)."""
    if a[0].size == 0 or b[0].size == 0:
        return _empty()
    first = np.searchsorted(b[1], a[0], side="right")  # the first b ending after a starts
    stop = np.searchsorted(b[0], a[1], side="left")  # the b starting before a ends
    count = np.maximum(stop - first, 0)
    ai = np.repeat(np.arange(a[0].size, dtype=np.int64), count)
    bi = _ranges(first, count)
    return np.maximum(a[0][ai], b[0][bi]), np.minimum(a[1][ai], b[1][bi])


class _Measure:
    """Measure queries on one normalized set ``x``."""

    def __init__(self, x: Pair) -> None:
        self.s, self.e = x
        self.cum = np.concatenate(([0], np.cumsum(self.e - self.s)))

    def below(self, t: I64) -> tuple[I64, I64]:
        """``(|x below t|, j)`` for each ``t``; ``j`` = how many intervals start at or before."""
        j = np.searchsorted(self.s, t, side="right")
        if self.s.size == 0:
            return np.zeros(t.size, np.int64), j
        prev = np.maximum(j - 1, 0)
        over = np.where(j > 0, np.maximum(self.e[prev] - t, 0), 0)
        return self.cum[j] - over, j

    def within(self, s: I64, e: I64) -> I64:
        """``|x & [s, e)|`` for each interval."""
        return self.below(e)[0] - self.below(s)[0]

    def inside(self, s: I64, e: I64) -> tuple[I64, I64]:
        """For each interval ``[s, e)`` of a normalized set: the measure of ``x`` inside it and
        how many intervals of ``x`` it meets (the pieces of their intersection)."""
        ms, js = self.below(s)
        me, je = self.below(e)
        if self.s.size == 0:
            return me - ms, np.zeros(s.size, np.int64)
        # intervals of x starting before e, less those ending at or before s
        starts_before = je - ((je > 0) & (self.s[np.maximum(je - 1, 0)] == e))
        ends_by = js - ((js > 0) & (self.e[np.maximum(js - 1, 0)] > s))
        return me - ms, starts_before - ends_by


@dataclass
class _Rows:
    """Every leaf's state segments in the period, on the axis. Leaf ``head_leaf[j]`` is in
    state ``head_state[j]`` over ``[head_start[j], head_end[j])`` (before its first change in
    the period), then in ``new[i]`` over ``[start[i], end[i])`` for each of its next
    ``lens[j]`` rows (row ``i`` is change ``src[i]``). Segments may be empty."""

    start: I64
    end: I64
    new: I64
    src: I64
    lens: I64
    head_leaf: I64
    head_start: I64
    head_end: I64
    head_state: I64
    silent: I64

    @classmethod
    def none(cls, silent: I64) -> _Rows:
        z = np.empty(0, np.int64)
        return cls(z, z, z, z, z, z, z, z, z, silent)

    @cached_property
    def leaf(self) -> I64:
        return np.repeat(self.head_leaf, self.lens)

    @cached_property
    def filled(self) -> Bools:
        return self.start < self.end

    @cached_property
    def head_filled(self) -> Bools:
        return self.head_start < self.head_end

    def pick(self, rows: Bools, heads: Bools) -> Pair:
        """The normalized set of the non-empty segments chosen by ``rows`` and ``heads``."""
        at = np.flatnonzero(rows & self.filled)  # (a boolean index is slower for big arrays)
        s, e = self.start.take(at), self.end.take(at)
        heads = heads & self.head_filled
        if bool(heads.any()):
            hs, he = self.head_start[heads], self.head_end[heads]
            at = np.searchsorted(s, hs)  # a head comes before its leaf's rows
            s, e = np.insert(s, at, hs), np.insert(e, at, he)
        return _merge_touching(s, e)


class LeafLike(Protocol):
    @property
    def ref(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def policy(self) -> str: ...
    @property
    def site(self) -> str | None: ...
    @property
    def sites(self) -> tuple[str, ...]: ...


class Leaves:
    """Figures and sets of ``leaves`` over ``[lo, hi)``; ``windows`` the one-off windows,
    ``occurrences`` the recurring ones expanded. Leaf ``i`` counts calendar ``cals[which[i]]``
    and treats maintenance as ``treatments[which[i]]``."""

    def __init__(
        self,
        leaves: Sequence[LeafLike],
        columns: ChangeColumns,
        windows: WindowColumns,
        occurrences: Sequence[Window],
        lo: int,
        hi: int,
        cals: Sequence[IntervalSet],
        treatments: Sequence[MaintenanceTreatment],
        which: I64,
        *,
        refs: list[str] | None = None,
        group_leaf: I64 | None = None,
    ) -> None:
        """``refs`` are the leaves' refs if known; ``group_leaf`` the leaf of each of the
        columns' groups (-1: none) if known."""
        n = len(leaves)
        self.leaves = leaves
        self.refs = [x.ref for x in leaves] if refs is None else refs
        self.index = dict(zip(self.refs, range(n), strict=True))
        self._group_leaf = group_leaf
        self.lo, self.hi, self.n = lo, hi, n
        self.span = max(hi - lo, 0)
        self.stride = self.span + 1
        self.edges = np.arange(n + 1, dtype=np.int64) * self.stride
        self._cols = columns
        self._bounds: dict[int, list[int]] = {}  # id of a set's starts -> where each key begins

        rows = self._segments(columns)
        down_state = rows.new == _DOWN
        head_down = rows.head_state == _DOWN
        unreachable = rows.new == _UNREACHABLE
        if bool(unreachable.any()) or bool((rows.head_state == _UNREACHABLE).any()):
            down_state |= unreachable & self.is_dev[rows.leaf]
            head_down |= (rows.head_state == _UNREACHABLE) & self.is_dev[rows.head_leaf]
        self.d = d = rows.pick(down_state, head_down)
        maint, head_maint = rows.new == _MAINT, rows.head_state == _MAINT
        ms = rows.pick(maint, head_maint)
        # "down" here is every moment not up (planned or not): what services combine.
        self.down = rows.pick(down_state | maint, head_down | head_maint) if ms[0].size else d
        nd = rows.pick(rows.new == _UNKNOWN, rows.head_state == _UNKNOWN)
        silent = rows.silent
        if silent.size and self.span:
            nd = _union(nd, (silent * self.stride, silent * self.stride + self.span))
        self.no_data = nd
        self.plan = _union(ms, self._windows(windows, occurrences))
        cal, cal_us = self._calendars(cals, which)
        self.cal = cal
        effective = sweep([(cal[0], cal[1], 1), (self.plan[0], self.plan[1], -2)], 1)
        x, pieces = self._meet(d, effective, count=True)
        m = self._meet(self.plan, cal)[0]
        code = np.array([_CODE[t] for t in treatments], dtype=np.int64)[which]
        self.downtime = np.where(code == 2, x + m, x)
        self.counted = np.where(code == 0, cal_us - m, cal_us)
        self.maintenance = m
        if bool((code == 2).any()):
            pieces_both = self._meet(_union(d, self.plan), cal, count=True)[1]
            pieces = np.where(code == 2, pieces_both, pieces)
        self.outages = pieces
        self.no_data_us = self._meet(nd, cal)[0]
        self._causes(rows, down_state, head_down, x, effective)

    # -- building ----------------------------------------------------------------------------

    def _segments(self, cols: ChangeColumns) -> _Rows:
        """The state segments in ``[lo, hi)`` of every leaf with changes (see :class:`_Rows`)."""
        lo, hi, n = self.lo, self.hi, self.n
        g = len(cols.refs)
        lut = self._group_leaf
        if lut is None or len(self.index) != n:
            lut = np.fromiter(map(self.index.get, cols.refs, repeat(-1)), np.int64, g)
        sel = np.flatnonzero(lut >= 0)
        listed = np.zeros(n, bool)
        listed[lut[sel]] = True
        silent = np.flatnonzero(~listed)
        if sel.size == 0 or hi <= lo:
            return _Rows.none(silent)
        go = sel[np.argsort(lut[sel], kind="stable")]
        a, b = cols.bounds[go], cols.bounds[go + 1]
        ts = cols.ts
        before = cols.count_before(go, lo)
        inside = cols.count_before(go, hi)
        r0 = a + np.maximum(before - 1, 0)  # the last change before lo, if any
        r1 = np.minimum(a + inside + 1, b)  # up to the first change from hi on, if any
        lens = r1 - r0
        whole = int(lens.sum()) == ts.size and bool((go[1:] > go[:-1]).all())
        # whole: every row, already in leaf order: nothing to gather
        src = np.arange(ts.size, dtype=np.int64) if whole else _ranges(r0, lens)
        t = ts.copy() if whole else ts[src]
        new = cols.new_code if whole else cols.new_code[src]
        head = np.cumsum(lens) - lens  # each leaf's first row
        tail = head + lens - 1
        # Only a leaf's first row can be before lo, only its last one from hi on.
        t[head] = np.maximum(t[head], lo)
        t[tail] = np.minimum(t[tail], hi)
        leaf_of_group = lut[go]
        base = leaf_of_group * self.stride - lo
        start = t + np.repeat(base, lens)
        end = np.empty_like(start)
        end[:-1] = start[1:]
        end[tail] = base + hi
        return _Rows(
            start=start,
            end=end,
            new=new,
            src=src,
            lens=lens,
            head_leaf=leaf_of_group,
            head_start=base + lo,
            head_end=start[head],
            head_state=cols.old_code[src[head]],
            silent=silent,
        )

    def _place(self, keys: I64, starts: I64, ends: I64) -> Pair:
        off = keys * self.stride - self.lo
        return normalize(starts + off, ends + off)

    @cached_property
    def is_dev(self) -> Bools:
        """Which leaves are devices (an unreachable device counts as down)."""
        return np.fromiter((r.startswith("device:") for r in self.refs), bool, self.n)

    @cached_property
    def _at_site(self) -> dict[str, list[int]]:
        at: dict[str, list[int]] = {}
        for i, leaf in enumerate(self.leaves):
            for s in {leaf.site, *leaf.sites} - {None}:
                at.setdefault(f"site:{s}", []).append(i)
        return at

    def _targets(self, targets: Sequence[str]) -> tuple[I64, I64, I64]:
        """Per target: where its leaves begin and how many, in ``leaves`` (the result's last
        array): a leaf itself, or every leaf at a site."""
        k = np.fromiter(map(self.index.get, targets, repeat(-1)), np.int64, len(targets))
        count = (k >= 0).astype(np.int64)
        sites = [i for i in np.flatnonzero(k < 0).tolist() if targets[i].startswith("site:")]
        at_site = self._at_site if sites else {}
        for i in sites:
            count[i] = len(at_site.get(targets[i], ()))
        first = np.cumsum(count) - count
        out = np.empty(int(count.sum()), np.int64)
        mine = k >= 0
        out[first[mine]] = k[mine]
        for i in sites:
            out[first[i] : first[i] + count[i]] = at_site.get(targets[i], ())
        return first, count, out

    def _windows(self, w: WindowColumns, occurrences: Sequence[Window]) -> Pair:
        lo, hi = self.lo, self.hi
        parts: list[tuple[I64, I64, I64]] = []
        hit = np.flatnonzero((w.end > lo) & (w.start < hi))
        if hit.size:
            first, count, leaves = self._targets(w.targets)
            tgt = w.target[hit]
            per = count[tgt]
            keys = leaves[_ranges(first[tgt], per)]
            parts.append((keys, np.repeat(w.start[hit], per), np.repeat(w.end[hit], per)))
        rows: list[tuple[int, int, int]] = []
        for o in occurrences:
            if o.end <= lo or o.start >= hi:
                continue
            k = self.index.get(o.target)
            for key in [k] if k is not None else self._at_site.get(o.target, []):
                rows.append((key, o.start, o.end))
        if rows:
            a = np.asarray(rows, dtype=np.int64)
            parts.append((a[:, 0], a[:, 1], a[:, 2]))
        if not parts:
            return _empty()
        keys = np.concatenate([p[0] for p in parts])
        s = np.clip(np.concatenate([p[1] for p in parts]), lo, hi)
        e = np.clip(np.concatenate([p[2] for p in parts]), lo, hi)
        return self._place(keys, s, e)

    def _calendars(self, pool: Sequence[IntervalSet], which: I64) -> tuple[Pair, I64]:
        """Every leaf's calendar on the axis (built in order, no sort) and its total."""
        if not pool or which.size == 0:
            return _empty(), np.zeros(which.size, np.int64)
        sizes = np.array([len(c) for c in pool], np.int64)
        totals = np.array([c.total() for c in pool], np.int64)
        starts = np.concatenate([c.starts for c in pool])
        ends = np.concatenate([c.ends for c in pool])
        pool_at = np.cumsum(sizes) - sizes
        lens = sizes[which]
        idx = _ranges(pool_at[which], lens)
        off = np.repeat(np.arange(which.size, dtype=np.int64) * self.stride - self.lo, lens)
        return (starts[idx] + off, ends[idx] + off), totals[which]

    def _sum(self, starts: I64, values: I64) -> I64:
        """Per leaf: the sum of ``values`` of the intervals of a set (given by its starts)."""
        at = np.searchsorted(starts, self.edges)
        cum = np.concatenate(([0], np.cumsum(values)))
        return (cum[at[1:]] - cum[at[:-1]]).astype(np.int64)

    # -- causes ------------------------------------------------------------------------------

    def _causes(
        self, rows: _Rows, down: Bools, head_down: Bools, own_total: I64, effective: Pair
    ) -> None:
        """Unplanned down time (inside the calendar) per leaf and root cause: itself, or the
        upstream devices an unreachable device's change names (``root cause upstream: X``)."""
        roots: list[str] = list(self.refs)
        self.roots = roots
        self._totals: dict[int, dict[str, int]] = {}
        self._other: tuple[I64, I64, I64, I64] | None = None
        named = down & (rows.new == _UNREACHABLE) & rows.filled
        if not bool(named.any()):  # every down segment is the leaf's own
            self._own = self.d
            self.has_own = np.diff(np.asarray(self._bounds_of(self.d))) > 0
            self._own_total = own_total
            return
        sel = np.flatnonzero(down & rows.filled)
        hsel = head_down & rows.head_filled
        leaf = np.concatenate((rows.leaf.take(sel), rows.head_leaf[hsel]))
        s = np.concatenate((rows.start.take(sel), rows.head_start[hsel]))
        e = np.concatenate((rows.end.take(sel), rows.head_end[hsel]))
        rid = leaf.copy()
        root_id = {r: i for i, r in enumerate(roots)}
        cols = self._cols
        parsed: dict[tuple[int, int], list[int]] = {}
        extra_seg: list[int] = []
        extra_root: list[int] = []
        at = np.flatnonzero(named.take(sel))
        for j, k, c in zip(
            at.tolist(),
            leaf[at].tolist(),
            cols.cause[rows.src.take(sel)[at]].tolist(),
            strict=True,
        ):
            ids = parsed.get((k, c))
            if ids is None:
                who = root_causes(self.refs[k], "unreachable", cols.texts[c])
                ids = []
                for name in dict.fromkeys(who):
                    ids.append(root_id.setdefault(name, len(root_id)))
                    if ids[-1] == len(roots):
                        roots.append(name)
                parsed[(k, c)] = ids
            rid[j] = ids[0]
            for r in ids[1:]:
                extra_seg.append(j)
                extra_root.append(r)
        if extra_seg:
            more = np.asarray(extra_seg, np.int64)
            leaf, s, e = (np.concatenate((x, x[more])) for x in (leaf, s, e))
            rid = np.concatenate((rid, np.asarray(extra_root, np.int64)))
        own = rid == leaf
        self._own = normalize(s[own], e[own])
        self.has_own = np.bincount(leaf[own], minlength=self.n).astype(bool)
        self._own_total = self._meet(self._own, effective)[0]
        other = np.flatnonzero(~own)
        if other.size == 0:
            return
        order = other[np.lexsort((s[other], rid[other], leaf[other]))]
        self._other = (leaf[order], rid[order], s[order], e[order])
        hit = _Measure(effective).within(s[order], e[order])
        pair = leaf[order] * len(roots) + rid[order]
        uniq, inv = np.unique(pair, return_inverse=True)
        total = np.bincount(inv, weights=hit.astype(np.float64)).astype(np.int64)
        for p, t in zip(uniq.tolist(), total.tolist(), strict=True):
            if t:
                k, r = divmod(p, len(roots))
                self._totals.setdefault(k, {})[roots[r]] = t

    def _meet(self, a: Pair, b: Pair, count: bool = False) -> tuple[I64, I64]:
        """Per leaf: ``|a & b|`` and, with ``count``, the pieces of ``a & b`` (how many pairs
        of their intervals overlap), looking the smaller set up in the larger one."""
        small, big = (a, b) if a[0].size <= b[0].size else (b, a)
        on = _Measure(big)
        if count:
            measure, pairs = on.inside(*small)
            return self._sum(small[0], measure), self._sum(small[0], pairs)
        return self._sum(small[0], on.within(*small)), np.zeros(0, np.int64)

    @property
    def own_total(self) -> I64:
        """Per leaf: its unplanned down time (inside its calendar) of its own cause."""
        return self._own_total

    @property
    def other_causes(self) -> dict[int, dict[str, int]]:
        """Per leaf that has any: its unplanned down time attributed to upstream roots."""
        return self._totals

    def causes_of(self, k: int) -> dict[str, int]:
        """Leaf ``k``'s unplanned down time inside its calendar per root cause, by name."""
        own = int(self._own_total[k])
        out = dict(self._totals.get(k, {}))
        if own:
            out[self.refs[k]] = own
        return dict(sorted(out.items())) if len(out) > 1 else out

    @cached_property
    def own_causes(self) -> Pair:
        p = self.plan
        return sweep([(self._own[0], self._own[1], 1), (p[0], p[1], -2)], 1)

    @cached_property
    def unplanned(self) -> Pair:
        """Not up and not planned: what a service's rule counts against it."""
        p = self.plan
        return sweep([(self.down[0], self.down[1], 1), (p[0], p[1], -2)], 1)

    # -- slices ------------------------------------------------------------------------------

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
        out: dict[str, IntervalSet] = {}
        if bool(self.has_own[k]):
            out[ref] = self._slice(self.own_causes, k)
        other = self._other
        if other is None:
            return out
        a = int(np.searchsorted(other[0], k, side="left"))
        b = int(np.searchsorted(other[0], k, side="right"))
        by: dict[str, list[tuple[int, int]]] = {}
        off = self.lo - k * self.stride
        for r, s, e in zip(
            other[1][a:b].tolist(),
            (other[2][a:b] + off).tolist(),
            (other[3][a:b] + off).tolist(),
            strict=True,
        ):
            by.setdefault(self.roots[r], []).append((s, e))
        out.update({r: IntervalSet.of(v).difference(planned) for r, v in by.items()})
        return out

    def part(self, ref: str) -> tuple[IntervalSet, IntervalSet]:
        """``(down, unplanned down)`` of one leaf: what a service needs of its component."""
        k = self.index[ref]
        return self._slice(self.down, k), self._slice(self.unplanned, k)

    def fails(
        self, groups: Sequence[tuple[Sequence[int] | I64, int]]
    ) -> list[tuple[IntervalSet, IntervalSet]]:
        """For each ``(keys, k)``: where at least ``k`` of the leaves ``keys`` are down and not
        planned, and where at least ``k`` are down at all (planned or not), as
        :func:`sla.intervals.at_least` over their sets, without slicing each. Needs
        ``1 <= k``.

        ``k == len(keys)`` (a site, or an ``any`` rule: every component down) is an
        intersection: all such groups go together, one component per round, smallest first,
        and a group leaves as soon as its intersection is empty (at once, for most).
        Unplanned failure is then the failure less every component's planned time.
        """
        out: list[tuple[IntervalSet, IntervalSet] | None] = [None] * len(groups)
        at = np.asarray(self._bounds_of(self.down), np.int64)
        meet: list[int] = []
        for j, (keys, k) in enumerate(groups):
            if k <= 0:
                raise ValueError("k must be at least 1")
            sizes = at[np.asarray(keys, np.int64) + 1] - at[np.asarray(keys, np.int64)]
            if k > len(keys) or int((sizes > 0).sum()) < k:
                out[j] = (IntervalSet.empty(), IntervalSet.empty())
            elif k == len(keys) and k > 1:
                meet.append(j)
            else:
                any_ = self._at_least(self.down, keys, k)
                plain = any_ if any_.is_empty() else self._at_least(self.unplanned, keys, k)
                out[j] = (plain, any_)
        if meet:
            every = self._all_of([groups[j][0] for j in meet])
            for j, any_ in zip(meet, every, strict=True):
                if any_.is_empty():
                    out[j] = (any_, any_)
                    continue
                keys = groups[j][0]
                plan = IntervalSet.empty().union(*(self._slice(self.plan, i) for i in keys))
                out[j] = (any_.difference(plan), any_)
        return [x for x in out if x is not None]

    def _at_least(self, x: Pair, keys: Sequence[int] | I64, k: int) -> IntervalSet:
        at = np.asarray(self._bounds_of(x), np.int64)
        key = np.asarray(keys, np.int64)
        first = at[key]
        count = at[key + 1] - first
        shift = np.repeat(key * self.stride - self.lo, count)
        idx = _ranges(first, count)
        s, e = x[0][idx] - shift, x[1][idx] - shift
        if k == 1:
            return IntervalSet(*normalize(s, e))
        return IntervalSet(*sweep([(s, e, 1)], k))

    def _all_of(self, groups: Sequence[Sequence[int] | I64]) -> list[IntervalSet]:
        """Where every leaf of each group is down (planned or not), for many groups at once:
        group ``j`` on its own stretch of an axis, intersected with one more component a
        round (smallest first) while it is not empty."""
        x, stride = self.down, self.stride
        at = np.asarray(self._bounds_of(x), np.int64)
        g = len(groups)
        size = np.array([len(keys) for keys in groups], np.int64)
        comp = np.zeros((g, int(size.max())), np.int64)
        for j, keys in enumerate(groups):
            key = np.asarray(keys, np.int64)
            comp[j, : key.size] = key[np.argsort(at[key + 1] - at[key], kind="stable")]

        def gather(js: I64, leaves: I64) -> Pair:
            first = at[leaves]
            count = at[leaves + 1] - first
            idx = _ranges(first, count)
            shift = np.repeat((js - leaves) * stride, count)
            return x[0][idx] + shift, x[1][idx] + shift

        alive = np.arange(g, dtype=np.int64)
        cur = gather(alive, comp[:, 0])
        done_s: list[I64] = []
        done_e: list[I64] = []
        for r in range(1, comp.shape[1]):
            alive = np.unique(cur[0] // stride)  # groups with something left
            if alive.size == 0:
                break
            finished = alive[size[alive] <= r]
            if finished.size:
                mine = np.isin(cur[0] // stride, finished)
                done_s.append(cur[0][mine])
                done_e.append(cur[1][mine])
                cur = (cur[0][~mine], cur[1][~mine])
                alive = alive[size[alive] > r]
                if alive.size == 0:
                    break
            cur = _intersect(cur, gather(alive, comp[alive, r]))
        s = np.concatenate([*done_s, cur[0]])
        e = np.concatenate([*done_e, cur[1]])
        order = np.argsort(s, kind="stable")
        s, e = s[order], e[order]
        bounds = np.searchsorted(s, np.arange(g + 1, dtype=np.int64) * stride).tolist()
        return [
            IntervalSet(s[bounds[j] : bounds[j + 1]] - (j * stride - self.lo),
                        e[bounds[j] : bounds[j + 1]] - (j * stride - self.lo))
            for j in range(g)
        ]  # fmt: skip

    def _bounds_of(self, x: Pair) -> list[int]:
        bounds = self._bounds.get(id(x[0]))
        if bounds is None:
            bounds = self._bounds[id(x[0])] = np.searchsorted(x[0], self.edges).tolist()
        return bounds

    def _slice(self, x: Pair, k: int) -> IntervalSet:
        bounds = self._bounds_of(x)
        a, b = bounds[k], bounds[k + 1]
        off = self.lo - k * self.stride
        return IntervalSet(x[0][a:b] + off, x[1][a:b] + off)
