"""Naming failed elements: ``device:ID``, ``link:ID``, ``source:ID`` or a bare id."""

from __future__ import annotations

from collections.abc import Iterable

from noc.errors import NocError
from topology.evaluate import Failures
from topology.graph import TopologyGraph


class UnknownElementError(NocError):
    """A what-if or impact query named something that is not in the inventory."""


def resolve(graph: TopologyGraph, names: Iterable[str]) -> Failures:
    """Turn element names into a failure set; a bare id is a device, then a link, then a source."""
    devices: set[int] = set()
    links: set[int] = set()
    sources: set[int] = set()
    for raw in names:
        name = raw.strip()
        kind, sep, ident = name.partition(":")
        if sep and kind in ("device", "link", "source") and ident:
            candidates = [(kind, ident)]
        else:
            candidates = [("device", name), ("link", name), ("source", name)]
        for k, i in candidates:
            if k == "device" and i in graph.index:
                devices.add(graph.index[i])
                break
            if k == "link" and i in graph.link_index:
                links.add(graph.link_index[i])
                break
            if k == "source" and i in graph.source_index:
                sources.add(graph.source_index[i])
                break
        else:
            raise UnknownElementError(
                f"{name!r} is not a device, link or power source of the inventory",
                hint="name it as device:ID, link:ID or source:ID",
            )
    return Failures(frozenset(devices), frozenset(links), frozenset(sources))


def names(graph: TopologyGraph, failures: Failures) -> list[str]:
    """The failure set written back as element names, sorted."""
    return sorted(
        [f"device:{graph.devices[d]}" for d in failures.devices]
        + [f"link:{graph.links[li]}" for li in failures.links]
        + [f"source:{graph.sources[s]}" for s in failures.sources]
    )
