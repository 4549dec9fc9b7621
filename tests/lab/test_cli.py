"""`noc lab up|status|fault|clear|down` end to end, the lab in its own process."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from noc.lab.snmp.usm import engine_id_for
from tests.lab.conftest import ROOT
from tests.lab.labfixtures import free_udp_port
from tests.peers import require_binary

pytestmark = pytest.mark.integration


def _noc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "noc.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )


def test_lab_cli_end_to_end(tmp_path: Path) -> None:
    snmpget = require_binary("snmpget")
    port = free_udp_port()
    inventory = tmp_path / "inventory.yaml"
    text = (ROOT / "inventory.yaml").read_text(encoding="utf-8")
    inventory.write_text(text.replace("snmp_port: 11161", f"snmp_port: {port}"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOC_")}
    env["NOC_DATA_DIR"] = str(tmp_path / "var")
    lab_dir = tmp_path / "var" / "lab"
    up = _noc(env, "lab", "up", "--inventory", str(inventory), "--trap-target", "none", "--no-ssh")
    try:
        assert up.returncode == 0, up.stderr + up.stdout
        assert "39 SNMP agents" in up.stdout
        envfile = lab_dir / "lab.env"
        assert stat.S_IMODE(envfile.stat().st_mode) == 0o600
        values = {
            name: shlex.split(value)[0]
            for name, _, value in (
                line.partition("=") for line in envfile.read_text().splitlines() if "=" in line
            )
        }
        secrets = {k: v for k, v in values.items() if not k.startswith(("NOC_TRAP", "NOC_REACH"))}
        assert set(secrets) == {
            "NOC_SNMP_COMMUNITY",
            "NOC_SNMP_V3_AUTH",
            "NOC_SNMP_V3_PRIV",
            "NOC_SSH_PASSWORD",
        }
        # What the NOC beside the lab needs: v3 engine IDs for traps, SNMP for reachability.
        assert json.loads(values["NOC_REACHABILITY_COLLECTORS"]) == ["snmp"]
        engine_ids = json.loads(values["NOC_TRAP_V3_ENGINE_IDS"])
        assert engine_ids["core-1"] == engine_id_for("core-1").hex()

        fault = _noc(env, "lab", "fault", "link-down", "up-dinkes")
        assert fault.returncode == 0, fault.stderr
        bad = _noc(env, "lab", "fault", "link-down", "no-such-link")
        assert bad.returncode == 1 and "no link 'no-such-link'" in bad.stderr

        status = _noc(env, "lab", "status", "--format", "json")
        assert status.returncode == 0, status.stderr
        state = json.loads(status.stdout)
        assert [f["id"] for f in state["faults"]] == ["link-down:up-dinkes"]
        assert state["links_down"] == ["up-dinkes"] and len(state["endpoints"]) == 39
        text_status = _noc(env, "lab", "status").stdout
        for value in secrets.values():
            assert value not in status.stdout + text_status + up.stdout + fault.stdout
            assert value not in (lab_dir / "lab.log").read_text()

        # the NOC side: the same credentials from lab.env reach the agents
        got = subprocess.run(
            [
                snmpget,
                "-v2c",
                "-c",
                secrets["NOC_SNMP_COMMUNITY"],
                "-On",
                "-t",
                "1",
                f"127.10.4.1:{port}",
                "1.3.6.1.4.1.318.1.1.8.5.1.2.0",
            ],
            capture_output=True,
            text=True,
            timeout=10,
        )
        assert got.stdout.strip().endswith("INTEGER: 1"), got.stderr

        cleared = _noc(env, "lab", "clear", "--all")
        assert cleared.returncode == 0 and "link-down:up-dinkes" in cleared.stdout
    finally:
        down = _noc(env, "lab", "down")
    assert down.returncode == 0 and "stopped" in down.stdout, down.stderr
    assert not (lab_dir / "lab.json").exists() and not (lab_dir / "control.sock").exists()
    after = _noc(env, "lab", "status")
    assert after.returncode == 1 and "not running" in after.stderr
