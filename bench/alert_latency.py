"""Alert latency: from a fault injected in the lab to the webhook received and to the feed event.

    .venv/bin/python bench/alert_latency.py [--runs 5 | --quick] [--poll-interval 10]
                                            [--group-wait 0s] [--no-anchor] [--seed 6]

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

The anchor (bench/alert_anchor.py): the same utility failure seen by Prometheus +
snmp_exporter + Alertmanager from Debian, all at their defaults (scrape and evaluation every
1 m, group_wait 30 s), a fresh stack per run. Two anchor times: Prometheus holds the alert
firing (polled on its API every 0.2 s; compare with our feed) and Alertmanager's webhook
arrived (compare with our webhook).

Runs are paced so each is a new fault, not a repeat: a fault that comes back sooner than the
rules' flap settings allow is reported as flapping, paged once (alerting/rule_model.py
``Flap.quiet_spacing``: 5 minutes for the shipped rules). Each of ``--runs`` cycles makes one
utility failure (ours and the anchor's) and one device-down per access switch in POLLED, so a
cycle lasts the quiet spacing plus a random phase: 5 cycles (the default) take about 28
minutes, ``--quick`` (2 cycles) about 9; ``--no-anchor`` saves little, the pacing dominates.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alert_anchor import AnchorError, AnchorStack, missing_binaries  # noqa: E402 (bench/)

from alerting.rule_model import RuleSet  # noqa: E402
from noc.inventory import load_inventory  # noqa: E402
from noc.lab.harness import RunningLab  # noqa: E402
from noc.lab.process import lab_defaults  # noqa: E402
from noc.lab.snmp.usm import engine_id_for  # noqa: E402
from noc.runtime import Runtime  # noqa: E402
from noc.settings import Settings  # noqa: E402

SECRET = "bench-webhook-secret-0123456789"
POLLED = ["acc-disdukcapil", "acc-dinkes", "acc-bappeda"]
UPS = "ups-a"
UPS_KEY = f"ups_on_battery/device:{UPS}"
ANCHOR_TIMEOUT_S = 240.0  # scrape 60 + evaluation 60 + group_wait 30, with room
PACE_MARGIN_S = 10.0


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Seen:
    """When each (alert key, state) was first seen: by our webhook, our feed, the anchor's."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hook: dict[tuple[str, str], float] = {}
        self.feed: dict[tuple[str, str], float] = {}
        self.anchor: dict[tuple[str, str], float] = {}

    def mark(self, where: dict[tuple[str, str], float], key: str, state: str) -> None:
        with self.lock:
            where.setdefault((key, state), time.monotonic())

    def forget(self, where: dict[tuple[str, str], float]) -> None:
        with self.lock:
            where.clear()

    def get(self, where: dict[tuple[str, str], float], key: str, state: str) -> float | None:
        """The first time an alert whose key contains ``key`` was seen in ``state``."""
        with self.lock:
            times = [t for (k, st), t in where.items() if key in k and st == state]
            return min(times) if times else None


def start_webhook(seen: Seen) -> ThreadingHTTPServer:
    """``/noc``: our webhook channel's body; ``/am``: Alertmanager's webhook body."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = json.loads(raw)
            for alert in body.get("alerts", []):
                if self.path == "/am":
                    seen.mark(seen.anchor, alert["labels"].get("instance", ""), alert["status"])
                else:
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
                # interval: a run's resolved page must not hold back the next run's firing of
                # the same group (rule and site) for 5 minutes; the anchor gets a fresh
                # Alertmanager per run for the same reason
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


def quiet_spacing(rules: RuleSet) -> float:
    """How far apart two faults must start to be paged each (the largest over the rules)."""
    spacings = [r.flap.quiet_spacing() for r in rules.rules]
    return max((s for s in spacings if s is not None), default=timedelta(0)).total_seconds()


async def until(
    check: Callable[[], float | None], limit: float, step: float = 0.02
) -> float | None:
    """Poll ``check`` (a time, or None while not yet) for at most ``limit`` seconds."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        got = check()
        if got is not None:
            return got
        await asyncio.sleep(step)
    return None


def since(t0: float, t: float | None) -> float | None:
    return None if t is None else t - t0


async def polled_run(
    lab: RunningLab, seen: Seen, dev: str, limit: float
) -> tuple[float | None, float | None]:
    seen.forget(seen.hook)
    seen.forget(seen.feed)
    # device_down, or device_unreachable behind its uplink (the neighbour's port went down
    # with it: topology cannot tell the two apart)
    key = dev.removeprefix("acc-")
    t0 = time.monotonic()
    await asyncio.to_thread(lab.fault, "device-down", dev)
    hook = await until(lambda: seen.get(seen.hook, key, "firing"), limit)
    feed = seen.get(seen.feed, key, "firing")
    await asyncio.to_thread(lab.clear, f"device-down:{dev}")
    await until(lambda: seen.get(seen.feed, key, "resolved"), limit)
    return since(t0, hook), since(t0, feed)


