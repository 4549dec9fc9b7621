"""Counts of what an inventory file describes, read from the data even when it has errors."""

from __future__ import annotations

from typing import Any

from noc.inventory.problems import Summary


def summarize(data: Any) -> Summary:
    if not isinstance(data, dict):
        return Summary()
    links = _list(data.get("links"))
    rings = {k.get("ring") for k in links if isinstance(k, dict) and k.get("ring") is not None}
    power = data.get("power")
    feeds = _list(power.get("feeds")) if isinstance(power, dict) else []
    return Summary(
        sites=len(_list(data.get("sites"))),
        devices=len(_list(data.get("devices"))),
        links=len(links),
        rings=len({str(r) for r in rings}),
        services=len(_list(data.get("services"))),
        power_feeds=len(feeds),
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
