"""The lab's SSH simulators read back by the SSH collector: what the lab state says is what the
parsers return, on every platform, and the lab's faults show up over SSH."""

from __future__ import annotations

import asyncio
import time

import pytest

from collectors.ssh.collector import SshCollector, SshCollectResult, SshConfig
from noc.lab.ssh.static import StaticDevice, switch
from tests.collectors.ssh.labkit import (
    PASSWORD,
    PASSWORD_ENV,
    every_platform,
    inventory,
    lab_config,
    lab_servers,
    run,
)

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def config(**kw: object) -> SshConfig:
    return lab_config(**{"read_timeout_seconds": 5.0, **kw})


def poll(
    devices: list[StaticDevice], ports: dict[str, int], **kw: object
) -> dict[str, SshCollectResult]:
    inv = inventory([(d.id, d.platform, ports[d.id]) for d in devices])
    collector = SshCollector(inv, config(**kw))

    async def go() -> dict[str, SshCollectResult]:
        try:
            results = await asyncio.gather(*(collector.collect(inv.device(d.id)) for d in devices))
        finally:
            await collector.close()
        return {r.device: r for r in results}

    out: dict[str, SshCollectResult] = run(go)
    return out


def value(r: SshCollectResult, metric: str, **labels: str) -> float | None:
    for s in r.samples:
        if s.metric == metric and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


def test_every_platform_reads_back_the_lab_state() -> None:
    devices = every_platform()
    with lab_servers(devices) as (_lab, ports):
        results = poll(devices, ports)
    for d in devices:
        r = results[d.id]
        assert not r.failed, (d.id, r.error)
        for p in d.ports:
            assert value(r, "optic_rx_power_dbm", interface=p.name) == pytest.approx(p.rx_power_dbm)
            assert value(r, "optic_tx_power_dbm", interface=p.name) == pytest.approx(p.tx_power_dbm)
            assert value(r, "optic_bias_amperes", interface=p.name) == pytest.approx(
                (p.bias_ma or 0) / 1000, abs=1e-5
            )
        seen = {(n.local_interface, n.remote_system, n.remote_port) for n in r.neighbors}
        assert seen == {(p.name, p.neighbor_system, p.neighbor_port) for p in d.ports}
        assert r.facts is not None
        assert r.facts.hostname == d.hostname
        assert r.facts.os_version == d.os_version
        assert r.facts.model.lower() == d.model.lower()
        assert value(r, "ssh_up") == 1.0


def test_environment_reads_back_on_cisco_ios() -> None:
    dev = switch("core-1", "cisco_ios", ["Te1/0/1"])
    dev.parts[0] = type(dev.parts[0])("psu", "PSU1", False, 0.0)  # a failed power supply
    with lab_servers([dev]) as (_lab, ports):
        r = poll([dev], ports)["core-1"]
    assert not r.failed, r.error
    assert value(r, "device_psu_ok", component="1A") == 0.0
    assert value(r, "device_psu_ok", component="1B") == 1.0
    assert value(r, "device_fan_ok", component="switch 1 fan 1") == 1.0
    assert value(r, "device_temperature_celsius", component="Inlet") == 28.0


@pytest.mark.parametrize("platform", ["cisco_ios", "juniper_junos", "huawei_vrp"])
def test_link_down_and_optic_degrade_show_over_ssh(platform: str) -> None:
    names = ["p1", "p2", "p3"]
    real = {
        "cisco_ios": "Te1/0/{}",
        "juniper_junos": "xe-0/0/{}",
        "huawei_vrp": "XGigabitEthernet0/0/{}",
    }
    names = [real[platform].format(i) for i in range(1, 4)]
    dev = switch("dist-1", platform, names)
    dev.link_down(names[0])
    dev.optic_degrade(names[1], -16.5)
    with lab_servers([dev]) as (_lab, ports):
        r = poll([dev], ports)["dist-1"]
    assert not r.failed, r.error
    assert {n.local_interface for n in r.neighbors} == {names[1], names[2]}  # link down: gone
    assert value(r, "optic_rx_power_dbm", interface=names[0]) == pytest.approx(-40.0)
    assert value(r, "optic_rx_power_dbm", interface=names[1]) == pytest.approx(-16.5)
    low_alarm = value(r, "optic_rx_power_dbm_threshold", interface=names[1], level="low_alarm")
    if low_alarm is not None:  # platforms that print thresholds: the degrade is past the alarm
        assert low_alarm > -16.5
    if value(r, "ssh_if_oper_up", interface=names[0]) is not None:
        assert value(r, "ssh_if_oper_up", interface=names[0]) == 0.0
        assert value(r, "ssh_if_oper_up", interface=names[1]) == 1.0


def test_a_device_down_in_the_lab_fails_fast_and_alone() -> None:
    down = switch("acc-1", "cisco_ios", ["Te1/0/1"])
    down.up = False
    up = switch("acc-2", "cisco_ios", ["Te1/0/1"])
    with lab_servers([down, up]) as (_lab, ports):
        t0 = time.monotonic()
        results = poll([down, up], ports, retries=1)
        took = time.monotonic() - t0
    failed = results["acc-1"]
    assert failed.failed and failed.error_kind == "refused", failed.error
    assert failed.answered is False
    assert failed.error and "127.0.0.1" in failed.error
    assert not results["acc-2"].failed
    assert took < 20
