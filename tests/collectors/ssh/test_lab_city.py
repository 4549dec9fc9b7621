"""The SSH simulators plugged into the real lab state (noc.lab.city.LabCity, the same LabView the
SNMP agents read) for the demo city: what SSH shows is what the lab says, faults included."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from collectors.ssh.collector import SshCollector, SshCollectResult, SshConfig
from noc.clock import SystemClock
from noc.inventory import load_inventory
from noc.lab.city import LabCity
from noc.lab.ssh.wiring import lab_ssh_servers
from noc.model import Inventory
from tests.collectors.ssh.labkit import LoopThread, run
from tests.peers import free_port

pytestmark = pytest.mark.timeout(120)

INVENTORY = Path(__file__).resolve().parents[3] / "inventory.yaml"
POLLED = ["core-1", "drc-sw-1", "dist-r1-1", "dist-r1-2", "dist-r2-2", "dist-r2-3"]


def with_ssh_port(inventory: Inventory, port: int) -> Inventory:
    data = inventory.model_dump()
    for device in data["devices"]:
        if device.get("ssh"):
            device["ssh"]["port"] = port
    return Inventory.model_validate(data)


def test_ssh_shows_the_lab_city_and_its_faults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_SSH_PASSWORD", "lab-ssh-password-42")
    inventory = load_inventory(INVENTORY)
    city = LabCity(inventory, SystemClock())
    city.inject("link-down", ["r1-2"])  # dist-r1-1:XGigabitEthernet0/0/2 -- dist-r1-2
    city.inject("optic-degrade", ["r2-3"])  # dist-r2-2:xe-0/0/1 -- dist-r2-3:xe-0/0/0
    port = free_port()
    servers = lab_ssh_servers(inventory, city, port=port)
    polled = with_ssh_port(inventory, port)
    collector = SshCollector(polled, SshConfig(known_hosts=None, use_napalm=False))
    thread = LoopThread()
    thread.run(servers.start())
    try:

        async def go() -> list[SshCollectResult]:
            try:
                return list(
                    await asyncio.gather(*(collector.collect(polled.device(d)) for d in POLLED))
                )
            finally:
                await collector.close()

        results: dict[str, SshCollectResult] = {r.device: r for r in run(go, timeout=90)}
    finally:
        thread.run(servers.stop())
        thread.close()
    for dev_id in POLLED:
        r = results[dev_id]
        assert not r.failed, (dev_id, r.error)
        view = city.device(dev_id)
        rx = {s.labels["interface"]: s.value for s in r.samples if s.metric == "optic_rx_power_dbm"}
        want_rx = {i.name: i.rx_power_dbm for i in view.interfaces() if i.rx_power_dbm is not None}
        assert rx.keys() == want_rx.keys(), dev_id
        for name, value in want_rx.items():
            assert rx[name] == pytest.approx(value, abs=0.2), (dev_id, name)
        seen = {(n.local_interface, n.remote_system, n.remote_port) for n in r.neighbors}
        want = {
            (i.name, i.neighbor_system, i.neighbor_port)
            for i in view.interfaces()
            if i.neighbor_system and i.oper_up
        }
        assert seen == want, dev_id
    # link-down: the neighbor is gone on both ends
    assert not any(
        n.local_interface == "XGigabitEthernet0/0/2" for n in results["dist-r1-1"].neighbors
    )
    assert not any(
        n.local_interface == "XGigabitEthernet0/0/1" for n in results["dist-r1-2"].neighbors
    )
    # optic-degrade: the receive level on the degraded link is below the device's warning level
    degraded = next(i for i in city.device("dist-r2-2").interfaces() if i.name == "xe-0/0/1")
    assert degraded.rx_power_dbm is not None and degraded.rx_low_warning_dbm is not None
    seen_rx = [
        s.value
        for s in results["dist-r2-2"].samples
        if s.metric == "optic_rx_power_dbm" and s.labels["interface"] == "xe-0/0/1"
    ]
    assert seen_rx and seen_rx[0] < degraded.rx_low_warning_dbm
