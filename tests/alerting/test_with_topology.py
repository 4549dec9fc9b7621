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


def test_distribution_switch_down_is_one_incident_with_its_access_switch_as_symptom(
    tmp_path: Path,
) -> None:
    """dist-r1-2 dies: its ring neighbours' linkDown traps come first, then its own poll fails
    (acc-dinkes below it still answered its last poll), then acc-dinkes's poll fails."""
    from noc.model import Sample
    from topology.link_states import LinkStateTracker
    from topology.tracker import GraphReachabilityTracker

    inventory = load_inventory(REPO / "inventory.yaml")
    devices = GraphReachabilityTracker.from_inventory(inventory)
    links = LinkStateTracker(inventory, devices)
    topology: TopologyView = view.GraphTopologyView(devices.live)
    clock = ManualClock(T0)
    events = open_event_store(tmp_path / "events.sqlite", clock)
    recorder = RecordingNotifier()
    service = build_alerting(
        events, clock, topology, AlertingConfig(), tmp_path / "a.sqlite", notifiers={"r": recorder}
    )

    def port(dev: str, interface: str, state: str) -> Sample:
        labels = {"device": dev, "interface": interface, "if_index": "2", "state": state}
        return Sample(metric="if_oper_status", labels=labels, value=2, ts=clock.now())

    async def scenario() -> None:
        for d in inventory.devices:
            await service.on_states(devices.observe(d.id, True, clock.now()))
        await service.on_states(
            links.observe(
                [
                    port("dist-r1-1", "XGigabitEthernet0/0/2", "up"),
                    port("dist-r1-2", "XGigabitEthernet0/0/1", "up"),
                    port("dist-r1-2", "XGigabitEthernet0/0/2", "up"),
                    port("dist-r1-3", "XGigabitEthernet0/0/1", "up"),
                ],
                clock.now(),
            )
        )
        clock.advance(30)
        await service.run_due()
        for dev, interface in (
            ("dist-r1-1", "XGigabitEthernet0/0/2"),
            ("dist-r1-3", "XGigabitEthernet0/0/1"),
        ):
            await service.on_states(links.observe([port(dev, interface, "down")], clock.now()))
        await service.on_states(devices.observe("dist-r1-2", False, clock.now()))
        clock.advance(2)
        await service.on_states(devices.observe("acc-dinkes", False, clock.now()))
        for _ in range(12):
            clock.advance(10)
            await service.run_due()

    asyncio.run(scenario())
    service.close()
    incidents = events.incidents.list()
    events.close()
    assert len(incidents) == 1, [(i.title, i.source_alert) for i in incidents]
    inc = incidents[0]
    assert inc.source_alert == "device_down/device:dist-r1-2"
    assert "device_unreachable/device:acc-dinkes" in inc.symptom_alerts
    assert "device_unreachable/device:dist-r1-2" not in inc.symptom_alerts
    assert len(recorder.groups) == 1
    assert devices.state("dist-r1-2").value == "down"
