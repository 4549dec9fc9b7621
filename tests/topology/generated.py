"""Hypothesis strategies for random small cities: trees, meshes and rings, with services."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import strategies as st

from noc.model import Inventory


def _build(
    n: int,
    edges: list[tuple[int, int]],
    ring_len: int,
    unlinked: list[int],
    services: list[tuple[list[int], str, int]],
    power: bool,
) -> Inventory:
    devices: list[dict[str, Any]] = []
    sites = [{"id": "dc", "name": "DC", "kind": "data_center"}]
    for i in range(n):
        site = "dc" if i < 2 else f"s{i // 2}"  # two devices a site: cut off needs both
        if site != "dc" and all(s["id"] != site for s in sites):
            sites.append({"id": site, "name": site, "kind": "agency" if i % 3 else "district"})
        role = "core_switch" if i < 2 else "access_switch"
        devices.append({"id": f"d{i}", "site": site, "role": role, "address": f"10.0.0.{i + 1}"})
    links: list[dict[str, Any]] = []
    port = [0] * n

    def add(a: int, b: int, ring: str | None = None) -> None:
        port[a] += 1
        port[b] += 1
        links.append(
            {
                "id": f"l{len(links)}",
                "a": f"d{a}:p{port[a]}",
                "b": f"d{b}:p{port[b]}",
                "kind": "backbone",
                "capacity_bps": "10G",
                "media": "single_mode_fiber",
                **({"ring": ring} if ring else {}),
            }
        )

    if ring_len >= 1 and n >= 2 + ring_len:
        chain = [0, *range(2, 2 + ring_len), 1]
        for a, b in pairwise(chain):
            add(a, b, "R1")
        add(1, 0, "R1")
    for a, b in edges:
        if a != b and a not in unlinked and b not in unlinked:
            add(a, b)
    for i, d in enumerate(devices):
        if i in unlinked and i >= 2:
            d["depends_on"] = [f"d{j}" for j in sorted({i - 1, i // 2}) if j != i]
    inv: dict[str, Any] = {
        "version": 1,
        "city": "gen",
        "sites": sites,
        "devices": devices,
        "links": links,
    }
    if power and n >= 4:
        devices.append({"id": "ups-1", "site": "dc", "role": "ups", "address": "10.0.1.1"})
        devices.append({"id": "ups-2", "site": "dc", "role": "ups", "address": "10.0.1.2"})
        devices.append({"id": "pdu-1", "site": "dc", "role": "pdu", "address": "10.0.1.3"})
        inv["power"] = {
            "sources": [{"id": "pln", "name": "PLN", "site": "dc"}],
            "feeds": [
                {"from": "pln", "to": "ups-1"},
                {"from": "pln", "to": "ups-2"},
                {"from": "ups-1", "to": "pdu-1"},
                {"from": "pdu-1", "to": "d0"},
                {"from": "ups-2", "to": "d0"},
                {"from": "ups-2", "to": "d1"},
                {"from": "pdu-1", "to": "d2"},
            ],
        }
    svc = []
    for k, (comps, rule, nn) in enumerate(services):
        ids = sorted({c % n for c in comps})
        entry: dict[str, Any] = {
            "id": f"svc{k}",
            "name": f"svc{k}",
            "owner": f"agency{k % 2}",
            "components": [f"device:d{c}" for c in ids] + ([f"service:svc{k - 1}"] if k else []),
            "rule": rule,
        }
        if rule == "n_of_m":
            entry["n"] = 1 + nn % len(entry["components"])
        svc.append(entry)
    if links:
        svc.append({"id": "uplink", "name": "uplink", "components": ["link:l0"], "rule": "all"})
    inv["services"] = svc
    return Inventory.model_validate(inv)


@st.composite
def cities(draw: st.DrawFn, max_devices: int = 11) -> Inventory:
    n = draw(st.integers(3, max_devices))
    shape = draw(st.sampled_from(["tree", "mesh", "ring"]))
    edges = [(i, draw(st.integers(0, i - 1))) for i in range(2, n)]  # a spanning tree
    if shape == "mesh":
        pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
        edges += draw(st.lists(pairs, max_size=n))
    ring_len = draw(st.integers(2, max(2, n - 2))) if shape == "ring" else 0
    if shape == "ring":
        edges = [e for e in edges if draw(st.booleans())]  # some devices hang off nothing
    unlinked = draw(st.lists(st.integers(2, n - 1), max_size=2, unique=True))
    unlinked = [u for u in unlinked if u >= 2 + ring_len]
    services = draw(
        st.lists(
            st.tuples(
                st.lists(st.integers(0, n - 1), min_size=1, max_size=3),
                st.sampled_from(["all", "any", "n_of_m"]),
                st.integers(0, 5),
            ),
            max_size=3,
        )
    )
    return _build(n, edges, ring_len, unlinked, services, draw(st.booleans()))
