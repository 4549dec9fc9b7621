"""Key paths: ``devices[core-1].role`` for people, tuples of keys and indices for code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from noc.inventory.problems import Path


def key_text(data: Any, path: Path) -> str:
    """``("devices", 3, "role")`` -> ``devices[core-1].role`` (``[3]`` when no unique id)."""
    out: list[str] = []
    node = data
    for seg in path:
        if isinstance(seg, int):
            out.append(f"[{_item_name(node, seg)}]")
            node = node[seg] if isinstance(node, list) and 0 <= seg < len(node) else None
        else:
            out.append(f".{seg}" if out else seg)
            node = node.get(seg) if isinstance(node, dict) else None
    return "".join(out)


def _item_name(items: Any, index: int) -> str:
    if not isinstance(items, list) or not 0 <= index < len(items):
        return str(index)
    item = items[index]
    ident = item.get("id") if isinstance(item, dict) else None
    if not isinstance(ident, str) or not ident:
        return str(index)
    same = sum(1 for other in items if isinstance(other, dict) and other.get("id") == ident)
    return ident if same == 1 else str(index)


def data_path(data: Any, loc: Sequence[str | int], *, missing: bool) -> Path:
    """Map a pydantic error location onto the data.

    Segments that are not in the data (union tags, validator names) are skipped; a last
    segment naming an absent key is kept when ``missing`` says it is a key (a missing
    key, or a field whose default failed a check).
    """
    path: list[str | int] = []
    node = data
    for i, seg in enumerate(loc):
        in_map = isinstance(node, dict) and isinstance(seg, str) and seg in node
        in_list = isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        if in_map or in_list:
            node = node[seg]
            path.append(seg)
        elif missing and i == len(loc) - 1 and isinstance(node, dict):
            path.append(seg)
    return tuple(path)
