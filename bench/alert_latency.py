"""Alert latency: from a fault injected in the lab to the webhook received and to the feed event.

    .venv/bin/python bench/alert_latency.py [--poll-interval 10] [--runs 5] [--group-wait 0]

Loopback only, bounded (each wait has a timeout). A real lab runs in-process, a real Runtime
polls it on its scheduler (SNMP every ``--poll-interval`` seconds, phases spread as in
production) and receives its traps; notifications go to a local HTTP server through the
webhook channel. Two faults:

- polled: ``device-down`` of an access switch, seen at the device's next SNMP poll (or
  earlier: its neighbour's port goes down too, and the lab sends that linkDown trap; the first
  page about the device or its uplink counts);
- trapped: ``utility-fail`` (genset does not start), the UPS on-battery trap.

The feed time is when the alerting service published the alert's firing to its listeners, which
is what the SSE endpoint (noc/api/feed.py) streams; the HTTP hop of SSE is not included.
Target: p95 <= poll interval + 5 s (polled), <= 2 s (trapped).

The Prometheus + snmp_exporter + Alertmanager anchor is not implemented yet (see the report).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from noc.inventory import load_inventory  # noqa: E402
from noc.lab.harness import RunningLab  # noqa: E402
from noc.lab.process import lab_defaults  # noqa: E402
from noc.lab.snmp.usm import engine_id_for  # noqa: E402
from noc.runtime import Runtime  # noqa: E402
from noc.settings import Settings  # noqa: E402

SECRET = "bench-webhook-secret-0123456789"
POLLED = ["acc-disdukcapil", "acc-dinkes", "acc-bappeda"]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Seen:
    """When each (alert key, state) was first seen, by the webhook and by the feed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hook: dict[tuple[str, str], float] = {}
        self.feed: dict[tuple[str, str], float] = {}

    def mark(self, where: dict[tuple[str, str], float], key: str, state: str) -> None:
        with self.lock:
            where.setdefault((key, state), time.monotonic())

    def forget_all(self) -> None:
        with self.lock:
            self.hook.clear()
            self.feed.clear()

    def get(self, where: dict[tuple[str, str], float], key: str, state: str) -> float | None:
        """The first time an alert whose key contains ``key`` was seen in ``state``."""
        with self.lock:
            times = [t for (k, st), t in where.items() if key in k and st == state]
            return min(times) if times else None


