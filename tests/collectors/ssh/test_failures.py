"""Clear errors within the timeout, and nobody else delayed: wrong password, nothing listening,
a device that hangs mid-output, host keys, a rejected command, session caps, no leaked secret."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from collectors.ssh.collector import SshCollector, SshCollectResult, SshConfig
from collectors.ssh.hostkeys import HostKeyPolicy
from collectors.ssh.models import Kind
from collectors.ssh.profile import CommandSpec, load_profiles
from noc.lab.ssh.static import switch
from tests.collectors.ssh.labkit import (
    PASSWORD,
    PASSWORD_ENV,
    inventory,
    lab_config,
    lab_servers,
    run,
    stalling_server,
)
from tests.peers import free_port

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def config(**kw: object) -> SshConfig:
    return lab_config(**{"read_timeout_seconds": 3.0, "retries": 1, **kw})


def collect_all(
    devices: list[tuple[str, str, int]], cfg: SshConfig, **kw: object
) -> tuple[dict[str, SshCollectResult], dict[str, float]]:
    """Poll every device concurrently; also return when each poll finished (seconds)."""
    inv = inventory(devices)
    collector = SshCollector(inv, cfg, **kw)  # type: ignore[arg-type]
    finished: dict[str, float] = {}
    t0 = time.monotonic()

    async def one(dev_id: str) -> SshCollectResult:
        r = await collector.collect(inv.device(dev_id))
        finished[dev_id] = time.monotonic() - t0
        return r

    async def go() -> list[SshCollectResult]:
        try:
            return list(await asyncio.gather(*(one(d[0]) for d in devices)))
        finally:
            await collector.close()

    results: list[SshCollectResult] = run(go)
    return {r.device: r for r in results}, finished


def assert_no_secret(r: SshCollectResult, caplog: pytest.LogCaptureFixture) -> None:
    assert PASSWORD not in r.model_dump_json()
    assert PASSWORD not in caplog.text


def test_wrong_password_is_an_auth_error_and_others_go_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    a, b = switch("sw-a", "cisco_ios", ["Te1/0/1"]), switch("sw-b", "cisco_ios", ["Te1/0/1"])
    with lab_servers([a, b]) as (_lab, ports):
        inv_devices = [("sw-a", "cisco_ios", ports["sw-a"]), ("sw-b", "cisco_ios", ports["sw-b"])]
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD + "-wrong")
        bad, _ = collect_all(inv_devices[:1], config())
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
        good, _ = collect_all(inv_devices[1:], config())
    r = bad["sw-a"]
    assert r.failed and r.error_kind == "auth", r.error
    assert r.error is not None and "authentication failed for user noc-ro" in r.error
    assert r.duration_seconds < 10
    assert r.answered is True
    assert PASSWORD + "-wrong" not in r.model_dump_json() and PASSWORD + "-wrong" not in caplog.text
    assert not good["sw-b"].failed
    assert_no_secret(good["sw-b"], caplog)


def test_nothing_listening_is_refused_quickly() -> None:
    port = free_port()  # bound and released: nothing listens there now
    results, _ = collect_all([("ghost", "cisco_ios", port)], config(retries=2))
    r = results["ghost"]
    assert r.failed and r.error_kind == "refused", r.error
    assert r.answered is False
    assert r.duration_seconds < 5  # two retries with 0.05 s and 0.1 s backoff


def test_a_device_that_hangs_mid_output_times_out_alone(caplog: pytest.LogCaptureFixture) -> None:
    ok1, ok2 = switch("ok-1", "cisco_ios", ["Te1/0/1"]), switch("ok-2", "arista_eos", ["Ethernet1"])
    with stalling_server() as stuck_port, lab_servers([ok1, ok2]) as (_lab, ports):
        results, finished = collect_all(
            [
                ("stuck", "cisco_ios", stuck_port),
                ("ok-1", "cisco_ios", ports["ok-1"]),
                ("ok-2", "arista_eos", ports["ok-2"]),
            ],
            config(read_timeout_seconds=2.0),
        )
    stuck = results["stuck"]
    assert stuck.failed and stuck.error_kind == "timeout", stuck.error
    assert stuck.error is not None and "stopped answering in the middle" in stuck.error
    assert stuck.duration_seconds < 2.0 + 6.0  # read timeout plus log-in and set-up
    assert not results["ok-1"].failed and not results["ok-2"].failed
    assert finished["ok-1"] < finished["stuck"] and finished["ok-2"] < finished["stuck"]
    assert_no_secret(stuck, caplog)


def test_poll_deadline_bounds_a_hung_session() -> None:
    with stalling_server() as stuck_port:
        results, _ = collect_all(
            [("stuck", "cisco_ios", stuck_port)],
            config(read_timeout_seconds=30.0, poll_timeout_seconds=2.0),
        )
    r = results["stuck"]
    assert r.failed and r.error_kind == "timeout" and r.duration_seconds < 4, r.error


def test_host_key_policies(tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    dev = switch("core-1", "cisco_ios", ["Te1/0/1"])
    with lab_servers([dev]) as (_lab, ports):
        devices = [("core-1", "cisco_ios", ports["core-1"])]
        strict, _ = collect_all(devices, config(known_hosts=known, host_key_policy="strict"))
        first, _ = collect_all(devices, config(known_hosts=known))  # accept-new records it
        again, _ = collect_all(devices, config(known_hosts=known, host_key_policy="strict"))
    r = strict["core-1"]
    assert r.failed and r.error_kind == "hostkey" and "not in known_hosts" in (r.error or "")
    assert not first["core-1"].failed and not again["core-1"].failed
    assert f"[127.0.0.1]:{ports['core-1']} ssh-ed25519 " in known.read_text()
    # the same address and port now presents another key (a new lab process, a swapped box)
    with lab_servers([dev]) as (_lab, ports2):
        entry = known.read_text().split(" ", 1)[1]
        known.write_text(f"[127.0.0.1]:{ports2['core-1']} {entry}")
        changed, _ = collect_all(
            [("core-1", "cisco_ios", ports2["core-1"])], config(known_hosts=known)
        )
        ignored, _ = collect_all(
            [("core-1", "cisco_ios", ports2["core-1"])],
            config(known_hosts=known, host_key_policy=HostKeyPolicy.ignore),
        )
    r = changed["core-1"]
    assert r.failed and r.error_kind == "hostkey" and "has changed" in (r.error or ""), r.error
    assert not ignored["core-1"].failed


def test_a_rejected_command_is_named_and_the_rest_still_counts() -> None:
    profiles = load_profiles()
    ios = profiles["cisco_ios"]
    bogus = CommandSpec(command="show optics everything", kind=Kind.optics, parser="lines")
    profiles["cisco_ios"] = ios.model_copy(update={"commands": [*ios.commands, bogus]})
    dev = switch("core-1", "cisco_ios", ["Te1/0/1"])
    with lab_servers([dev]) as (_lab, ports):
        results, _ = collect_all(
            [("core-1", "cisco_ios", ports["core-1"])], config(), profiles=profiles
        )
    r = results["core-1"]
    assert r.failed and r.error_kind == "command"
    assert "show optics everything" in (r.error or "") and "Invalid input" in (r.error or "")
    assert r.rejected == {"show optics everything": "% Invalid input detected at '^' marker."}
    assert any(s.metric == "optic_rx_power_dbm" for s in r.samples)  # the other commands
    assert r.neighbors


def test_session_caps_hold() -> None:
    devices = [switch(f"sw-{i}", "cisco_ios", ["Te1/0/1"]) for i in range(5)]
    with lab_servers(devices) as (_lab, ports):
        inv = inventory([(d.id, "cisco_ios", ports[d.id]) for d in devices])
        collector = SshCollector(inv, config(max_sessions=2))

        async def go() -> list[SshCollectResult]:
            try:
                polls = [collector.collect(inv.device(d.id)) for d in devices]
                polls += [collector.collect(inv.device("sw-0")) for _ in range(2)]  # same device
                return list(await asyncio.gather(*polls))
            finally:
                await collector.close()

        results: list[SshCollectResult] = run(go)
    assert all(not r.failed for r in results), [r.error for r in results]
    assert collector.limits.peak_sessions == 2


def test_missing_credentials_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    results, _ = collect_all([("core-1", "cisco_ios", free_port())], config())
    r = results["core-1"]
    assert r.failed and r.error_kind == "config" and PASSWORD_ENV in (r.error or "")
    assert r.answered is None
