"""The SNMP collector against snmpsim serving every real device recording in ../shared/lab.

Decoded values are checked against the recording itself (the .snmprec line), with units.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from collectors.base import CollectResult
from collectors.snmp import SnmpCollector, SnmpConfig
from noc.cli.main import main as noc_main
from tests.collectors.snmp.helpers import SNMPREC, inventory
from tests.integration.snmp_agents import snmpsim

pytestmark = pytest.mark.integration

RECORDINGS = sorted(
    p.relative_to(SNMPREC).with_suffix("").as_posix() for p in SNMPREC.glob("*/*.snmprec")
)


def recorded(name: str, oid: str) -> str:
    for line in (SNMPREC / f"{name}.snmprec").read_text(errors="replace").splitlines():
        o, _, rest = line.partition("|")
        if o.lstrip(".") == oid:
            return rest.partition("|")[2]
    raise KeyError(oid)


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with snmpsim(SNMPREC, tmp_path_factory.mktemp("snmpsim"), "ups/apc_smart1500") as port:
        yield port


def _inventory(port: int) -> Any:
    creds = {}
    devices = []
    for i, name in enumerate(RECORDINGS):
        env = f"NOC_TEST_REC_{i}"
        os.environ[env] = name
        creds[f"c{i}"] = {"type": "snmp_v2c", "community": f"env:{env}"}
        devices.append(
            {"id": f"d{i}", "address": "127.0.0.1", "snmp": {"credentials": f"c{i}", "port": port}}
        )
    return inventory(devices, creds)


@pytest.fixture(scope="module")
def results(sim: int) -> dict[str, CollectResult]:
    inv = _inventory(sim)

    async def run() -> list[CollectResult]:
        col = SnmpCollector(inv, SnmpConfig(timeout_seconds=3, retries=1))
        try:
            return list(await asyncio.gather(*(col.collect(d) for d in inv.devices)))
        finally:
            await col.close()

    out = asyncio.run(run())
    return {RECORDINGS[int(r.device[1:])]: r for r in out}


def value(res: CollectResult, metric: str, **labels: str) -> float:
    hits = [
        s.value
        for s in res.samples
        if s.metric == metric and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(hits) == 1, f"{metric}{labels}: {len(hits)} samples"
    return hits[0]


def states(res: CollectResult, metric: str) -> list[str]:
    return [s.labels["state"] for s in res.samples if s.metric == metric]


@pytest.mark.parametrize("name", RECORDINGS)
def test_every_recording_polls_cleanly(results: dict[str, CollectResult], name: str) -> None:
    res = results[name]
    assert not res.failed, res.error
    assert res.answered is True
    metrics = {s.metric for s in res.samples}
    assert "snmp_up" in metrics
    assert len(metrics - {"snmp_up", "snmp_poll_duration_seconds", "snmp_sys_uptime_seconds"}) >= 3


def test_generex_cs141_ups_mib(results: dict[str, CollectResult]) -> None:
    res, name = results["ups/generex-ups_cs141"], "ups/generex-ups_cs141"
    charge = float(recorded(name, "1.3.6.1.2.1.33.1.2.4.0"))
    assert value(res, "ups_battery_charge_ratio") == pytest.approx(charge / 100)
    assert states(res, "ups_output_source") == ["bypass"]
    assert value(res, "ups_output_source", state="bypass") == 4
    for phase in ("1", "2", "3"):
        load = float(recorded(name, f"1.3.6.1.2.1.33.1.4.4.1.5.{phase}"))
        assert value(res, "ups_output_load_ratio", phase=phase) == pytest.approx(load / 100)
    minutes = float(recorded(name, "1.3.6.1.2.1.33.1.2.3.0"))
    assert value(res, "ups_battery_runtime_seconds") == pytest.approx(minutes * 60)
    assert states(res, "ups_battery_status") == ["normal"]


def test_apc_smart_ups_powernet(results: dict[str, CollectResult]) -> None:
    res, name = results["ups/apc_smart1500"], "ups/apc_smart1500"
    cap = float(recorded(name, "1.3.6.1.4.1.318.1.1.1.2.3.1.0"))
    assert value(res, "ups_battery_charge_ratio") == pytest.approx(cap / 1000)
    load = float(recorded(name, "1.3.6.1.4.1.318.1.1.1.4.3.3.0"))
    assert value(res, "ups_output_load_ratio", phase="1") == pytest.approx(load / 1000)
    assert states(res, "ups_output_source") == ["normal"]
    assert states(res, "ups_output_status") == ["on_line"]


def test_ten_gigabit_port_capacity_and_named_states(results: dict[str, CollectResult]) -> None:
    res = results["switch/junos_qfx5100"]
    assert value(res, "if_speed_bits_per_second", interface="xe-0/0/0") == 10e9
    oper = [s for s in res.samples if s.metric == "if_oper_status"]
    assert oper and all(
        s.labels["state"]
        in {"up", "down", "lower_layer_down", "not_present", "dormant", "testing", "unknown"}
        for s in oper
    )
    assert value(res, "if_oper_status", interface="xe-0/0/0") in (1.0, 2.0)


def test_juniper_optics_with_margins(results: dict[str, CollectResult]) -> None:
    res, name = results["switch/junos_qfx5100"], "switch/junos_qfx5100"
    rx = float(recorded(name, "1.3.6.1.4.1.2636.3.60.1.1.1.1.5.513")) / 100
    low = float(recorded(name, "1.3.6.1.4.1.2636.3.60.1.1.1.1.10.513")) / 100
    assert value(res, "optic_rx_power_dbm", if_index="513") == pytest.approx(rx)
    assert value(res, "optic_rx_power_low_margin_db", if_index="513") == pytest.approx(rx - low)


def test_cisco_optics_in_dbm(results: dict[str, CollectResult]) -> None:
    res, name = results["switch/iosxe_c9500h-svl"], "switch/iosxe_c9500h-svl"
    raw = float(recorded(name, "1.3.6.1.4.1.9.9.91.1.1.1.1.4.1982"))
    precision = float(recorded(name, "1.3.6.1.4.1.9.9.91.1.1.1.1.3.1982"))
    got = value(res, "optic_power_dbm", ent_physical_index="1982")
    assert got == pytest.approx(raw / 10**precision)


def test_genset_himoinsa(results: dict[str, CollectResult]) -> None:
    res, name = results["genset/himoinsa-gensets"], "genset/himoinsa-gensets"
    word = int(recorded(name, "1.3.6.1.4.1.41809.1.46.0"))
    expected = {1: "running", 2: "stopped"}.get(word & 3, "unknown")
    assert [s.labels["state"] for s in res.samples if s.metric == "genset_engine_state"] == [
        expected
    ]
    assert value(res, "genset_running") == float(word & 1)


def test_hvac_and_environment(results: dict[str, CollectResult]) -> None:
    stulz = results["hvac/stulz_wib8000"]
    raw = float(recorded("hvac/stulz_wib8000", "1.3.6.1.4.1.29462.10.2.1.1.1.1.1.1.1.1192.1.1.1"))
    assert value(stulz, "hvac_return_air_celsius", bus="1", unit="1", module="1") == raw / 10
    inrow = results["hvac/apc_inrow-dx"]
    assert [s for s in inrow.samples if s.metric == "hvac_supply_air_celsius"]
    akcp = results["env/akcp_serverprobe8"]
    temps = [s for s in akcp.samples if s.metric == "env_temperature_celsius"]
    assert temps and all(0 < s.value < 60 for s in temps)
    pdu = results["pdu/apc_apdu9959eu3"]
    amps = float(recorded("pdu/apc_apdu9959eu3", "1.3.6.1.4.1.318.1.1.26.6.3.1.5.1"))
    got = [
        s.value for s in pdu.samples if s.metric == "pdu_phase_amperes" and "source" not in s.labels
    ]
    assert got == [pytest.approx(amps / 10)]


def test_neighbors_from_cdp_and_lldp(sim: int) -> None:
    name = "switch/iosxe_c9500h-svl"
    inv = inventory(
        [{"id": "core-1", "address": "127.0.0.1", "snmp": {"credentials": "c", "port": sim}}],
        {"c": {"type": "snmp_v2c", "community": "env:NOC_TEST_CDP"}},
    )
    os.environ["NOC_TEST_CDP"] = name

    async def run() -> Any:
        col = SnmpCollector(inv)
        try:
            await col.collect(inv.device("core-1"))
            return col.neighbors["core-1"]
        finally:
            await col.close()

    neighbors = asyncio.run(run())
    cdp_rows = sum(
        1
        for line in (SNMPREC / f"{name}.snmprec").read_text().splitlines()
        if line.startswith("1.3.6.1.4.1.9.9.23.1.2.1.1.6.")
    )
    assert len(neighbors) == cdp_rows
    assert all(n.local_device == "core-1" and n.protocol.value == "cdp" for n in neighbors)


def test_noc_poll_json_names_profile_and_units(
    sim: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOC_TEST_COMMUNITY", "ups/generex-ups_cs141")
    code = noc_main(
        ["poll", f"127.0.0.1:{sim}", "--community", "env:NOC_TEST_COMMUNITY", "--format", "json"]
    )
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    assert doc["profile"] == "ups_mib" and "sysObjectID" in doc["reason"]
    rows = {(r["metric"], r["labels"].get("phase")): r for r in doc["samples"]}
    assert rows[("ups_battery_charge_ratio", None)]["unit"] == "ratio"
    assert rows[("ups_output_source", None)]["state"] == "bypass"
    assert rows[("ups_output_load_ratio", "1")]["unit"] == "ratio"
    assert "ups/generex-ups_cs141" not in out  # the community is a secret


def test_v3_authpriv_with_context(sim: int, capsys: pytest.CaptureFixture[str]) -> None:
    code = noc_main(
        [
            "poll",
            f"127.0.0.1:{sim}",
            "--v3-user",
            "simulator",
            "--auth-proto",
            "SHA",
            "--auth-key",
            "auctoritas",
            "--priv-proto",
            "AES",
            "--priv-key",
            "privatus",
            "--context",
            "ups/generex-ups_cs141",
            "--format",
            "json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc["error"]
    assert any(
        r["metric"] == "ups_output_source" and r["state"] == "bypass" for r in doc["samples"]
    )
