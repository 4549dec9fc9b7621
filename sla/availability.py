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

Devices and links are computed all at once by :mod:`sla.leaves` (numpy, one axis); the
per-object path (``per_object=True``) is kept as the reference the batch path is tested against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from noc.errors import ConfigError
from noc.model.policy import MaintenanceTreatment
from sla import batch
from sla.calendar import calendar
from sla.catalog import CatalogService, SlaCatalog
from sla.figures import Figure, measure
from sla.history import History
from sla.intervals import IntervalSet, at_least, from_us, to_us
from sla.leaves import Leaf, Leaves
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
        built: dict[str, Node] = {}
        if per_object:
            self._windows = windows_by_target(history.windows, lo, hi)
            self._timelines = timelines(history.changes, lo, hi)
            for obj in catalog.objects:
                built[obj.ref] = self._leaf(obj.ref, obj.name, obj.site, obj.sites, obj.policy)
            order = list(built)
        else:
            # Leaves take their windows in the batch; services and sites keep theirs here.
            own = {s.ref for s in catalog.services}
            self._windows = windows_by_target(
                [w for w in history.windows if w.target in own], lo, hi
            )
            leaves = self._leaves()
            cals = [self._cal(x.policy, x.site) for x in leaves]
            cols = history.columns()
            self.batch = Leaves(
                leaves, history.changes, cols, history.windows, lo, hi,
                [c[0] for c in cals], [c[1] for c in cals],
            )  # fmt: skip
            self._leaf_of = {x.ref: x for x in leaves}
            order = [o.ref for o in catalog.objects]
        self._built = built
        self._listed: set[str] = set()
        self._order = order
        self.nodes: Mapping[str, Node] = _Nodes(order, built, self._batch_node)
        for svc in catalog.services:
            self._service(svc, ())

    def _leaves(self) -> list[Leaf]:
        """The catalog's objects, then components no catalog entry describes."""
        out = [Leaf(o.ref, o.name, o.site, o.sites, o.policy) for o in self.catalog.objects]
        known = {o.ref for o in self.catalog.objects} | {s.ref for s in self.catalog.services}
        for svc in self.catalog.services:
            for c in svc.components:
                if c not in known:
                    known.add(c)
                    out.append(Leaf(c, c, None, (), "default", uncatalogued=True))
        return out

    def _batch_node(self, ref: str) -> Node:
        b = self.batch
        if b is None or ref not in b.index:
            raise KeyError(ref)
        down, planned, cal, no_data = b.sets(ref)
        leaf = self._leaf_of[ref]
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
        parts = [self._part(c, (*path, svc.ref)) for c in svc.components]
        k = len(parts) - svc.needed() + 1
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

    def _part(self, ref: str, path: tuple[str, ...]) -> tuple[IntervalSet, IntervalSet]:
        """``(down, unplanned down)`` of a component; a batch leaf's is sliced, not built."""
        b = self.batch
        if b is not None and ref in b.index and ref not in self._built:
            if self._leaf_of[ref].uncatalogued and ref not in self._listed:
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
            if self._leaf_of[ref].uncatalogued and ref not in self._listed:
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
            name=self._leaf_of[ref].name,
            start=from_us(self.lo),
            end=from_us(max(self.lo, self.hi)),
            downtime_us=int(b.downtime[k]),
            counted_us=int(b.counted[k]),
            maintenance_us=int(b.maintenance[k]),
            no_data_us=int(b.no_data_us[k]),
            outages=int(b.outages[k]),
            causes=b.causes.get(k, {}),
        )

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
    ev = evaluate(catalog, history, start, end, now)
    return {ref: ev.figure(ref) for ref in ev.nodes}
