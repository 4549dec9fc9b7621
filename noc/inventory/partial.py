"""When the schema fails, keep the parts that are valid so every other check still runs.

Invalid items are dropped (and their ids remembered as *ghosts*, so nothing that refers to
them is reported as dangling); the rest is validated again into a partial Inventory.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import ErrorDetails

from noc.inventory.paths import data_path
from noc.inventory.schema import validate
from noc.model.inventory import Inventory

LISTS = ("sites", "devices", "links", "services")
POWER_LISTS = ("sources", "feeds")
MAPS = ("credentials", "policies")
PLACEHOLDERS: dict[str, Any] = {"version": 1, "city": "?"}


@dataclass
class Ghosts:
    """Names of things that exist in the file but were dropped for schema errors."""

    ids: dict[str, set[str]] = field(default_factory=dict)  # section -> ids
    rings: set[str] = field(default_factory=set)
    fed: set[str] = field(default_factory=set)  # targets of dropped power feeds

    def has(self, section: str, ident: str) -> bool:
        return ident in self.ids.get(section, set())

    def add(self, section: str, ident: Any) -> None:
        if isinstance(ident, str):
            self.ids.setdefault(section, set()).add(ident)


@dataclass
class Partial:
    """The valid part of an inventory and how its list indices map back to the file."""

    inventory: Inventory
    index: dict[str, list[int]]  # "devices" / "power.feeds" -> file index of each kept item
    ghosts: Ghosts

    def file_index(self, section: str, index: int) -> int:
        kept = self.index.get(section)
        return kept[index] if kept is not None and 0 <= index < len(kept) else index


def whole(inventory: Inventory) -> Partial:
    """A Partial for an inventory that validated in one piece."""
    return Partial(inventory, {}, Ghosts())


def salvage(data: Any, errors: list[ErrorDetails], rounds: int = 4) -> Partial | None:
    """Drop what the errors point at until the rest validates; None if it never does."""
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    ghosts = Ghosts()
    index: dict[str, list[int]] = {}
    for _ in range(rounds):
        drops: dict[tuple[str, ...], set[int]] = {}
        for err in errors:
            path = data_path(data, err["loc"], missing=False)
            if not _drop(data, path, drops, ghosts):
                return None
        for where, gone in drops.items():
            items = _get(data, where)
            key = ".".join(where)
            kept = index.get(key, list(range(len(items))))
            _remember(key, [items[i] for i in gone], ghosts)
            index[key] = [k for i, k in enumerate(kept) if i not in gone]
            _set(data, where, [x for i, x in enumerate(items) if i not in gone])
        inventory, errors = validate(data)
        if inventory is not None:
            return Partial(inventory, index, ghosts)
    return None


def _drop(
    data: dict[str, Any], path: tuple[Any, ...], drops: dict[tuple[str, ...], set[int]], g: Ghosts
) -> bool:
    """Remove (or mark for removal) what ``path`` points at; False when that cannot be done."""
    if not path:
        return False
    top = path[0]
    if top in LISTS and len(path) >= 2:
        drops.setdefault((top,), set()).add(int(path[1]))
    elif top == "power" and len(path) >= 3 and path[1] in POWER_LISTS:
        drops.setdefault(("power", str(path[1])), set()).add(int(path[2]))
    elif top in MAPS and len(path) >= 2 and isinstance(data.get(top), dict):
        g.add(str(top), path[1])
        data[top].pop(path[1], None)
    elif top in PLACEHOLDERS:
        data[top] = PLACEHOLDERS[top]
    elif top == "settings" and len(path) >= 2 and isinstance(data.get(top), dict):
        data[top].pop(path[1], None)
    else:
        if top in LISTS or top == "power":
            _remember_all(data, str(top), g)
        data.pop(top, None)
    return True


def _remember(section: str, items: list[Any], g: Ghosts) -> None:
    # power sources share the name space of devices (both appear in a feed's ``from``)
    kind = "devices" if section == "power.sources" else section
    for item in items:
        if not isinstance(item, dict):
            continue
        ident = item.get("id")
        if section == "links":
            a, b = item.get("a"), item.get("b")
            if not ident and isinstance(a, str) and isinstance(b, str):
                ident = f"{a.strip()}--{b.strip()}"
            if isinstance(item.get("ring"), str):
                g.rings.add(item["ring"])
        if section == "power.feeds" and isinstance(item.get("to"), str):
            g.fed.add(item["to"])
        g.add(kind, ident)


def _remember_all(data: dict[str, Any], top: str, g: Ghosts) -> None:
    value = data.get(top)
    if top == "power" and isinstance(value, dict):
        for sub in POWER_LISTS:
            if isinstance(value.get(sub), list):
                _remember(f"power.{sub}", value[sub], g)
    elif isinstance(value, list):
        _remember(top, value, g)


def _get(data: dict[str, Any], where: tuple[str, ...]) -> list[Any]:
    node: Any = data
    for key in where:
        node = node[key]
    return list(node)


def _set(data: dict[str, Any], where: tuple[str, ...], value: list[Any]) -> None:
    node: Any = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
