"""net-snmp snmpd in a network namespace of the benchmark's own, with veth pairs as ports.

Shared by bench/snmp_poll.py and bench/fleet.py: the namespace is made and removed by the
benchmark, so no traffic leaves it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def sh(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=check, text=True, capture_output=True)


def start_snmpd(
    ns: str,
    tmp: Path,
    *,
    veth_pairs: int,
    prefix: str,
    rocommunity: str,
    listen: str,
    ready: Callable[[], bool],
) -> subprocess.Popen[bytes]:
    """Make ``ns`` with ``veth_pairs`` pairs up, start snmpd on ``listen``, wait for ``ready``."""
    sh("ip", "netns", "add", ns)
    sh("ip", "-n", ns, "link", "set", "lo", "up")
    batch = tmp / "links.batch"
    batch.write_text(
        "".join(
            f"link add {prefix}{i}a type veth peer name {prefix}{i}b\n" for i in range(veth_pairs)
        )
        + "".join(f"link set {prefix}{i}{s} up\n" for i in range(veth_pairs) for s in "ab")
    )
    sh("ip", "-n", ns, "-batch", str(batch))
    conf = tmp / "snmpd.conf"
    conf.write_text(f"rocommunity {rocommunity}\n")
    snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
    proc = subprocess.Popen(
        ["ip", "netns", "exec", ns, snmpd, "-f", "-C", "-c", str(conf),
         "-Lf", str(tmp / "snmpd.log"), "-p", str(tmp / "snmpd.pid"), f"udp:{listen}"],
        env={**os.environ, "MIBS": "", "SNMP_PERSISTENT_DIR": str(tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        if ready():
            return proc
        time.sleep(0.1)
    stop_snmpd(ns, proc)
    raise SystemExit(f"snmpd did not start: {(tmp / 'snmpd.log').read_text()[-1000:]}")


def stop_snmpd(ns: str, proc: subprocess.Popen[bytes] | None) -> None:
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
    sh("ip", "netns", "del", ns, check=False)
