"""Faults send the traps a real device would, received by net-snmp's snmptrapd."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from noc.lab.snmp.usm import engine_id_for
from noc.model import Inventory
from tests.lab.labfixtures import COMMUNITY, V3_AUTH, V3_PRIV, free_udp_port, running_lab
from tests.peers import require_binary

pytestmark = pytest.mark.integration

LINK_DOWN = ".1.3.6.1.6.3.1.1.5.3"
UPS_ON_BATTERY = ".1.3.6.1.2.1.33.2.0.1"
APC_ON_BATTERY = ".1.3.6.1.4.1.318.0.5"


def _trapd(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    binary = require_binary("snmptrapd", "/usr/sbin/snmptrapd")
    conf = tmp_path / "snmptrapd.conf"
    users = [
        f"createUser -e 0x{engine_id_for(d).hex()} noc-monitor SHA-256 {V3_AUTH} AES {V3_PRIV}"
        for d in ("core-1", "dist-r1-1")
    ]
    conf.write_text(
        "\n".join([f"authCommunity log {COMMUNITY}", *users, "authUser log noc-monitor"]) + "\n"
    )
    proc = subprocess.Popen(
        [binary, "-f", "-Lo", "-On", "-m", "", "-C", "-c", str(conf), f"udp:127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"SNMP_PERSISTENT_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    time.sleep(0.6)  # let it bind
    assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
    return proc


def test_faults_send_traps(demo_inventory: Inventory, tmp_path: Path) -> None:
    port = free_udp_port()
    trapd = _trapd(tmp_path, port)
    try:
        with running_lab(demo_inventory, trap_target=("127.0.0.1", port)) as (lab, _):
            sent = lab.fault("link-down", "r1-1")["traps"]
            sent += lab.fault("utility-fail")["traps"]
            assert sent == 2 + 3  # two linkDown; UPS-MIB on both UPSes and APC's on ups-a
            time.sleep(0.8)
    finally:
        trapd.terminate()
        out, _ = trapd.communicate(timeout=10)
    assert out.count(LINK_DOWN) == 2, out
    assert "127.10.0.1" in out and "127.10.1.1" in out  # sent from the devices' addresses
    assert out.count(UPS_ON_BATTERY) == 2 and APC_ON_BATTERY in out
    assert "127.10.4.3" in out and "127.10.4.4" in out