async def trapped_run(
    lab: RunningLab,
    seen: Seen,
    stack: AnchorStack | None,
    target: str,
    limit: float,
) -> dict[str, float | None]:
    """One utility failure: ours (trap) and, if ``stack``, the anchor's (poll)."""
    for where in (seen.hook, seen.feed, seen.anchor):
        seen.forget(where)
    t0 = time.monotonic()
    await asyncio.to_thread(lab.fault, "utility-fail", "genset=no")
    hook = await until(lambda: seen.get(seen.hook, UPS_KEY, "firing"), limit)
    feed = seen.get(seen.feed, UPS_KEY, "firing")
    anchor_hook = prom = None
    if stack is not None:  # the fault stays until the anchor has paged, or its timeout
        deadline = t0 + ANCHOR_TIMEOUT_S
        watch = asyncio.create_task(asyncio.to_thread(stack.wait_firing, target, deadline))
        anchor_hook = await until(
            lambda: seen.get(seen.anchor, target, "firing"), deadline - time.monotonic()
        )
        prom = await watch
    await asyncio.to_thread(lab.clear, "utility-fail")
    await until(lambda: seen.get(seen.feed, UPS_KEY, "resolved"), limit)
    return {
        "hook": since(t0, hook),
        "feed": since(t0, feed),
        "anchor_prometheus": since(t0, prom),
        "anchor_hook": since(t0, anchor_hook),
    }


async def start_anchor(workdir: Path, targets: list[str], community: str, url: str) -> AnchorStack:
    """A fresh anchor stack that has scraped every UPS once."""
    stack = AnchorStack(workdir, targets, community, url)
    try:
        await asyncio.to_thread(stack.start)
        if not await asyncio.to_thread(stack.wait_scraped, 150.0):
            raise AnchorError("Prometheus did not scrape the UPS agents within 150 s")
    except BaseException:
        await asyncio.to_thread(stack.stop)
        raise
    return stack


def summary(name: str, values: list[float | None], target: float | None = None) -> dict[str, Any]:
    got = sorted(v for v in values if v is not None)
    out: dict[str, Any] = {"what": name, "runs": len(values), "missed": len(values) - len(got)}
    if got:
        out["p50_s"] = round(statistics.median(got), 3)
        out["p95_s"] = round(got[max(0, math.ceil(0.95 * len(got)) - 1)], 3)  # nearest rank
        out["max_s"] = round(got[-1], 3)
    if target is not None:
        out["target_p95_s"] = target
        out["target_met"] = bool(got) and out["missed"] == 0 and out["p95_s"] <= target
    return out


