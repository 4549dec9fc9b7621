"""The issue's ring and core checks on generated cities, plus the wall SVG and layering."""

from __future__ import annotations

import ast
from pathlib import Path
from xml.etree import ElementTree

import pytest

from noc.model import DeviceState
from topology.elements import resolve
from topology.graph import TopologyGraph
from topology.impact import impact
from topology.models import RingStatus
from topology.rootcause import classify
from topology.svg import STATE_COLORS, render_svg
from topology.synthetic import synthetic_city

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> TopologyGraph:
    # single-homed access switches only, no chords: a ring cut is felt exactly where it is
    inv = synthetic_city(rings=6, ring_size=7, access=30, dual_homed=0.0, services=8, seed=3)
    return TopologyGraph.from_inventory(inv)


@pytest.mark.parametrize("ring", [0, 3, 5])
def test_every_single_segment_cut_degrades_and_cuts_off_nothing(
    graph: TopologyGraph, ring: int
) -> None:
    r = graph.rings[ring]
    for seg in r.segments:
        im = impact(graph, resolve(graph, [f"link:{graph.links[seg]}"]))
        state = im.rings[ring]
        assert state.status is RingStatus.degraded, graph.links[seg]
        assert im.sites_cut_off == []
        assert all(o.status is RingStatus.intact for i, o in enumerate(im.rings) if i != ring)


@pytest.mark.parametrize(("i", "j"), [(0, 2), (1, 6), (2, 3), (0, 7)])
def test_two_cuts_split_the_ring_and_name_the_sites_between(
    graph: TopologyGraph, i: int, j: int
) -> None:
    r = graph.rings[1]
    cut = [graph.links[r.segments[i]], graph.links[r.segments[j]]]
    im = impact(graph, resolve(graph, cut))
    between = [graph.site_of[d] for d in r.devices[i + 1 : j + 1]]
    if j == len(r.segments) - 1:  # the closing link core-2 -- core-1 cuts no district off
        between = [graph.site_of[d] for d in r.devices[i + 1 : j]]
        between = [s for s in between if s != "dc"]
    state = im.rings[1]
    assert state.status is (RingStatus.split if between else RingStatus.degraded)
    assert state.sites_cut_off == between


def test_one_core_down_cuts_off_nothing_both_down_cut_off_everything(
    graph: TopologyGraph,
) -> None:
    for core in ("core-1", "core-2"):
        assert impact(graph, resolve(graph, [core])).sites_cut_off == []
    im = impact(graph, resolve(graph, ["core-1", "core-2"]))
    assert len(im.sites_cut_off) == len(graph.sites)
    # live: nothing answers; the cores are down and are the root cause of everything else
    c = classify(graph, [False] * graph.n)
    for d, dev in enumerate(graph.devices):
        if dev in ("core-1", "core-2"):
            assert c.states[d] is DeviceState.down
        else:
            assert (c.states[d], c.roots[d]) == (DeviceState.unreachable, ["core-1", "core-2"])


def test_wall_svg_is_self_contained_and_shows_state(graph: TopologyGraph) -> None:
    states = dict.fromkeys(graph.devices, "up")
    states["core-2"] = "down"
    states[graph.devices[5]] = "unreachable"
    im = impact(graph, resolve(graph, ["core-2"]))
    svg = render_svg(graph, states, [graph.links[3]], im.rings, title="Kota <Uji> & Co")
    root = ElementTree.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    assert "Kota &lt;Uji&gt; &amp; Co" in svg
    assert STATE_COLORS["down"] in svg and STATE_COLORS["unreachable"] in svg
    assert "<image" not in svg and "<script" not in svg and "href" not in svg
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [t.text for t in root.iterfind(".//s:text", ns)]
    assert "core-1" in texts and "R1 · lost redundancy" in texts
    for circle in root.iterfind(".//s:circle", ns):  # everything drawn on the canvas
        assert 0 <= float(circle.get("cx", 0)) <= 1920 and 0 <= float(circle.get("cy", 0)) <= 1080


def test_topology_imports_only_the_kernel() -> None:
    allowed = ("noc.model", "noc.store", "noc.clock", "noc.errors", "noc.settings", "topology")
    for path in sorted((ROOT / "topology").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith(("noc", "collectors", "alerting", "sla")):
                    assert name.startswith(allowed), f"{path.name} imports {name}"
