"""Ring state: intact, degraded (redundancy lost, every site reachable) or split (sites cut off)."""

from __future__ import annotations

from collections.abc import Callable

from topology.graph import Ring, TopologyGraph
from topology.models import RingState, RingStatus


def ring_state(
    graph: TopologyGraph,
    ring: Ring,
    segment_down: Callable[[int], bool],
    device_down: list[bool],
    reachable: list[bool],
) -> RingState:
    """The state of ``ring`` given which links and devices are down and what is reachable.

    A segment is listed when its link is down while both ends work (a device that is down is
    listed as a device). The ring is split when one of its sites has no reachable device left.
    """
    ends = graph.link_ends
    segs = [
        graph.links[s]
        for s in ring.segments
        if segment_down(s) and not (device_down[ends[s][0]] or device_down[ends[s][1]])
    ]
    devs = [graph.devices[d] for d in ring.devices if device_down[d]]
    seen = {graph.site_of[d] for d in ring.devices if reachable[d]}
    cut = [site for site in ring.sites if site not in seen]
    broken = ", ".join(segs + devs)
    if cut:
        status = RingStatus.split
        message = f"ring {ring.id} split: {', '.join(cut)} cut off ({broken} down)"
    elif segs or devs:
        status = RingStatus.degraded
        noun = "segment " if len(segs) == 1 and not devs else ""
        message = f"ring {ring.id} lost redundancy: {noun}{broken} down"
    else:
        status = RingStatus.intact
        message = f"ring {ring.id} intact"
    return RingState(
        ring=ring.id,
        status=status,
        segments_down=segs,
        devices_down=devs,
        sites_cut_off=cut,
        message=message,
    )


def ring_states(
    graph: TopologyGraph,
    segment_down: Callable[[int], bool],
    device_down: list[bool],
    reachable: list[bool],
) -> list[RingState]:
    return [ring_state(graph, r, segment_down, device_down, reachable) for r in graph.rings]
