"""SNMP walk benchmark: the poller's engines against net-snmp ``snmpbulkwalk -Cr50``, one run.

    .venv/bin/python bench/snmp_poll.py [--interfaces 300] [--repeat 5]     (as root)

Creates a network namespace with N veth pairs (2N interfaces + lo), runs net-snmp snmpd inside
it, and walks the same subtree (ifTable, then ifXTable) with: gufo-snmp (the polling engine),
pysnmp 7 asyncio (the other engine), and snmpbulkwalk -Cr50 (the anchor). Each walker runs
inside the namespace as its own process; CPU is the walker process's user+system time. Request
PDUs per walk are read from snmpd's own snmpInPkts counter (the same way for every walker) and,
for the Python engines, from the client's request count too. The namespace and snmpd are
removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from netns_snmpd import sh, start_snmpd, stop_snmpd  # noqa: E402  (bench/, the script's folder)

NS = f"nocbench{os.getpid()}"
PORT = 16161
COMMUNITY = "bench-community"
WALKS = {"ifTable": "1.3.6.1.2.1.2.2", "ifXTable": "1.3.6.1.2.1.31.1.1"}
IN_PKTS = "1.3.6.1.2.1.11.1.0"


def in_pkts() -> int:
    out = sh(
        "ip",
        "netns",
        "exec",
        NS,
        "snmpget",
        "-v2c",
        "-c",
        COMMUNITY,
        "-Oqv",
        f"127.0.0.1:{PORT}",
        IN_PKTS,
    ).stdout
    return int(out.split()[0])


def netsnmp_walk(oid: str, repeat: int) -> dict[str, float]:
    cpu = varbinds = pdus = 0.0
    for _ in range(repeat):
        before = in_pkts()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = sh(
            "ip",
            "netns",
            "exec",
            NS,
            "snmpbulkwalk",
            "-v2c",
            "-c",
            COMMUNITY,
            "-On",
            "-Cr50",
            f"127.0.0.1:{PORT}",
            oid,
        ).stdout
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        pdus += in_pkts() - before - 1  # the second snmpget counts itself
        cpu += (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        varbinds += sum(1 for line in out.splitlines() if line.startswith(".1."))
    return {"cpu": cpu, "varbinds": varbinds, "pdus": pdus, "client_requests": pdus}


def python_walk(engine: str, oid: str, repeat: int) -> dict[str, float]:
    cmd = [
        "ip",
        "netns",
        "exec",
        NS,
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--oid",
        oid,
        "--repeat",
        str(repeat),
    ]
    # the worker reads snmpInPkts itself before and after each walk, as netsnmp_walk does
    res: dict[str, float] = json.loads(sh(*cmd).stdout)
    return res


async def _worker(engine_name: str, oid: str, repeat: int) -> dict[str, float]:
    from collectors.snmp.client import SnmpAuth, SnmpTarget
    from collectors.snmp.engines import make_engine

    engine = make_engine(engine_name)
    target = SnmpTarget(
        "127.0.0.1",
        PORT,
        SnmpAuth("v2c", community=COMMUNITY),
        timeout=5,
        retries=1,
        max_repetitions=50,
    )
    session = engine.session(target)
    await session.get([IN_PKTS])  # warm-up: imports, socket, engine
    cpu = varbinds = pdus = 0.0
    requests0 = session.requests
    for _ in range(repeat):
        got = await session.get([IN_PKTS])
        before = int(got[IN_PKTS])  # type: ignore[arg-type]
        t0 = time.process_time()
        rows = await session.walk(oid)
        cpu += time.process_time() - t0
        varbinds += len(rows)
        got = await session.get([IN_PKTS])
        pdus += int(got[IN_PKTS]) - before - 1  # type: ignore[arg-type]
    client_requests = session.requests - requests0 - 2 * repeat
    await session.close()
    await engine.close()
    return {"cpu": cpu, "varbinds": varbinds, "pdus": pdus, "client_requests": client_requests}


def setup(interfaces: int, tmp: Path) -> subprocess.Popen[bytes]:
    def answers() -> bool:
        try:
            in_pkts()
        except (subprocess.CalledProcessError, ValueError, IndexError):
            return False
        return True

    return start_snmpd(
        NS,
        tmp,
        veth_pairs=interfaces,
        prefix="nb",
        rocommunity=f"{COMMUNITY} 127.0.0.1",
        listen=f"127.0.0.1:{PORT}",
        ready=answers,
    )


def teardown(proc: subprocess.Popen[bytes] | None) -> None:
    stop_snmpd(NS, proc)


def report(name: str, walk: str, r: dict[str, float], anchor: dict[str, float]) -> str:
    rate = r["varbinds"] / r["cpu"] if r["cpu"] else float("inf")
    base = anchor["varbinds"] / anchor["cpu"] if anchor["cpu"] else float("inf")
    return (
        f"{walk:<9} {name:<22} {r['varbinds']:>8.0f} vb {r['cpu']:>7.3f} s CPU "
        f"{rate:>10.0f} vb/CPU-s  x{rate / base:>5.2f} of net-snmp   "
        f"PDUs/walk {r['pdus'] / REPEAT:>6.1f} (x{r['pdus'] / anchor['pdus']:.2f})"
    )


REPEAT = 10


def main() -> int:
    global REPEAT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--interfaces", type=int, default=300, help="veth pairs (2 interfaces each)")
    ap.add_argument("--repeat", type=int, default=10, help="walks per tool and subtree")
    ap.add_argument("--worker", choices=("gufo", "pysnmp"), help=argparse.SUPPRESS)
    ap.add_argument("--oid", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(_worker(args.worker, args.oid, args.repeat))))
        return 0
    REPEAT = args.repeat
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("snmpbulkwalk"):
        print("needs root, iproute2 (ip netns) and net-snmp (snmpd, snmpbulkwalk)")
        return 2
    proc = None
    with tempfile.TemporaryDirectory(prefix="nocbench") as tmp:
        try:
            proc = setup(args.interfaces, Path(tmp))
            print(
                f"snmpd in namespace {NS}: {2 * args.interfaces + 1} interfaces; "
                f"{args.repeat} walks per tool; max-repetitions 50 everywhere"
            )
            ok = True
            for walk, oid in WALKS.items():
                anchor = netsnmp_walk(oid, args.repeat)
                print(report("snmpbulkwalk -Cr50", walk, anchor, anchor))
                for engine in ("gufo", "pysnmp"):
                    r = python_walk(engine, oid, args.repeat)
                    label = "gufo-snmp (poller)" if engine == "gufo" else "pysnmp 7 asyncio"
                    print(report(label, walk, r, anchor))
                    if engine == "gufo":
                        speed = (r["varbinds"] / r["cpu"]) / (anchor["varbinds"] / anchor["cpu"])
                        ok = ok and speed >= 0.5 and r["pdus"] <= 1.1 * anchor["pdus"]
                        ok = ok and r["varbinds"] == anchor["varbinds"]
            print(
                "targets (>= 0.5x varbinds/CPU-s, <= 1.1x PDUs, same varbinds):",
                "MET" if ok else "NOT MET",
            )
        finally:
            teardown(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
