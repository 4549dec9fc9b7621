"""The ICMP collector against the kernel's own echo responder (loopback) and a silent host.

The silent host lives in a network namespace this test creates: a veth pair whose far end
has no address, so nothing answers and no packet leaves the namespace.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from collectors.icmp import IcmpCollector, IcmpConfig, Pinger
from collectors.icmp.pinger import checksum, echo_request
from noc.clock import ManualClock
from tests.peers import missing_peer, require_binary


def device(dev_id: str, address: str) -> SimpleNamespace:
    return SimpleNamespace(id=dev_id, site="dc-pusat", address=address)


def test_checksum_of_a_known_echo_request() -> None:
    packet = echo_request(0x1234, 1, b"abcd")
    # A packet carrying its own checksum sums to zero.
    assert checksum(packet) == 0
    assert packet[:2] == b"\x08\x00"


def test_loopback_answers_and_yields_samples() -> None:
    clock = ManualClock(datetime(2026, 10, 1, tzinfo=UTC))
    collector = IcmpCollector(IcmpConfig(count=2, interval_seconds=0.0), clock=clock)

    async def run() -> object:
        try:
            return await asyncio.gather(
                collector.collect(device("core-1", "127.0.0.1")),  # type: ignore[arg-type]
                collector.collect(device("core-2", "127.10.0.2")),  # type: ignore[arg-type]
            )
        finally:
            await collector.close()

    results = asyncio.run(run())
    for res, dev in zip(results, ("core-1", "core-2"), strict=True):  # type: ignore[call-overload]
        assert not res.failed, res.error
        by_metric = {s.metric: s for s in res.samples}
        assert by_metric["icmp_up"].value == 1.0
        assert by_metric["icmp_packet_loss_ratio"].value == 0.0
        assert 0.0 < by_metric["icmp_rtt_seconds"].value < 1.0
        assert by_metric["icmp_up"].labels == {"device": dev, "site": "dc-pusat"}
        assert by_metric["icmp_up"].ts == clock.now()


def test_concurrent_pings_are_matched_to_their_own_target() -> None:
    async def run() -> list[object]:
        p = Pinger()
        try:
            addrs = [f"127.10.{i}.1" for i in range(1, 21)]
            results = await asyncio.gather(*(p.ping(a, count=2, interval=0.0) for a in addrs))
            return [(r.address, r.received) for r in results]
        finally:
            p.close()

    got = asyncio.run(run())
    assert got == [(f"127.10.{i}.1", 2) for i in range(1, 21)]


_SILENT_PROBE = """
import asyncio, json, sys, time
from collectors.icmp import Pinger
async def main():
    p = Pinger()
    t0 = time.monotonic()
    silent, alive = await asyncio.gather(
        p.ping(sys.argv[1], count=2, reply_timeout=0.5, interval=0.0),
        p.ping("127.0.0.1", count=2, reply_timeout=0.5, interval=0.0),
    )
    elapsed = time.monotonic() - t0
    p.close()
    print(json.dumps({"silent": silent.received, "sent": silent.sent,
                      "alive": alive.received, "elapsed": elapsed}))
asyncio.run(main())
"""


@pytest.mark.integration
def test_silent_host_in_a_namespace_times_out_without_delaying_others() -> None:
    ip = require_binary("ip")
    if os.geteuid() != 0:
        missing_peer("root, to create a network namespace")
    ns = f"noc-icmp-{uuid.uuid4().hex[:8]}"
    subprocess.run([ip, "netns", "add", ns], check=True)
    try:
        for cmd in (
            ["link", "set", "lo", "up"],
            ["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
            ["addr", "add", "10.99.0.1/24", "dev", "v0"],
            ["link", "set", "v0", "up"],
            ["link", "set", "v1", "up"],
        ):
            subprocess.run([ip, "-n", ns, *cmd], check=True)
        out = subprocess.run(
            [ip, "netns", "exec", ns, sys.executable, "-c", _SILENT_PROBE, "10.99.0.2"],
            check=True,
            capture_output=True,
            text=True,
            timeout=30,
            cwd=os.getcwd(),
        )
        got = json.loads(out.stdout)
        assert got["sent"] == 2 and got["silent"] == 0
        assert got["alive"] == 2
        # Both targets ran side by side: two 0.5 s timeouts, not four.
        assert got["elapsed"] < 1.5
    finally:
        subprocess.run([ip, "netns", "delete", ns], check=False)
