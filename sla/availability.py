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
"""

from __future__ import annotations

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


class Evaluation:
    """Every object's sets over ``[lo, hi)``; figures for any sub-period come from clipping."""

    def __init__(self, catalog: SlaCatalog, history: History, lo: int, hi: int) -> None:
        self.catalog = catalog
        self.lo, self.hi = lo, hi
        self._timelines = timelines(history.changes, lo, hi)
        self._windows = windows_by_target(history.windows, lo, hi)
        self.nodes: dict[str, Node] = {}
        for obj in catalog.objects:
            self.nodes[obj.ref] = self._leaf(obj.ref, obj.name, obj.site, obj.sites, obj.policy)
        for svc in catalog.services:
            self._service(svc, ())

    def _cal(
        self, policy_name: str | None, site: str | None
    ) -> tuple[IntervalSet, MaintenanceTreatment]:
        policy = self.catalog.policy(policy_name)
        tz = ZoneInfo(self.catalog.timezone_of(site))
        return calendar(policy.business_hours, tz, self.lo, self.hi), policy.maintenance

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
        if svc.ref in self.nodes:
            return self.nodes[svc.ref]
        if svc.ref in path:
            raise ConfigError(f"service {svc.ref} contains itself through {' -> '.join(path)}")
        parts = [self._component(c, (*path, svc.ref)) for c in svc.components]
        k = len(parts) - svc.needed() + 1
        unplanned_parts = [p.down.difference(p.planned) for p in parts]
        fails_unplanned = at_least(unplanned_parts, k)
        fails_any = at_least([p.down for p in parts], k)
        own = self._windows.get(svc.ref, IntervalSet.empty())
        planned = own.union(fails_any.difference(fails_unplanned))
        cal, treatment = self._cal(svc.policy, svc.site)
        causes: dict[str, IntervalSet] = {}
        effective = fails_unplanned.difference(planned)
        for p in parts:
            for root, when in p.causes.items():
                hit = when.intersection(effective)
                if not hit.is_empty():
                    causes[root] = causes.get(root, IntervalSet.empty()).union(hit)
        node = Node(svc.ref, svc.name, treatment, fails_any, planned, cal, causes=causes)
        self.nodes[svc.ref] = node
        return node

    def _component(self, ref: str, path: tuple[str, ...]) -> Node:
        if ref in self.nodes:
            return self.nodes[ref]
        svc = self.catalog.service(ref)
        if svc is not None:
            return self._service(svc, path)
        # A component the catalog does not list: only its state changes speak for it.
        node = self._leaf(ref, ref, None, (), "default")
        self.nodes[ref] = node
        return node

    def figure(self, ref: str, lo: int | None = None, hi: int | None = None) -> Figure:
        """The figure of ``ref`` over ``[lo, hi)`` (inside the evaluated period)."""
        node = self.nodes[ref]
        a = self.lo if lo is None else max(lo, self.lo)
        b = self.hi if hi is None else min(hi, self.hi)
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
    catalog: SlaCatalog, history: History, start: datetime, end: datetime, now: datetime
) -> Evaluation:
    """Evaluate every object over ``[start, min(end, now))``."""
    lo = to_us(start)
    hi = max(lo, min(to_us(end), to_us(now)))
    return Evaluation(catalog, history, lo, hi)


def figures(
    catalog: SlaCatalog, history: History, start: datetime, end: datetime, now: datetime
) -> dict[str, Figure]:
    """The figure of every device, link, service and site over the period."""
    ev = evaluate(catalog, history, start, end, now)
    return {ref: ev.figure(ref) for ref in ev.nodes}
