"""netmiko and napalm end to end against fakenos (a third-party SSH network-OS simulator):
connect, run the profile, parse, turn into samples and neighbors, store, read back."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collectors.ssh.collector import SshCollector, SshCollectResult, SshConfig
from collectors.ssh.profile import load_profiles
from noc.store.metrics import SqliteMetricStoreConfig
from noc.store.sqlite_metrics import SqliteMetricStore
from tests.collectors.ssh.labkit import PASSWORD, PASSWORD_ENV, USER, inventory
from tests.peers import free_port, missing_peer

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(120),
    # fakenos's own server thread trips on a session that closes before its channel opens
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]


@pytest.fixture(scope="module")
def fakenos_ports() -> Iterator[dict[str, int]]:
    try:
        from fakenos import FakeNOS  # type: ignore[import-untyped]
    except ImportError:
        missing_peer("fakenos (pip install fakenos)")
        raise
    ports = {"r1": free_port(), "n1": free_port()}
    inv: dict[str, Any] = {
        "default": {
            "username": USER,
            "password": PASSWORD,
            "server": {
                "plugin": "ParamikoSshServer",
                "configuration": {"address": "127.0.0.1", "timeout": 1},
            },
        },
        "hosts": {
            "r1": {"port": ports["r1"], "platform": "cisco_ios"},
            "n1": {"port": ports["n1"], "platform": "cisco_nxos"},
        },
    }
    net = FakeNOS(inventory=inv)
    net.start()
    try:
        yield ports
    finally:
        net.stop()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def poll(dev_id: str, platform: str, port: int, **kw: Any) -> SshCollectResult:
    profiles = kw.pop("profiles", None)
    inv = inventory([(dev_id, platform, port)])
    cfg = SshConfig.model_validate(
        {"known_hosts": None, "read_timeout_seconds": 10.0, "backoff_seconds": 0.1, **kw}
    )
    collector = SshCollector(inv, cfg, profiles=profiles)

    async def go() -> SshCollectResult:
        try:
            return await collector.collect(inv.device(dev_id))
        finally:
            await collector.close()

    return asyncio.run(asyncio.wait_for(go(), 90))


def ios_profiles_fakenos_knows() -> dict[str, Any]:
    """fakenos's cisco_ios has no ``show environment all``: leave it out for the clean run."""
    profiles = load_profiles()
    ios = profiles["cisco_ios"]
    kept = [c for c in ios.commands if c.command != "show environment all"]
    profiles["cisco_ios"] = ios.model_copy(update={"commands": kept})
    return profiles


def test_netmiko_and_napalm_on_cisco_ios(
    fakenos_ports: dict[str, int], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    r = poll("r1", "cisco_ios", fakenos_ports["r1"], profiles=ios_profiles_fakenos_knows())
    assert not r.failed, r.error
    metrics = {s.metric for s in r.samples}
    assert {
        "optic_rx_power_dbm",
        "optic_tx_power_dbm",
        "device_psu_ok",
        "ssh_if_oper_up",
    } <= metrics
    rx = {s.labels["interface"]: s.value for s in r.samples if s.metric == "optic_rx_power_dbm"}
    assert rx["Te1/49"] == -3.0  # fakenos prints the older IOS table without a bias column
    assert r.facts is not None and r.facts.hostname == "r1" and r.facts.serial
    assert r.facts.uptime_seconds and r.facts.uptime_seconds > 0
    protocols = {n.protocol.value for n in r.neighbors}
    assert protocols == {"lldp", "cdp"}
    assert any(n.remote_system == "desktop-switch" for n in r.neighbors)
    # napalm getters ran over the same session: get_interfaces adds ports that the command
    # outputs also list, without duplicates
    ports = [s.labels["interface"] for s in r.samples if s.metric == "ssh_if_oper_up"]
    assert len(ports) == len(set(ports))
    assert not [n for n in r.notes if "get_facts" in n]
    # store and read back
    store = SqliteMetricStore(SqliteMetricStoreConfig(path=tmp_path / "m.sqlite"))
    store.write(r.samples)
    store.flush()
    latest = store.latest("optic_rx_power_dbm", {"device": "r1", "interface": "Te1/49"})
    assert [v.value for v in latest] == [-3.0]
    assert PASSWORD not in caplog.text and PASSWORD not in r.model_dump_json()


def test_napalm_alone_gives_facts(fakenos_ports: dict[str, int]) -> None:
    profiles = load_profiles()
    profiles["cisco_ios"] = profiles["cisco_ios"].model_copy(update={"commands": []})
    r = poll("r1", "cisco_ios", fakenos_ports["r1"], profiles=profiles)
    assert not r.failed, r.error
    assert r.facts is not None and r.facts.vendor == "Cisco" and r.facts.serial == "9ESGOBARV9D"
    assert r.facts.model == ""  # napalm's "Unknown" is not a model
    assert r.neighbors  # get_lldp_neighbors_detail


def test_rejected_command_on_fakenos(fakenos_ports: dict[str, int]) -> None:
    r = poll("r1", "cisco_ios", fakenos_ports["r1"], use_napalm=False)
    assert r.failed and r.error_kind == "command"
    assert r.rejected and "show environment all" in r.rejected
    assert any(s.metric == "optic_rx_power_dbm" for s in r.samples)


def test_wrong_password_on_fakenos(
    fakenos_ports: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    r = poll("r1", "cisco_ios", fakenos_ports["r1"], use_napalm=False)
    assert r.failed and r.error_kind == "auth", r.error
    assert "not-the-password" not in r.model_dump_json()


def test_nxos_on_fakenos(fakenos_ports: dict[str, int]) -> None:
    r = poll("n1", "cisco_nxos", fakenos_ports["n1"], use_napalm=False)
    assert not r.failed, r.error
    assert any(s.metric == "optic_rx_power_dbm" for s in r.samples)
    assert r.neighbors and r.facts is not None and r.facts.os_version
