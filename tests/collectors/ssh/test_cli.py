"""``noc parse`` and ``noc collect-ssh`` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from noc.cli.main import main
from noc.lab.ssh.static import switch
from tests.collectors.ssh.fixtures import CLI_DIR
from tests.collectors.ssh.labkit import PASSWORD, PASSWORD_ENV, USER, lab_servers

pytestmark = pytest.mark.timeout(60)

LLDP = CLI_DIR / "juniper_junos" / "show_lldp_neighbors" / "juniper_junos_show_lldp_neighbors.raw"


def test_parse_json_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["parse", "--platform", "juniper_junos", "--command", "show lldp neighbors"]
    assert main([*argv, "--format", "json", str(LLDP)]) == 0
    first = capsys.readouterr().out
    assert main([*argv, "--format", "json", str(LLDP)]) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert list(data) == [
        "platform",
        "command",
        "kind",
        "optics",
        "neighbors",
        "environment",
        "interfaces",
        "facts",
    ]
    assert data["kind"] == "neighbors"
    assert data["neighbors"][0] == {
        "local_interface": "ge-0/0/1",
        "remote_system": "vmx2",
        "remote_port": "ge-0/0/1",
        "remote_port_description": "",
        "remote_address": None,
        "remote_chassis_id": "2c:6b:f5:a1:c2:c0",
        "protocol": "lldp",
    }


def test_parse_text_and_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["parse", "--platform", "juniper_junos", "--command", "show  lldp neighbors", str(LLDP)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "remote_system=vmx3" in out
    assert main(["parse", "--platform", "juniper_junos", "--command", "show bgp", str(LLDP)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("noc parse: the juniper_junos SSH profile has no command 'show bgp'")
    assert main(["parse", "--platform", "nokia_sros", "--command", "x", str(LLDP)]) == 1
    assert "no SSH profile for platform nokia_sros" in capsys.readouterr().err


def test_collect_ssh_prints_one_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    dev = switch("core-1", "arista_eos", ["Ethernet1", "Ethernet2"])
    with lab_servers([dev]) as (_lab, ports):
        inv = {
            "version": 1,
            "city": "Lab",
            "credentials": {
                "lab-ssh": {"type": "ssh", "username": USER, "password": f"env:{PASSWORD_ENV}"}
            },
            "sites": [{"id": "dc", "name": "DC", "kind": "data_center"}],
            "devices": [
                {
                    "id": "core-1",
                    "site": "dc",
                    "role": "core_switch",
                    "platform": "arista_eos",
                    "address": "127.0.0.1",
                    "ssh": {"credentials": "lab-ssh", "port": ports["core-1"]},
                }
            ],
        }
        path = tmp_path / "inventory.yaml"
        path.write_text(yaml.safe_dump(inv))
        argv = ["collect-ssh", "core-1", "--inventory", str(path), "--data-dir", str(tmp_path)]
        code = main(argv)
        out = capsys.readouterr().out
        assert code == 0, out
        assert "core-1 via ssh" in out and ": ok" in out
        assert "neighbor lldp: Ethernet1 -> core-2 Ethernet1" in out
        assert "optic_rx_power_dbm{device=core-1,interface=Ethernet2} -3.1" in out
        assert main([*argv, "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["failed"] is False and data["facts"]["os_version"] == dev.os_version
        assert (
            (tmp_path / "ssh_known_hosts").read_text().startswith(f"[127.0.0.1]:{ports['core-1']}")
        )
        monkeypatch.setenv(PASSWORD_ENV, "wrong-" + PASSWORD)
        assert main(argv) == 1
        captured = capsys.readouterr()
        assert "FAILED (auth)" in captured.out
        assert PASSWORD not in captured.out + captured.err
    assert main(["collect-ssh", "nope", "--inventory", str(path)]) == 1
    assert "no device nope" in capsys.readouterr().err
