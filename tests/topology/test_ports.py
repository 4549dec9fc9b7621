"""A port named the device's way finds its inventory link: ``Te1/0/1`` is
``TenGigabitEthernet1/0/1``, ``XGE0/0/2`` is ``XGigabitEthernet0/0/2``; a guess that could be
two ports is no match."""

from __future__ import annotations

from pathlib import Path

from noc.inventory import load_inventory
from topology.ports import LinkPorts

REPO = Path(__file__).resolve().parents[2]


def test_short_and_long_names_find_the_same_link() -> None:
    ports = LinkPorts(load_inventory(REPO / "inventory.yaml"))
    assert ports.link_of("core-1", "TenGigabitEthernet1/0/1") == "r1-1"
    assert ports.link_of("core-1", "Te1/0/1") == "r1-1"
    assert ports.link_of("dist-r1-1", "XGE0/0/2") == "r1-2"
    assert ports.link_of("dist-r2-1", "xe-0/0/1") == "r2-2"
    assert ports.link_of("core-1", "Te1/0/9") is None
    assert ports.link_of("ups-a", "eth0") is None
    assert ports.link_of("core-1", "") is None
