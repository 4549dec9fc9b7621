"""Availability of devices, links, sites and services over any period.

Availability of an object over a period = 1 - unplanned down time / (period - planned
maintenance) by default (DESIGN.md); the policy may count maintenance as up or as down instead,
and may count only business hours (in the site's time zone). Open outages count up to the end
of the period or now, whichever is first: the period is cut at ``now``.

Services (and sites, see :mod:`sla.catalog`) are down when their rule over components fails:
``all`` fails when any component is down, ``any`` when every one is, ``n_of_m`` when fewer than
n are up. A component's *not up* time includes its planned work; the service's planned time is
its own maintenance windows plus the time it failed only because of planned work, so a planned
reboot of one core does not count, and the planned reboot of both cores is maintenance.

Recurring maintenance windows count at each occurrence in the period, in the local time of the
target's site (:mod:`sla.recurrence`).

Devices and links are computed all at once by :mod:`sla.leaves` (numpy, one axis), and so are
the services over them; the per-object path (``per_object=True``) is kept as the reference the
batch path is tested against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import chain, repeat
from zoneinfo import ZoneInfo

import numpy as np

from noc.errors import ConfigError
from noc.model.policy import MaintenanceTreatment
from sla import batch
from sla.calendar import calendar
from sla.catalog import CatalogObject, CatalogService, SlaCatalog
from sla.figures import Figure, measure
from sla.history import History, Window
from sla.intervals import I64, IntervalSet, at_least, from_us, to_us
from sla.leaves import Leaf, Leaves
from sla.recurrence import expand
from sla.timeline import Timeline, timelines, windows_by_target


@dataclass
class Node:
    """An object's sets over the evaluated period: ``down`` (not up, planned or not),
    ``planned`` (maintenance), ``cal`` (the time its policy counts), ``causes`` (unplanned
    down time per root cause), ``no_data`` (unknown state)."""

    ref: str
    name: str
    treatment: MaintenanceTreatment
    down: IntervalSet
    planned: IntervalSet
    cal: IntervalSet
    no_data: IntervalSet = field(default_factory=IntervalSet.empty)
    causes: dict[str, IntervalSet] = field(default_factory=dict)


_Make = Callable[[str], Node]


class _Nodes(Mapping[str, Node]):
    """Every object's node in evaluation order; a leaf's is sliced out of the batch on demand."""

    def __init__(self, order: list[str], built: dict[str, Node], make: _Make) -> None:
        self._order, self._built, self._make = order, built, make

    def __getitem__(self, ref: str) -> Node:
        node = self._built.get(ref)
        if node is None:
            node = self._make(ref)
            self._built[ref] = node
        return node

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class Evaluation:
    """Every object's sets over ``[lo, hi)``; figures for any sub-period come from clipping.

    Devices and links go through :mod:`sla.leaves` all at once (``per_object=False``, the
    default); ``per_object=True`` builds each one's timeline on its own, the reference path the
    batch path is tested against.
    """

    def __init__(
        self, catalog: SlaCatalog, history: History, lo: int, hi: int, *, per_object: bool = False
    ) -> None:
        self.catalog = catalog
        self.lo, self.hi = lo, hi
        self._cals: dict[tuple[str | None, str | None], IntervalSet] = {}
        self.batch: Leaves | None = None
        self._uncatalogued: set[str] = set()
        built: dict[str, Node] = {}
        if per_object:
            windows = expand(history.windows, self._zone_of, lo, hi)
            self._windows = windows_by_target(windows, lo, hi)
            self._timelines = timelines(history.changes, lo, hi)
            for obj in catalog.objects:
                built[obj.ref] = self._leaf(obj.ref, obj.name, obj.site, obj.sites, obj.policy)
            order = list(built)
        else:
            order = self._batch_leaves(history)
        self._built = built
        self._listed: set[str] = set()
        self._order = order
        self.nodes: Mapping[str, Node] = _Nodes(order, built, self._batch_node)
        self._fails = self._batch_fails()
        for svc in catalog.services:
            self._service(svc, ())

    def _batch_leaves(self, history: History) -> list[str]:
        """Every device and link at once (:class:`Leaves`: the catalog's objects, then the
        components no catalog entry lists); services and sites keep their own windows here.
        Returns the order of the catalog's objects."""
        catalog, lo, hi = self.catalog, self.lo, self.hi
        wc = history.window_columns()
        occurrences = expand(wc.recurring, self._zone_of, lo, hi)
        own = {s.ref for s in catalog.services}
        mine = [i for i, t in enumerate(wc.targets) if t in own]
        rows: list[int] = np.flatnonzero(np.isin(wc.target, mine)).tolist() if mine else []
        self._windows = windows_by_target(
            [Window(0, wc.targets[wc.target[i]], int(wc.start[i]), int(wc.end[i]))
             for i in rows] + [w for w in occurrences if w.target in own],
            lo, hi,
        )  # fmt: skip
        leaves, refs = self._leaves()
        self._uncatalogued = set(refs[len(catalog.objects) :])
        # One calendar per (policy, site), not per leaf: a city has a handful.
        policies: dict[str | None, int] = {}
        sites: dict[str | None, int] = {}
        width = len(leaves) + 1
        pair = _codes([x.policy for x in leaves], policies) * width
        pair += _codes([x.site for x in leaves], sites)
        kind, which = np.unique(pair, return_inverse=True)
        names, places = list(policies), list(sites)
        cals = [self._cal(names[int(c) // width], places[int(c) % width]) for c in kind]
        cols = history.columns()
        self.batch = Leaves(
            leaves, cols, wc, occurrences, lo, hi,
            [c[0] for c in cals], [c[1] for c in cals], which.reshape(-1).astype(np.int64),
            refs=refs, group_leaf=_group_leaf(refs, cols.refs),
        )  # fmt: skip
        return [o.ref for o in catalog.objects]

    def _zone_of(self, target: str) -> ZoneInfo:
        """The time zone a window on ``target`` recurs in: its site's, else the city's."""
        kind, _, ident = target.partition(":")
        site = ident if kind == "site" else self._site_of.get(target)
        return ZoneInfo(self.catalog.timezone_of(site))

    @cached_property
    def _site_of(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for o in self.catalog.objects:
            out.setdefault(o.ref, o.site if o.site or not o.sites else o.sites[0])
        for s in self.catalog.services:
            out.setdefault(s.ref, s.site)
        return out

    def _leaves(self) -> tuple[list[Leaf | CatalogObject], list[str]]:
        """The catalog's objects, then components no catalog entry describes; and their refs."""
        objects = self.catalog.objects
        refs = [o.ref for o in objects]
        known = set(refs).union(s.ref for s in self.catalog.services)
        wanted = dict.fromkeys(chain.from_iterable(s.components for s in self.catalog.services))
        extra = [c for c in wanted if c not in known] if wanted.keys() - known else []
        out: list[Leaf | CatalogObject] = list(objects)
        out += [Leaf(c, c, None, (), "default", uncatalogued=True) for c in extra]
        return out, refs + extra

    def _batch_node(self, ref: str) -> Node:
        b = self.batch
        if b is None or ref not in b.index:
            raise KeyError(ref)
        down, planned, cal, no_data = b.sets(ref)
        leaf = b.leaves[b.index[ref]]
        treatment = self._cal(leaf.policy, leaf.site)[1]
        causes = b.cause_sets(ref, planned)
        return Node(ref, leaf.name, treatment, down, planned, cal, no_data, causes)

    def _cal(
        self, policy_name: str | None, site: str | None
    ) -> tuple[IntervalSet, MaintenanceTreatment]:
        policy = self.catalog.policy(policy_name)
        tz_name = self.catalog.timezone_of(site)
        key = (policy_name, tz_name)
        if key not in self._cals:
            tz = ZoneInfo(tz_name)
            self._cals[key] = calendar(policy.business_hours, tz, self.lo, self.hi)
        return self._cals[key], policy.maintenance

    def _leaf(
        self, ref: str, name: str, site: str | None, sites: tuple[str, ...], policy: str
    ) -> Node:
        # No state change at all: nothing is known, so the whole period is "no data".
        tl = self._timelines.get(ref) or Timeline(no_data=IntervalSet.span(self.lo, self.hi))
        planned = [self._windows.get(ref, IntervalSet.empty()), tl.maintenance]
        for s in {site, *sites} - {None}:
            planned.append(self._windows.get(f"site:{s}", IntervalSet.empty()))
        plan = IntervalSet.empty().union(*planned)
        cal, treatment = self._cal(policy, site)
        causes = {k: v.difference(plan) for k, v in tl.causes.items()}
        return Node(
            ref, name, treatment, tl.down.union(tl.maintenance), plan, cal, tl.no_data, causes
        )

    def _service(self, svc: CatalogService, path: tuple[str, ...]) -> Node:
        if svc.ref in self._built:
            return self._built[svc.ref]
        if svc.ref in path:
            raise ConfigError(f"service {svc.ref} contains itself through {' -> '.join(path)}")
        k = len(svc.components) - svc.needed() + 1
        pre = self._fails.get(svc.ref)
        if pre is not None and self._built.keys().isdisjoint(svc.components):
            # Every component a batch leaf, none built on its own: listed as _part lists them.
            for c in svc.components if not self._uncatalogued.isdisjoint(svc.components) else ():
                if c in self._uncatalogued and c not in self._listed:
                    self._listed.add(c)
                    self._order.append(c)
            fails_unplanned, fails_any = pre
        else:
            parts = [self._part(c, (*path, svc.ref)) for c in svc.components]
            fails_unplanned = at_least([p[1] for p in parts], k)
            fails_any = at_least([p[0] for p in parts], k)
        own = self._windows.get(svc.ref, IntervalSet.empty())
        planned = own.union(fails_any.difference(fails_unplanned))
        cal, treatment = self._cal(svc.policy, svc.site)
        causes: dict[str, IntervalSet] = {}
        effective = fails_unplanned.difference(planned)
        for ref in svc.components if not effective.is_empty() else ():
            for root, when in self.nodes[ref].causes.items():
                hit = when.intersection(effective)
                if not hit.is_empty():
                    causes[root] = causes.get(root, IntervalSet.empty()).union(hit)
        node = Node(svc.ref, svc.name, treatment, fails_any, planned, cal, causes=causes)
        self._built[svc.ref] = node
        self._order.append(svc.ref)
        return node

    def _batch_fails(self) -> dict[str, tuple[IntervalSet, IntervalSet]]:
        """``(fails unplanned, fails at all)`` of every service whose components are all batch
        leaves, all at once (:meth:`Leaves.fails`)."""
        b = self.batch
        services = self.catalog.services
        if b is None or not services:
            return {}
        comps = [c for svc in services for c in svc.components]
        keys = np.fromiter(map(b.index.get, comps, repeat(-1)), np.int64, len(comps))
        sizes = [len(svc.components) for svc in services]
        refs, groups = [], []
        for svc, mine in zip(services, np.split(keys, np.cumsum(sizes)[:-1]), strict=True):
            k = len(svc.components) - svc.needed() + 1
            if k >= 1 and bool((mine >= 0).all()):
                refs.append(svc.ref)
                groups.append((mine, k))
        return dict(zip(refs, b.fails(groups), strict=True))

    def _part(self, ref: str, path: tuple[str, ...]) -> tuple[IntervalSet, IntervalSet]:
        """``(down, unplanned down)`` of a component; a batch leaf's is sliced, not built."""
        b = self.batch
        if b is not None and ref in b.index and ref not in self._built:
            if ref in self._uncatalogued and ref not in self._listed:
                self._listed.add(ref)
                self._order.append(ref)
            return b.part(ref)
        node = self._component(ref, path)
        return node.down, node.down.difference(node.planned)

    def _component(self, ref: str, path: tuple[str, ...]) -> Node:
        if ref in self._built:
            return self._built[ref]
        svc = self.catalog.service(ref)
        if svc is not None:
            return self._service(svc, path)
        if self.batch is not None and ref in self.batch.index:
            if ref in self._uncatalogued and ref not in self._listed:
                self._listed.add(ref)
                self._order.append(ref)
            return self.nodes[ref]
        # A component the catalog does not list: only its state changes speak for it.
        node = self._leaf(ref, ref, None, (), "default")
        self._built[ref] = node
        self._order.append(ref)
        return node

    def figure(self, ref: str, lo: int | None = None, hi: int | None = None) -> Figure:
        """The figure of ``ref`` over ``[lo, hi)`` (inside the evaluated period)."""
        a = self.lo if lo is None else max(lo, self.lo)
        b = self.hi if hi is None else min(hi, self.hi)
        if self.batch is not None and (a, b) == (self.lo, self.hi) and ref in self.batch.index:
            return self._batch_figure(ref)
        node = self.nodes[ref]
        cal, down, plan = node.cal.clip(a, b), node.down.clip(a, b), node.planned.clip(a, b)
        downtime, counted, maint, outages = measure(down, plan, cal, node.treatment)
        causes = {k: v.intersection(cal).clip(a, b).total() for k, v in sorted(node.causes.items())}
        return Figure(
            ref=ref,
            name=node.name,
            start=from_us(a),
            end=from_us(max(a, b)),
            downtime_us=downtime,
            counted_us=counted,
            maintenance_us=maint,
            no_data_us=node.no_data.intersection(cal).clip(a, b).total(),
            outages=outages,
            causes={k: v for k, v in causes.items() if v},
        )

    def _batch_figure(self, ref: str) -> Figure:
        b = self.batch
        assert b is not None
        k = b.index[ref]
        return Figure(
            ref=ref,
            name=b.leaves[k].name,
            start=from_us(self.lo),
            end=from_us(max(self.lo, self.hi)),
            downtime_us=int(b.downtime[k]),
            counted_us=int(b.counted[k]),
            maintenance_us=int(b.maintenance[k]),
            no_data_us=int(b.no_data_us[k]),
            outages=int(b.outages[k]),
            causes=b.causes_of(k),
        )

    def figures(self) -> dict[str, Figure]:
        """The figure of every object over the whole period, in evaluation order: the batch
        leaves' straight from the batch's arrays, all at once (equal to :meth:`figure`'s)."""
        b = self.batch
        if b is None:
            return {ref: self.figure(ref) for ref in self.nodes}
        n = len(self.catalog.objects)
        if len(b.index) != b.n:  # a ref listed twice: one figure each, by name
            return {ref: self.figure(ref) for ref in self.nodes}
        refs = self._order[:n]
        own = b.own_total[:n].tolist()
        causes = [{r: t} if t else {} for r, t in zip(refs, own, strict=True)]
        for k in b.other_causes:
            if k < n:
                causes[k] = b.causes_of(k)
        made = Figure.trusted_many(
            refs,
            [o.name for o in self.catalog.objects],
            from_us(self.lo),
            from_us(max(self.lo, self.hi)),
            [
                x[:n].tolist()
                for x in (b.downtime, b.counted, b.maintenance, b.no_data_us, b.outages)
            ],
            causes,
        )
        out = dict(zip(refs, made, strict=True))
        for ref in self._order[n:]:
            out[ref] = self.figure(ref)
        return out

    @cached_property
    def totals(self) -> dict[str, tuple[int, int]]:
        """``ref -> (downtime, counted)`` of every object at once (the fast path, sla.batch)."""
        refs = list(self.nodes)
        down, plan, cal = [], [], []
        for i, ref in enumerate(refs):
            n = self.nodes[ref]
            down += [(i, s, e) for s, e in n.down]
            plan += [(i, s, e) for s, e in n.planned]
            cal += [(i, s, e) for s, e in n.cal]
        t = batch.totals(
            len(refs),
            self.lo,
            self.hi,
            batch.Keyed.of(down),
            batch.Keyed.of(plan),
            [self.nodes[r].treatment for r in refs],
            batch.Keyed.of(cal),
        )
        return {r: (int(t.downtime[i]), int(t.counted[i])) for i, r in enumerate(refs)}


def _group_leaf(refs: Sequence[str], groups: Sequence[str]) -> I64 | None:
    """The leaf (position in ``refs``) of each of the columns' groups, -1 for objects that
    are not leaves; None when a ref is listed twice (the batch then finds them itself)."""
    pos = dict(zip(refs, range(len(refs)), strict=True))
    if len(pos) != len(refs):
        return None
    return np.fromiter(map(pos.get, groups, repeat(-1)), np.int64, len(groups))


def _codes(values: Sequence[str | None], vocab: dict[str | None, int]) -> I64:
    for v in dict.fromkeys(values):
        vocab.setdefault(v, len(vocab))
    return np.fromiter(map(vocab.__getitem__, values), np.int64, len(values))


def evaluate(
    catalog: SlaCatalog,
    history: History,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    per_object: bool = False,
) -> Evaluation:
    """Evaluate every object over ``[start, min(end, now))``."""
    lo = to_us(start)
    hi = max(lo, min(to_us(end), to_us(now)))
    return Evaluation(catalog, history, lo, hi, per_object=per_object)


def figures(
    catalog: SlaCatalog, history: History, start: datetime, end: datetime, now: datetime
) -> dict[str, Figure]:
    """The figure of every device, link, service and site over the period."""
    return evaluate(catalog, history, start, end, now).figures()
