"""Impact of a set of failures: sites, agencies and services cut off or degraded, ring states."""

from __future__ import annotations

from noc.model import ObjectKind, ObjectRef, SiteKind
from topology.elements import names
from topology.evaluate import Evaluation, Failures, evaluate
from topology.graph import TopologyGraph
from topology.models import Impact, ServiceImpact, ServiceStatus, SiteImpact
from topology.rings import ring_states
from topology.services import ServiceEvaluator

_AGENCY_KINDS = frozenset(k.value for k in (SiteKind.agency, SiteKind.hospital, SiteKind.clinic))


def impact(
    graph: TopologyGraph, failures: Failures, *, battery: bool = True, full_search: bool = False
) -> Impact:
    """What ``failures`` cut off and degrade; ``after_battery`` when UPSs are on battery."""
    ev = evaluate(graph, failures, battery=battery, full_search=full_search)
    report = summarize(graph, failures, ev)
    if battery and ev.on_battery:
        later = evaluate(graph, failures, battery=False, full_search=full_search)
        lost = [graph.devices[d] for d in range(graph.n) if ev.working[d] and not later.working[d]]
        report = report.model_copy(
            update={
                "devices_on_battery": lost,
                "after_battery": summarize(graph, failures, later),
            }
        )
    return report


def summarize(graph: TopologyGraph, failures: Failures, ev: Evaluation) -> Impact:
    reachable = ev.reachable
    cut: list[SiteImpact] = []
    degraded: list[SiteImpact] = []
    unreachable = [d for d, r in enumerate(reachable) if not r]
    hit = {graph.site_of[d] for d in unreachable}
    for site in graph.sites:
        if site.id not in hit:
            continue
        members = graph.site_devices[site.id]
        lost = [graph.devices[d] for d in members if not reachable[d]]
        entry = SiteImpact(
            site=site.id, name=site.name, kind=site.kind.value, devices_unreachable=lost
        )
        (cut if len(lost) == len(members) else degraded).append(entry)
    services = service_statuses(graph, ev)
    down = [s for s in services if s.status is ServiceStatus.down]
    worse = [s for s in services if s.status is ServiceStatus.degraded]
    agencies = {s.owner for s in down + worse if s.owner}
    agencies |= {s.name for s in cut + degraded if s.kind in _AGENCY_KINDS}
    device_down = [not w for w in ev.working]

    def segment_down(li: int) -> bool:
        return not ev.link_alive(li)

    return Impact(
        failed=names(graph, failures),
        devices_unpowered=[graph.devices[d] for d in ev.unpowered],
        ups_on_battery=[graph.devices[d] for d in ev.on_battery],
        devices_unreachable=[graph.devices[d] for d in unreachable if ev.working[d]],
        sites_cut_off=cut,
        sites_degraded=degraded,
        services_down=down,
        services_degraded=worse,
        agencies=sorted(agencies),
        rings=ring_states(graph, segment_down, device_down, reachable),
    )


def service_statuses(graph: TopologyGraph, ev: Evaluation) -> list[ServiceImpact]:
    """Every service that is not fully up, in inventory order."""

    def up(ref: ObjectRef) -> bool:
        if ref.kind is ObjectKind.device:
            d = graph.index.get(ref.id)
            return d is not None and ev.reachable[d]
        li = graph.link_index.get(ref.id)
        if li is None:
            return False
        a, b = graph.link_ends[li]
        return ev.link_alive(li) and ev.reachable[a] and ev.reachable[b]

    evaluator = ServiceEvaluator(graph.services, up)
    out: list[ServiceImpact] = []
    for s in graph.services:
        status, bad = evaluator.status(s.id)
        if status is not ServiceStatus.up:
            out.append(
                ServiceImpact(
                    service=s.id, name=s.name, owner=s.owner, status=status, components_down=bad
                )
            )
    return out
