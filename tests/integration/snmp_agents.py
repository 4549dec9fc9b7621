"""Real SNMP agents for integration tests: snmpsim serving the lab recordings, net-snmp snmpd."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.peers import missing_peer, require_binary


def free_udp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def snmpsim_binary() -> str:
    beside = Path(sys.executable).parent / "snmpsim-command-responder"
    if beside.exists():
        return str(beside)
    return require_binary("snmpsim-command-responder")


def _answers(port: int, community: str, deadline: float) -> bool:
    getter = shutil.which("snmpget")
    while time.monotonic() < deadline:
        if getter:
            r = subprocess.run(
                [
                    getter,
                    "-v2c",
                    "-c",
                    community,
                    "-t",
                    "0.5",
                    "-r",
                    "0",
                    f"127.0.0.1:{port}",
                    "1.3.6.1.2.1.1.2.0",
                ],
                capture_output=True,
                timeout=5,
            )
            if r.returncode == 0:
                return True
        else:
            time.sleep(2.0)
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def snmpsim(data_dir: Path, tmp: Path, probe_community: str) -> Iterator[int]:
    """snmpsim on a free loopback port serving ``data_dir``; yields the port."""
    if not data_dir.is_dir():
        missing_peer(f"recordings in {data_dir}")
    binary = snmpsim_binary()
    port = free_udp_port()
    cmd = [binary]
    if os.geteuid() == 0:  # snmpsim refuses to run as root without a user to run as
        user = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
        cmd += [f"--process-user={user}", f"--process-group={group}"]
    cmd += [
        f"--cache-dir={tmp / 'snmpsim-cache'}",
        "--v3-engine-id=auto",
        f"--data-dir={data_dir}",
        f"--agent-udpv4-endpoint=127.0.0.1:{port}",
        "--v3-user=simulator",
        "--v3-auth-key=auctoritas",
        "--v3-auth-proto=SHA",
        "--v3-priv-key=privatus",
        "--v3-priv-proto=AES",
    ]
    log = (tmp / "snmpsim.log").open("w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not _answers(port, probe_community, time.monotonic() + 30):
            raise RuntimeError(
                f"snmpsim did not answer: {(tmp / 'snmpsim.log').read_text()[-2000:]}"
            )
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


SNMPD_CONF = """\
createUser {user} {auth} {auth_key} {priv} {priv_key}
rouser {user} priv
rocommunity {community} 127.0.0.1
sysLocation noc-test
sysContact noc-test
"""


@contextlib.contextmanager
def snmpd(
    tmp: Path, *, user: str, auth: str, auth_key: str, priv: str, priv_key: str, community: str
) -> Iterator[int]:
    """A private net-snmp snmpd on a free loopback port (not the system service)."""
    binary = require_binary("snmpd", "/usr/sbin/snmpd")
    port = free_udp_port()
    conf = tmp / "snmpd.conf"
    conf.write_text(
        SNMPD_CONF.format(
            port=port,
            user=user,
            auth=auth,
            auth_key=auth_key,
            priv=priv,
            priv_key=priv_key,
            community=community,
        )
    )
    persist = tmp / "snmpd-persist"
    persist.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [
            binary,
            "-f",
            "-Lf",
            str(tmp / "snmpd.log"),
            "-C",
            "-c",
            str(conf),
            "-p",
            str(tmp / "snmpd.pid"),
            f"udp:127.0.0.1:{port}",
        ],
        env={**os.environ, "SNMP_PERSISTENT_DIR": str(persist), "MIBS": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not _answers(port, community, time.monotonic() + 15):
            raise RuntimeError(f"snmpd did not answer: {(tmp / 'snmpd.log').read_text()[-2000:]}")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
