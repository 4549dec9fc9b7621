"""Rings: the links that share a ring id must join their devices into one simple cycle."""

from __future__ import annotations

from collections import Counter

from noc.inventory.partial import Ghosts
from noc.inventory.problems import Finding
from noc.model.inventory import Inventory


def check_rings(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    members: dict[str, list[int]] = {}
    for i, link in enumerate(inv.links):
        if link.ring is not None:
            members.setdefault(link.ring, []).append(i)
    for ring, indices in members.items():
        if ring in ghosts.rings:
            continue  # one of its links has errors of its own
        problem = _not_a_cycle(inv, indices)
        if problem is not None:
            index, why = problem
            msg = f"ring {ring!r} is not a single cycle: {why}"
            out.append(Finding(("links", index, "ring"), msg))
    return out


def _not_a_cycle(inv: Inventory, indices: list[int]) -> tuple[int, str] | None:
    """(link index to point at, reason), or None when the links form one simple cycle."""
    links = [inv.links[i] for i in indices]
    for i, link in zip(indices, links, strict=True):
        if link.a.device == link.b.device:
            return i, f"link {link.id!r} joins device {link.a.device!r} to itself"
    degree: Counter[str] = Counter()
    for link in links:
        degree.update(link.devices)
    if len(degree) < 3:
        return indices[0], f"it joins {len(degree)} devices; a ring needs at least 3"
    for device, count in degree.items():
        if count != 2:
            at = next(i for i, k in zip(indices, links, strict=True) if device in k.devices)
            links_word = "ring link" if count == 1 else "ring links"
            return at, f"device {device!r} has {count} {links_word} (each needs exactly 2)"
    adjacent: dict[str, set[str]] = {d: set() for d in degree}
    for link in links:
        a, b = link.devices
        adjacent[a].add(b)
        adjacent[b].add(a)
    start = next(iter(adjacent))
    reached, todo = {start}, [start]
    while todo:
        for nxt in adjacent[todo.pop()] - reached:
            reached.add(nxt)
            todo.append(nxt)
    if reached != set(adjacent):
        lost = next(i for i, k in zip(indices, links, strict=True) if k.a.device not in reached)
        return lost, "its links form more than one separate loop"
    return None
