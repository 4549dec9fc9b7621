"""Topology benchmark: impact queries and the full SPOF report on a 5,000-device city.

    .venv/bin/python bench/topology.py [--quick]

The city: two cores, 100 rings of 20 district switches, access switches (half of them
dual-homed), random chords up to 10,000 links, 200 services, a power chain on the cores.
Targets on this machine: < 50 ms per impact query, < 5 s for the full SPOF report.

Anchors, measured in the same run: the same impact queries with a full search of the graph
(instead of the subtrees below the failures), and the obvious SPOF report, one full
evaluation (power, full search from the data center, sites, services) per element, timed on a
random sample of elements and extrapolated to all of them; each printed with its ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from topology.evaluate import Failures  # noqa: E402
from topology.graph import TopologyGraph  # noqa: E402
from topology.impact import impact  # noqa: E402
from topology.rootcause import classify  # noqa: E402
from topology.spanning import spanning_tree  # noqa: E402
from topology.spof import spof_report  # noqa: E402
from topology.synthetic import synthetic_city  # noqa: E402

IMPACT_TARGET_MS, SPOF_TARGET_S = 50.0, 5.0


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer queries and anchor samples")
    args = parser.parse_args()
    print(f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    queries, sample = (50, 40) if args.quick else (300, 250)
    t = time.perf_counter()
    inv = synthetic_city(
        rings=100, ring_size=20, access=2992, total_links=10_000, services=200, power=True, seed=7
    )
    build_inv = time.perf_counter() - t
    t = time.perf_counter()
    graph = TopologyGraph.from_inventory(inv)
    spanning_tree(graph)  # built once, with the graph (lazily otherwise: on the first query)
    build_graph = time.perf_counter() - t
    print(
        f"city: {graph.n} devices, {len(graph.links)} links, {len(graph.rings)} rings, "
        f"{len(graph.services)} services (inventory {build_inv:.2f} s, graph {build_graph:.3f} s)"
    )
    rnd = random.Random(1)
    cases = [
        Failures(
            frozenset(rnd.sample(range(graph.n), rnd.randint(0, 3))),
            frozenset(rnd.sample(range(len(graph.links)), rnd.randint(1, 3))),
        )
        for _ in range(queries)
    ]
    times = []
    for failures in cases:
        t = time.perf_counter()
        impact(graph, failures)
        times.append((time.perf_counter() - t) * 1000)
    mean, p95 = statistics.mean(times), sorted(times)[int(len(times) * 0.95) - 1]
    print(
        f"impact of a random failure: median {statistics.median(times):.2f} ms, "
        f"mean {mean:.2f} ms, p95 {p95:.2f} ms, "
        f"max {max(times):.2f} ms over {queries} queries; target p95 < {IMPACT_TARGET_MS:.0f} ms: "
        f"{verdict(p95 < IMPACT_TARGET_MS)}"
    )
    t = time.perf_counter()
    for failures in cases:
        impact(graph, failures, full_search=True)
    full = (time.perf_counter() - t) * 1000 / queries
    print(
        f"anchor, the same queries with a full search of the graph: mean {full:.2f} ms "
        f"(the subtree search is {full / mean:.1f}x faster)"
    )
    t = time.perf_counter()
    report = spof_report(graph)
    spof_s = time.perf_counter() - t
    print(
        f"full SPOF report: {spof_s:.2f} s, {len(report.single_points)} single points, "
        f"{len(report.power_single_points)} power single points; target < {SPOF_TARGET_S:.0f} s: "
        f"{verdict(spof_s < SPOF_TARGET_S)}"
    )
    elements = [Failures(devices=frozenset({d})) for d in range(graph.n)]
    elements += [Failures(links=frozenset({li})) for li in range(len(graph.links))]
    picked = rnd.sample(elements, sample)
    t = time.perf_counter()
    for f in picked:
        impact(graph, f, battery=False, full_search=True)
    per = (time.perf_counter() - t) / sample
    anchor = per * len(elements)
    print(
        f"anchor, brute-force SPOF (a full search per element): {per * 1000:.1f} ms x "
        f"{len(elements)} elements = {anchor:.0f} s (timed on {sample}); "
        f"the dominator-tree report is {anchor / spof_s:.0f}x faster"
    )
    answered: list[bool | None] = [True] * graph.n
    for d in rnd.sample(range(graph.n), 50):
        answered[d] = False
    t = time.perf_counter()
    for _ in range(10):
        classify(graph, answered)
    print(f"root-cause classification of the whole city: {(time.perf_counter() - t) * 100:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
