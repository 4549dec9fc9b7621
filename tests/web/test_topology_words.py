"""The topology picture speaks the wall's language: legend, ring labels and ring messages."""

from __future__ import annotations

from pathlib import Path

from noc.inventory import load_inventory
from noc.web.topology_words import svg_words
from topology.graph import TopologyGraph
from topology.models import RingState, RingStatus
from topology.svg import render_svg

REPO = Path(__file__).resolve().parents[2]


def _picture(lang: str | None) -> str:
    graph = TopologyGraph.from_inventory(load_inventory(REPO / "inventory.yaml"))
    states = {d: "up" for d in graph.devices}
    states["dist-r1-2"] = "down"
    rings = [
        RingState(
            ring="R1",
            status=RingStatus.degraded,
            segments_down=["r1-2"],
            devices_down=[],
            sites_cut_off=[],
            message="ring R1 lost redundancy: segment r1-2 down",
        )
    ]
    if lang is None:
        return render_svg(graph, states, ["r1-2"], rings, title="Kota")
    return render_svg(graph, states, ["r1-2"], rings, title="Kota", words=svg_words(lang))


def test_indonesian_picture_has_no_english_state_words() -> None:
    svg = _picture("id")
    assert "ring R1 kehilangan redundansi: segmen r1-2 mati" in svg
    assert ">tak terjangkau</text>" in svg and ">pemeliharaan</text>" in svg
    assert "R1 · redundansi hilang" in svg
    for english in (">unreachable</text>", ">maintenance</text>", "lost redundancy", "· degraded"):
        assert english not in svg


def test_english_is_the_default_and_matches_the_catalog() -> None:
    assert _picture(None) == _picture("en")
    assert "ring R1 lost redundancy: segment r1-2 down" in _picture("en")