def ratio(anchor: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """How many times sooner we are than the anchor, at p50 and p95."""
    out: dict[str, Any] = {"ours": ours["what"], "anchor": anchor["what"]}
    for p in ("p50_s", "p95_s"):
        if p in anchor and p in ours and ours[p] > 0:
            out[f"anchor_over_ours_{p[:3]}"] = round(anchor[p] / ours[p], 1)
    return out


async def bench(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    started = time.monotonic()
    rng = random.Random(args.seed)
    seen = Seen()
    server = start_webhook(seen)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    snmp_port = free_udp_port()
    settings = write_files(tmp, snmp_port, args.poll_interval, f"{base}/noc", args.group_wait)
    inventory = load_inventory(ROOT / "inventory.yaml")
    for name, value in lab_defaults(inventory, os.environ).items():
        os.environ[name] = value
    community = os.environ["NOC_SNMP_COMMUNITY"]
    ups_targets = [f"{d.address}:{snmp_port}" for d in inventory.devices if d.role.value == "ups"]
    ups_target = next(f"{d.address}:{snmp_port}" for d in inventory.devices if d.id == UPS)
    limit = 2 * args.poll_interval + 15
    polled_hook: list[float | None] = []
    polled_feed: list[float | None] = []
    trapped: list[dict[str, float | None]] = []
    with RunningLab(
        inventory, snmp_port=snmp_port, trap_target=("127.0.0.1", settings.trap_port)
    ) as lab:
        runtime = Runtime.build(settings)
        await runtime.start()
        assert runtime.alerting is not None
        pace = quiet_spacing(runtime.alerting.engine.rules) + PACE_MARGIN_S

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if kind == "alert":
                alert = data["alert"]
                seen.mark(seen.feed, alert["key"], alert["state"])
                watched = [UPS_KEY, *(d.removeprefix("acc-") for d in POLLED)]
                if alert["state"] == "flapping" and any(w in alert["key"] for w in watched):
                    flapping.add(alert["key"])  # a run was a repeat, not a new fault
            if args.verbose:
                print(kind, json.dumps(data)[:200], file=sys.stderr)

        flapping: set[str] = set()
        runtime.alerting.subscribe(on_event)
        try:
            await asyncio.sleep(args.poll_interval + 3)  # a first poll of everything
            last_fault: float | None = None
            for cycle in range(args.runs):
                stack = None
                if not args.no_anchor:  # started while the pace runs out
                    stack = await start_anchor(
                        tmp / f"anchor-{cycle}", ups_targets, community, f"{base}/am"
                    )
                try:
                    if last_fault is not None:  # a new utility failure, not a repeat (flap)
                        await asyncio.sleep(max(0.0, last_fault + pace - time.monotonic()))
                    phase = args.poll_interval if stack is None else 60.0  # scrape interval
                    await asyncio.sleep(rng.uniform(0, phase))  # the fault's phase vs the polls
                    last_fault = time.monotonic()
                    got = await trapped_run(lab, seen, stack, ups_target, limit)
                finally:
                    if stack is not None:
                        await asyncio.to_thread(stack.stop)
                trapped.append(got)
                print(f"cycle {cycle + 1}/{args.runs} trapped: {got}", file=sys.stderr)
                for dev in POLLED:
                    await asyncio.sleep(rng.uniform(0, args.poll_interval))  # vary the phase
                    h, f = await polled_run(lab, seen, dev, limit)
                    polled_hook.append(h)
                    polled_feed.append(f)
                    print(f"cycle {cycle + 1} polled {dev}: webhook {h} feed {f}", file=sys.stderr)
        finally:
            await runtime.stop()
            runtime.close()
            server.shutdown()
    target_polled = args.poll_interval + 5.0
    ours = {
        "polled_hook": summary("polled device-down -> our webhook", polled_hook, target_polled),
        "polled_feed": summary("polled device-down -> our feed", polled_feed, target_polled),
        "trapped_hook": summary(
            "trapped utility-fail -> our webhook", [t["hook"] for t in trapped], 2.0
        ),
        "trapped_feed": summary(
            "trapped utility-fail -> our feed", [t["feed"] for t in trapped], 2.0
        ),
    }
    results: dict[str, Any] = {
        "poll_interval_s": args.poll_interval,
        "group_wait": args.group_wait,
        "runs": args.runs,
        "pace_s": round(pace, 1),
        "ours": list(ours.values()),
        "flapping_alerts": sorted(flapping),  # of the faults above: none when each was new
    }
    if args.no_anchor:
        results["anchor"] = "not run (--no-anchor)"
    else:
        prom = summary(
            "utility-fail -> Prometheus alert firing (anchor)",
            [t["anchor_prometheus"] for t in trapped],
        )
        am = summary(
            "utility-fail -> Alertmanager webhook (anchor)", [t["anchor_hook"] for t in trapped]
        )
        results["anchor"] = [prom, am]
        results["ratios"] = [
            ratio(am, ours["trapped_hook"]),
            ratio(prom, ours["trapped_feed"]),
            ratio(am, ours["polled_hook"]),
            ratio(prom, ours["polled_feed"]),
        ]
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    return results


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--poll-interval", type=int, default=10, help="SNMP poll interval, s")
    p.add_argument("--runs", type=int, default=5, help="cycles (one of each fault), ~5.5 min each")
    p.add_argument("--quick", action="store_true", help="2 cycles (about 9 minutes)")
    p.add_argument("--group-wait", default="0s", help="our notification group wait (default 30s)")
    p.add_argument("--no-anchor", action="store_true", help="skip Prometheus + Alertmanager")
    p.add_argument("--seed", type=int, default=6, help="seed of the fault phases")
    p.add_argument("--verbose", action="store_true", help="print every feed event")
    args = p.parse_args()
    if args.quick:
        args.runs = 2
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if not args.no_anchor and missing_binaries():
        p.error(
            "the anchor needs " + ", ".join(missing_binaries()) + " (Debian packages "
            "prometheus, prometheus-snmp-exporter, prometheus-alertmanager); or --no-anchor"
        )
    budget = args.runs * 600 + 300
    with tempfile.TemporaryDirectory(prefix="alert-latency-") as tmp:
        out = asyncio.run(asyncio.wait_for(bench(args, Path(tmp)), budget))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