def start_webhook(seen: Seen) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            for alert in json.loads(raw).get("alerts", []):
                seen.mark(seen.hook, alert["key"], alert["state"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_files(tmp: Path, snmp_port: int, interval: int, hook_url: str, wait: str) -> Settings:
    data = yaml.safe_load((ROOT / "inventory.yaml").read_text(encoding="utf-8"))
    data["settings"]["snmp_port"] = snmp_port
    data["settings"]["poll_intervals"] = {"snmp": interval, "ssh": 86400, "icmp": 86400}
    for dev in data["devices"]:
        dev.pop("poll_intervals", None)
    inv = tmp / "inventory.yaml"
    inv.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    alerting = tmp / "alerting.yaml"
    alerting.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                # interval: each run's fault is a new one; the default 5 m would hold back a
                # repeat of the same group (same rule and site) within 5 minutes
                "group": {"wait": wait, "interval": "1s"},
                "retry": {"initial": "1s", "maximum": "2s", "attempts": 2},
                "channels": [
                    {
                        "name": "hook",
                        "type": "webhook",
                        "settings": {"url": hook_url, "secret": SECRET},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    inventory = load_inventory(inv)
    return Settings(
        inventory=inv,
        data_dir=tmp / "var",
        trap_port=free_udp_port(),
        trap_v3_engine_ids={
            d.id: engine_id_for(d.id).hex() for d in inventory.devices if d.snmp is not None
        },
        reachability_collectors=["snmp"],
        alerting_config=alerting,
    )


async def wait_for(
    seen: Seen, where: dict[tuple[str, str], float], key: str, state: str, limit: float
) -> float | None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        got = seen.get(where, key, state)
        if got is not None:
            return got
        await asyncio.sleep(0.02)
    return None


async def one(
    lab: RunningLab,
    seen: Seen,
    fault: tuple[str, ...],
    clear: str,
    key: str,
    limit: float,
) -> tuple[float | None, float | None]:
    seen.forget_all()
    t0 = time.monotonic()
    await asyncio.to_thread(lab.fault, *fault)
    hook = await wait_for(seen, seen.hook, key, "firing", limit)
    feed = seen.get(seen.feed, key, "firing")
    await asyncio.to_thread(lab.clear, clear)
    await wait_for(seen, seen.feed, key, "resolved", limit)
    await asyncio.sleep(1.0)
    return (
        None if hook is None else hook - t0,
        None if feed is None else feed - t0,
    )


def summary(name: str, values: list[float | None]) -> dict[str, Any]:
    got = sorted(v for v in values if v is not None)
    out: dict[str, Any] = {"fault": name, "runs": len(values), "missed": len(values) - len(got)}
    if got:
        out["p50_s"] = round(statistics.median(got), 3)
        out["p95_s"] = round(got[min(len(got) - 1, round(0.95 * (len(got) - 1)))], 3)
        out["max_s"] = round(got[-1], 3)
    return out


async def bench(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    seen = Seen()
    server = start_webhook(seen)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    snmp_port = free_udp_port()
    settings = write_files(tmp, snmp_port, args.poll_interval, url, args.group_wait)
    inventory = load_inventory(ROOT / "inventory.yaml")
    for name, value in lab_defaults(inventory, os.environ).items():
        os.environ[name] = value
    results: dict[str, Any] = {"poll_interval_s": args.poll_interval, "group_wait": args.group_wait}
    with RunningLab(
        inventory, snmp_port=snmp_port, trap_target=("127.0.0.1", settings.trap_port)
    ) as lab:
        runtime = Runtime.build(settings)
        await runtime.start()
        assert runtime.alerting is not None

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if kind == "alert":
                alert = data["alert"]
                seen.mark(seen.feed, alert["key"], alert["state"])
            if args.verbose:
                print(kind, json.dumps(data)[:200], file=sys.stderr)

        runtime.alerting.subscribe(on_event)
        try:
            await asyncio.sleep(args.poll_interval + 3)  # a first poll of everything
            timeout = 2 * args.poll_interval + 15
            polled_hook: list[float | None] = []
            polled_feed: list[float | None] = []
            for i in range(args.runs):
                dev = POLLED[i % len(POLLED)]
                await asyncio.sleep(args.poll_interval * ((i * 0.37) % 1))  # vary the phase
                h, f = await one(
                    lab,
                    seen,
                    ("device-down", dev),
                    f"device-down:{dev}",
                    # device_down, or device_unreachable behind its uplink (the neighbour's
                    # port went down with it: topology cannot tell the two apart)
                    dev.removeprefix("acc-"),
                    timeout,
                )
                polled_hook.append(h)
                polled_feed.append(f)
                print(f"polled {dev}: webhook {h} feed {f}", file=sys.stderr)
            trap_hook: list[float | None] = []
            trap_feed: list[float | None] = []
            for _ in range(args.runs):
                h, f = await one(
                    lab,
                    seen,
                    ("utility-fail", "genset=no"),
                    "utility-fail",
                    "ups_on_battery/device:ups-a",
                    timeout,
                )
                trap_hook.append(h)
                trap_feed.append(f)
                print(f"trapped: webhook {h} feed {f}", file=sys.stderr)
                await asyncio.sleep(args.poll_interval + 2)  # the UPS back on utility, polled
        finally:
            await runtime.stop()
            runtime.close()
            server.shutdown()
    target_polled = args.poll_interval + 5.0
    results["ours"] = [
        {**summary("polled device-down -> webhook", polled_hook), "target_p95_s": target_polled},
        {**summary("polled device-down -> feed", polled_feed), "target_p95_s": target_polled},
        {**summary("trapped utility-fail -> webhook", trap_hook), "target_p95_s": 2.0},
        {**summary("trapped utility-fail -> feed", trap_feed), "target_p95_s": 2.0},
    ]
    results["anchor"] = "not run: Prometheus + snmp_exporter + Alertmanager not wired yet"
    return results


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--poll-interval", type=int, default=10, help="SNMP poll interval, s")
    p.add_argument("--runs", type=int, default=5, help="faults of each kind")
    p.add_argument("--group-wait", default="0s", help="notification group wait (default 30s)")
    p.add_argument("--verbose", action="store_true", help="print every feed event")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="alert-latency-") as tmp:
        out = asyncio.run(asyncio.wait_for(bench(args, Path(tmp)), 1800))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
