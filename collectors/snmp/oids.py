"""OID helpers: dotted text to tuples, prefix tests, index suffixes."""

from __future__ import annotations


def oid_tuple(oid: str) -> tuple[int, ...]:
    text = oid.strip().lstrip(".")
    if not text:
        return ()
    return tuple(int(p) for p in text.split("."))


def is_under(oid: tuple[int, ...], root: tuple[int, ...]) -> bool:
    return len(oid) > len(root) and oid[: len(root)] == root


def index_of(oid: str, column: str) -> str | None:
    """The index suffix of ``oid`` below ``column`` (``"1.3.6.1.2.1.2.2.1.8.5"`` -> ``"5"``)."""
    o, c = oid.lstrip("."), column.lstrip(".")
    if o.startswith(c + "."):
        return o[len(c) + 1 :]
    return None
