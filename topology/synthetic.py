"""Generated cities for tests and benchmarks: two cores, rings of districts, access switches.

``synthetic_city(rings=100, ring_size=20, access=2998, chords=1900)`` is the benchmark's city
(5,000 devices, 10,000 links, 100 rings). Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from typing import Any

from noc.model import Inventory


def _addr(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def synthetic_city(
    *,
    rings: int = 4,
    ring_size: int = 4,
    access: int = 8,
    dual_homed: float = 0.5,
    chords: int = 0,
    total_links: int | None = None,
    services: int = 10,
    power: bool = False,
    seed: int = 0,
) -> Inventory:
    """A city; ``total_links`` adds random chords until there are that many links."""
    rnd = random.Random(seed)  # noqa: S311  (test data, not security)
    sites: list[dict[str, Any]] = [{"id": "dc", "name": "Data center", "kind": "data_center"}]
    devices: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    ports: dict[str, int] = {}

    def device(ident: str, site: str, role: str, **extra: Any) -> str:
        devices.append(
            {"id": ident, "site": site, "role": role, "address": _addr(len(devices) + 1), **extra}
        )
        return ident

    def link(a: str, b: str, kind: str, ring: str | None = None) -> str:
        ports[a] = ports.get(a, 0) + 1
        ports[b] = ports.get(b, 0) + 1
        ident = f"l{len(links)}"
        links.append(
            {
                "id": ident,
                "a": f"{a}:p{ports[a]}",
                "b": f"{b}:p{ports[b]}",
                "kind": kind,
                "capacity_bps": "10G" if kind == "backbone" else "1G",
                "media": "single_mode_fiber",
                **({"ring": ring} if ring else {}),
            }
        )
        return ident

    core1 = device("core-1", "dc", "core_switch")
    core2 = device("core-2", "dc", "core_switch")
    link(core1, core2, "backbone")
    dists: list[str] = []
    for r in range(rings):
        ring = f"R{r + 1}"
        prev = core1
        for k in range(ring_size):
            site = f"d{r + 1}-{k + 1}"
            sites.append({"id": site, "name": f"District {site}", "kind": "district"})
            dist = device(f"dist-{site}", site, "distribution_switch")
            link(prev, dist, "backbone", ring)
            dists.append(dist)
            prev = dist
        link(prev, core2, "backbone", ring)
        link(core2, core1, "backbone", ring)
    accs: list[str] = []
    for a in range(access):
        site = f"a{a + 1}"
        sites.append({"id": site, "name": f"Agency {site}", "kind": "agency"})
        acc = device(f"acc-{site}", site, "access_switch")
        parents = rnd.sample(dists, 2) if dists else [core1, core2]
        link(acc, parents[0], "access")
        if rnd.random() < dual_homed:
            link(acc, parents[1], "access")
        accs.append(acc)
    pool = dists + accs
    for _ in range(chords if len(pool) > 1 else 0):
        x, y = rnd.sample(pool, 2)
        link(x, y, "distribution")
    while total_links is not None and len(links) < total_links and len(pool) > 1:
        x, y = rnd.sample(pool, 2)
        link(x, y, "distribution")
    svc: list[dict[str, Any]] = []
    for s in range(services if pool else 0):
        comps = [f"device:{d}" for d in rnd.sample(pool, min(len(pool), rnd.randint(1, 4)))]
        rule = rnd.choice(["all", "any", "n_of_m"])
        entry: dict[str, Any] = {
            "id": f"svc-{s}",
            "name": f"Service {s}",
            "owner": f"Agency {s % 7}",
        }
        entry |= {"components": comps, "rule": rule}
        if rule == "n_of_m":
            entry["n"] = rnd.randint(1, len(comps))
        svc.append(entry)
    feeds: list[dict[str, str]] = []
    if power:
        for ident, role in [
            ("ats-1", "ats"),
            ("genset-1", "genset"),
            ("ups-a", "ups"),
            ("ups-b", "ups"),
            ("pdu-a", "pdu"),
            ("pdu-b", "pdu"),
        ]:
            device(ident, "dc", role, depends_on=[core1, core2])
        chain = [
            ("pln", "ats-1"),
            ("genset-1", "ats-1"),
            ("ats-1", "ups-a"),
            ("ats-1", "ups-b"),
            ("ups-a", "pdu-a"),
            ("ups-b", "pdu-b"),
            ("pdu-a", core1),
            ("pdu-b", core1),
            ("pdu-a", core2),
            ("pdu-b", core2),
        ]
        feeds = [{"from": a, "to": b} for a, b in chain]
    return Inventory.model_validate(
        {
            "version": 1,
            "city": "Synthetic",
            "sites": sites,
            "devices": devices,
            "links": links,
            "services": svc,
            "power": {
                "sources": [{"id": "pln", "name": "PLN", "site": "dc"}] if power else [],
                "feeds": feeds,
            },
        }
    )
