"""SSH poll benchmark: many simulated switches polled in parallel, against a plain-paramiko anchor.

    .venv/bin/python bench/ssh_poll.py [--devices 60] [--platform cisco_ios] [--sessions 16]

The lab's SSH simulators (noc.lab.ssh, one listener per device on 127.0.0.1) run in a child
process, so this process's CPU time is the poller's alone. Two passes over the same devices
with the same concurrency (a thread pool of --sessions):

- anchor: paramiko connect + log in + one ``exec`` command + read + close, per device;
- collector: ``SshCollector.collect`` per device (netmiko interactive shell, session set-up,
  every command of the platform's profile, parsing, samples and neighbors).

Prints devices per minute and CPU milliseconds per device for both, and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import paramiko  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from collectors.ssh.collector import SshCollector, SshConfig  # noqa: E402
from noc.lab.ssh.server import Endpoint, LabSshServers  # noqa: E402
from noc.lab.ssh.static import StaticLab, switch  # noqa: E402
from noc.model import Inventory  # noqa: E402

USER, PASSWORD = "bench", "bench-pw-71c2"
NAMES = {
    "cisco_ios": [f"Te1/0/{i}" for i in range(1, 9)],
    "cisco_nxos": [f"Ethernet1/{i}" for i in range(1, 9)],
    "arista_eos": [f"Ethernet{i}" for i in range(1, 9)],
    "juniper_junos": [f"xe-0/0/{i}" for i in range(8)],
    "huawei_vrp": [f"XGigabitEthernet0/0/{i}" for i in range(1, 9)],
}


def serve(platform: str, base_port: int, count: int, ready: multiprocessing.Event) -> None:  # type: ignore[valid-type]
    lab = StaticLab([switch(f"sw{i}", platform, NAMES[platform]) for i in range(count)])
    eps = [Endpoint(f"sw{i}", "127.0.0.1", base_port + i) for i in range(count)]

    async def main() -> None:
        servers = LabSshServers(lab, eps, USER, SecretStr(PASSWORD))
        await servers.start()
        ready.set()  # type: ignore[attr-defined]
        await asyncio.sleep(3600)

    asyncio.run(main())


def anchor_one(port: int) -> None:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port, USER, PASSWORD, allow_agent=False, look_for_keys=False)
    try:
        _in, out, _err = client.exec_command("show version", timeout=30)
        out.read()
    finally:
        client.close()


def measure(label: str, count: int, fn: object) -> tuple[float, float]:
    cpu0, t0 = time.process_time(), time.monotonic()
    fn()  # type: ignore[operator]
    wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
    print(
        f"{label:<10} {count} devices in {wall:6.2f} s: {count / wall * 60:8.0f} devices/min, "
        f"CPU {cpu / count * 1000:7.1f} ms/device"
    )
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=60)
    ap.add_argument("--platform", default="cisco_ios", choices=sorted(NAMES))
    ap.add_argument("--sessions", type=int, default=16)
    ap.add_argument("--base-port", type=int, default=21000)
    args = ap.parse_args()
    n, base = args.devices, args.base_port
    ready = multiprocessing.Event()
    child = multiprocessing.Process(target=serve, args=(args.platform, base, n, ready), daemon=True)
    child.start()
    try:
        if not ready.wait(60):
            print("lab SSH servers did not start", file=sys.stderr)
            return 1
        ports = [base + i for i in range(n)]
        print(
            f"{n} simulated {args.platform} switches, {args.sessions} sessions at once, "
            f"{os.cpu_count()} CPUs"
        )

        def anchor() -> None:
            with ThreadPoolExecutor(args.sessions) as pool:
                list(pool.map(anchor_one, ports))

        os.environ["BENCH_SSH_PASSWORD"] = PASSWORD
        inv = Inventory.model_validate(
            {
                "version": 1,
                "city": "Bench",
                "credentials": {
                    "b": {"type": "ssh", "username": USER, "password": "env:BENCH_SSH_PASSWORD"}
                },
                "sites": [{"id": "dc", "name": "DC", "kind": "data_center"}],
                "devices": [
                    {
                        "id": f"sw{i}",
                        "site": "dc",
                        "role": "access_switch",
                        "platform": args.platform,
                        "address": "127.0.0.1",
                        "ssh": {"credentials": "b", "port": p},
                    }
                    for i, p in enumerate(ports)
                ],
            }
        )
        cfg = SshConfig(max_sessions=args.sessions, known_hosts=None, use_napalm=False)

        def collect() -> None:
            collector = SshCollector(inv, cfg)

            async def go() -> None:
                try:
                    results = await asyncio.gather(*(collector.collect(d) for d in inv.devices))
                finally:
                    await collector.close()
                bad = [r for r in results if r.failed]
                if bad:
                    raise SystemExit(f"{len(bad)} polls failed, first: {bad[0].error}")

            asyncio.run(go())

        anchor_one(ports[0])  # warm-up (imports, key exchange code paths)
        a_wall, a_cpu = measure("anchor", n, anchor)
        c_wall, c_cpu = measure("collector", n, collect)
        commands = len(SshCollector(inv, cfg).profiles[args.platform].commands)
        print(
            f"ratio collector/anchor: wall {c_wall / a_wall:.2f}x, CPU {c_cpu / a_cpu:.2f}x "
            f"(the collector runs {commands} commands a poll, the anchor 1)"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the poller {rss:.0f} MiB")
    finally:
        child.terminate()
        child.join(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
