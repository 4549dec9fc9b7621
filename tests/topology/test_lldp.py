"""LLDP/CDP reconciliation on the demo city: seen, missing and miscabled links."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc.inventory import load_inventory
from noc.model import Inventory, Neighbor, NeighborProtocol
from topology.lldp import interface_key, reconcile, same_interface

ROOT = Path(__file__).resolve().parents[2]
TS = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load_inventory(ROOT / "inventory.yaml")


def nb(local: str, port: str, system: str, rport: str = "", **kw: object) -> Neighbor:
    return Neighbor(
        local_device=local,
        local_interface=port,
        remote_system=system,
        remote_port=rport,
        ts=TS,
        **kw,
    )


def test_interface_names_match_across_abbreviations() -> None:
    assert same_interface("Te1/0/1", "TenGigabitEthernet1/0/1")
    assert same_interface("Gi1/1/1", "GigabitEthernet1/1/1")
    assert same_interface("XGE0/0/1", "XGigabitEthernet0/0/1")
    assert same_interface("xe-0/0/0", "xe-0/0/0")
    assert same_interface("Et49/1", "Ethernet49/1")
    assert not same_interface("Te1/0/1", "Te1/0/2")
    assert not same_interface("Gi1/0/1", "Te1/0/1")
    assert interface_key("xe-0/0/1") == ("xe", "0/0/1")


def test_every_kind_of_mismatch(inv: Inventory) -> None:
    report = reconcile(
        inv,
        [
            # documented and seen, the remote named by host name with a domain, port short
            nb("core-1", "Te1/0/1", "DIST-R1-1.sukamaju.go.id", "XGE0/0/1"),
            # the same cable from the other side, the remote matched by its address only
            nb(
                "dist-r1-1",
                "XGigabitEthernet0/0/1",
                "c9500-a",
                "Te1/0/1",
                remote_address="127.10.0.1",
                protocol=NeighborProtocol.cdp,
            ),
            # r1-2 is documented on dist-r1-2 port 0/0/1 but lands on 0/0/3
            nb("dist-r1-1", "XGigabitEthernet0/0/2", "Distribusi Kec. Sindangsari", "XGE0/0/3"),
            # a cable nobody documented, seen from both ends
            nb("dist-r1-4", "XGigabitEthernet0/0/3", "dist-r2-4", "xe-0/0/2"),
            nb("dist-r2-4", "xe-0/0/2", "dist-r1-4", "XGigabitEthernet0/0/3"),
            # a neighbor that is not ours
            nb("dist-r1-3", "XGigabitEthernet0/0/3", "ap-vendor-x", "eth0"),
            # the link to core-2 is documented on 1/0/3 but cabled on 1/0/9
            nb("core-1", "Te1/0/9", "core-2", "Te1/0/3"),
        ],
    )
    assert "r1-1" in report.confirmed
    assert [(m.link, m.documented, m.seen) for m in report.wrong_port] == [
        ("r1-2", "dist-r1-2:XGigabitEthernet0/0/1", "dist-r1-2:XGE0/0/3"),
        ("r1-6", "core-1:TenGigabitEthernet1/0/3", "core-1:Te1/0/9"),
    ]
    assert [(m.device, m.interface, m.seen) for m in report.seen_not_documented] == [
        ("dist-r1-4", "XGigabitEthernet0/0/3", "dist-r2-4:xe-0/0/2")
    ]
    assert [m.seen for m in report.unknown_neighbors] == ["ap-vendor-x:eth0"]
    missing = {m.link for m in report.documented_not_seen}
    # only devices that report neighbors can miss a link; core-1 reports, so its
    # server links are unseen, while the ring links of dist-r2-* are judged by dist-r2-4 only
    assert {"siak-1-a", "r1-5", "r2-4", "r2-5", "up-disdukcapil"} <= missing
    assert "r1-1" not in missing and "r1-2" not in missing and "r2-2" not in missing
