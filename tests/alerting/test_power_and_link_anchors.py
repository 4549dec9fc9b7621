"""Anchors from the power feeds and the link ends: the CRAC that goes dark with the utility
joins the power incident, an optical alert joins its link's, a link joins its dead end's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alerting.links import LinkStates
from alerting.topology_view import NoTopology, WithPower, unprotected_devices
from noc.inventory import load_inventory
from noc.model.observations import ObjectKind, ObjectRef, StateChange

ROOT = Path(__file__).resolve().parents[2]


def _ref(kind: ObjectKind, ident: str) -> ObjectRef:
    return ObjectRef(kind=kind, id=ident)


def test_devices_without_a_ups_upstream_share_their_sites_power_fate() -> None:
    inv = load_inventory(ROOT / "inventory.yaml")
    bare = unprotected_devices(inv)
    assert bare.get("crac-1") == "dc" and bare.get("crac-2") == "dc"
    assert "core-1" not in bare and "ups-a" not in bare  # behind a UPS / a UPS itself
    view = WithPower(NoTopology(), inv)
    assert view.power_group(_ref(ObjectKind.device, "crac-1")) == "power:dc"
    assert view.power_group(_ref(ObjectKind.device, "core-1")) is None


def test_link_ends_and_ring_segments() -> None:
    inv = load_inventory(ROOT / "inventory.yaml")
    view = WithPower(NoTopology(), inv)
    link = view.link_of(_ref(ObjectKind.interface, "dist-r1-1:XGigabitEthernet0/0/2"))
    assert link == _ref(ObjectKind.link, "r1-2")
    ends = view.ends_of(_ref(ObjectKind.link, "r1-2"))
    assert [e.id for e in ends] == ["dist-r1-1", "dist-r1-2"]
    states = LinkStates(inv)
    view.ring_ends = states.down_ends
    assert view.ends_of(_ref(ObjectKind.ring, "R1")) == []
    states.observe(
        [
            StateChange(
                object=_ref(ObjectKind.link, "r1-1"), old="up", new="down", ts=datetime.now(UTC)
            )
        ]
    )
    assert [e.id for e in view.ends_of(_ref(ObjectKind.ring, "R1"))] == ["core-1", "dist-r1-1"]
