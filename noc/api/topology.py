"""Topology API: single points of failure, what-if, ring state, impact now, and the wall SVG.

Mounted under ``/api/v1``: every route is ``/api/v1/topology/...`` and needs a login. The wall
SVG is open to every role (the wall shows it); the rest to the roles that read the network.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from noc.api.auth import RuntimeDep, current_user
from noc.api.policy import EVERYONE, READERS, allow
from noc.model import Neighbor, ObjectKind, ObjectRef
from noc.runtime import Runtime
from noc.web.i18n import pick_language
from noc.web.pages import LANG_COOKIE
from noc.web.topology_words import svg_words
from topology.elements import UnknownElementError, resolve
from topology.graph import TopologyGraph
from topology.impact import impact
from topology.live import LiveTopology
from topology.lldp import reconcile
from topology.models import DeviceStatus, Impact, Reconciliation, RingState, SpofReport
from topology.spof import spof_report
from topology.svg import render_svg

router = APIRouter(prefix="/topology", tags=["topology"], dependencies=[Depends(current_user)])


def _graph(request: Request, runtime: Runtime) -> TopologyGraph:
    """Built once per inventory and kept on the app."""
    cached: TopologyGraph | None = getattr(request.app.state, "topology_graph", None)
    if cached is None or cached.inventory is not runtime.inventory:
        cached = TopologyGraph.from_inventory(runtime.inventory)
        request.app.state.topology_graph = cached
    return cached


def _link_states(runtime: Runtime, graph: TopologyGraph) -> dict[str, str]:
    now = runtime.clock.now()
    out: dict[str, str] = {}
    for link in graph.links:
        rec = runtime.events.state_changes.state_at(ObjectRef(kind=ObjectKind.link, id=link), now)
        if rec is not None:
            out[link] = rec.new
    return out


async def _live(request: Request, runtime: Runtime) -> LiveTopology:
    """The runtime's own live topology when it keeps one (``runtime.topology``, fed by the
    graph tracker), else one rebuilt from the pipeline's device states and recorded links."""
    kept = getattr(runtime, "topology", None)
    if isinstance(kept, LiveTopology):
        return kept
    graph = _graph(request, runtime)
    devices = {} if runtime.pipeline is None else runtime.pipeline.snapshot()
    links = await asyncio.to_thread(_link_states, runtime, graph)
    live = LiveTopology(graph)
    live.load({d: str(s) for d, s in devices.items()}, links)
    return live


@router.get(
    "/spof", dependencies=[allow(READERS)], summary="Single points of failure: network and power"
)
async def get_spof(request: Request, runtime: RuntimeDep) -> SpofReport:
    return await asyncio.to_thread(spof_report, _graph(request, runtime))


@router.get(
    "/whatif",
    dependencies=[allow(READERS)],
    summary="What the failure of the given elements would cut off",
)
async def get_whatif(
    request: Request,
    runtime: RuntimeDep,
    fail: Annotated[list[str], Query(description="device:ID, link:ID, source:ID or an id")],
) -> Impact:
    graph = _graph(request, runtime)
    try:
        failures = resolve(graph, fail)
    except UnknownElementError as err:
        raise HTTPException(status_code=404, detail=str(err)) from None
    return impact(graph, failures)


@router.get(
    "/rings",
    dependencies=[allow(READERS)],
    summary="State of each ring now: intact, degraded or split",
)
async def get_rings(request: Request, runtime: RuntimeDep) -> list[RingState]:
    return (await _live(request, runtime)).rings()


@router.get("/impact", dependencies=[allow(READERS)], summary="What is cut off or degraded now")
async def get_impact(request: Request, runtime: RuntimeDep) -> Impact:
    return (await _live(request, runtime)).impact()


@router.get(
    "/devices",
    dependencies=[allow(READERS)],
    summary="Device states with root causes, seen over the graph",
)
async def get_devices(request: Request, runtime: RuntimeDep) -> list[DeviceStatus]:
    return (await _live(request, runtime)).statuses()


@router.get(
    "/reconcile",
    dependencies=[allow(READERS)],
    summary="Inventory links against the LLDP/CDP neighbors collected",
)
async def get_reconcile(runtime: RuntimeDep) -> Reconciliation:
    """Links seen but not documented, documented but not seen, cabled to another port."""
    return reconcile(runtime.inventory, runtime.observed_neighbors())


@router.post(
    "/reconcile",
    dependencies=[allow(READERS)],
    summary="Inventory links against LLDP/CDP neighbors you send",
)
async def post_reconcile(runtime: RuntimeDep, neighbors: list[Neighbor]) -> Reconciliation:
    return reconcile(runtime.inventory, neighbors)


@router.get(
    "/svg",
    dependencies=[allow(EVERYONE)],
    summary="The topology with live state, as SVG for the wall (1920x1080)",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def get_svg(
    request: Request,
    runtime: RuntimeDep,
    width: Annotated[int, Query(ge=640, le=7680)] = 1920,
    height: Annotated[int, Query(ge=360, le=4320)] = 1080,
    lang: Annotated[Literal["id", "en"] | None, Query(description="default: yours")] = None,
) -> Response:
    chosen = pick_language(
        lang or request.cookies.get(LANG_COOKIE), runtime.inventory.settings.locale
    )
    live = await _live(request, runtime)
    states = {s.device: s.state for s in live.statuses()}
    down = [live.graph.links[li] for li in sorted(live.links_down)]
    svg = render_svg(
        live.graph,
        states,
        down,
        live.rings(),
        title=runtime.inventory.city,
        width=width,
        height=height,
        words=svg_words(chosen),
    )
    return Response(content=svg, media_type="image/svg+xml")
