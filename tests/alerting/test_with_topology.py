"""Alerting over topology's graph view (the demo city): the core pair is one incident.

A contract test across the two parts: ``topology.view.GraphTopologyView`` must keep answering
alerting's ``TopologyView`` protocol.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from alerting.config import AlertingConfig
from alerting.topology_view import TopologyView
from alerting.wiring import build_alerting
from noc.clock import ManualClock
from noc.inventory import load_inventory
from noc.model import StateChange
from noc.store.events import open_event_store
from tests.alerting.support import T0, RecordingNotifier, device

view = pytest.importorskip("topology.view")
live_mod = pytest.importorskip("topology.live")
REPO = Path(__file__).resolve().parents[2]


def test_core_pair_down_on_the_demo_city_is_one_incident(tmp_path: Path) -> None:
    inventory = load_inventory(REPO / "inventory.yaml")
    live = live_mod.LiveTopology.from_inventory(inventory)
    topology: TopologyView = view.GraphTopologyView(live)
    clock = ManualClock(T0)
    events = open_event_store(tmp_path / "events.sqlite", clock)
    recorder = RecordingNotifier()
    service = build_alerting(
        events, clock, topology, AlertingConfig(), tmp_path / "a.sqlite", notifiers={"r": recorder}
    )
    for d in inventory.devices:
        live.observe(d.id, True)
    changes = []
    for dev in ("core-1", "core-2"):
        live.observe(dev, False)
        changes.append(StateChange(object=device(dev), old="up", new="down", ts=T0))
    # Everything that cannot be reached without the core goes silent with it.
    cut_off = []
    for d in inventory.devices:
        if d.id in ("core-1", "core-2"):
            continue
        live.observe(d.id, False)
        if live.state(d.id).value == "unreachable":
            cut_off.append(d.id)
        else:
            live.observe(d.id, True)
    for dev in cut_off:
        changes.append(StateChange(object=device(dev), old="up", new="unreachable", ts=T0))
    assert len(cut_off) >= 3

    async def scenario() -> None:
        await service.on_states(changes)
        clock.advance(120)
        await service.run_due()

    asyncio.run(scenario())
    service.close()
    incidents = events.incidents.list()
    events.close()
    assert len(incidents) == 1, [i.title for i in incidents]
    inc = incidents[0]
    assert inc.source_alert == "device_down/device:core-1"
    assert "device_down/device:core-2" in inc.symptom_alerts
    assert len(inc.symptom_alerts) == 1 + len(cut_off)
    assert inc.affected_services  # the city's services run through the core
    assert len(recorder.groups) == 1
