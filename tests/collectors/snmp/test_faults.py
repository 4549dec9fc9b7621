"""Broken agents never block other devices and never crash the poller."""

from __future__ import annotations

import asyncio
import time

import pytest

from collectors.base import CollectResult
from collectors.snmp import SnmpCollector, SnmpConfig
from tests.collectors.snmp import broken_agent
from tests.collectors.snmp.helpers import inventory, v2c

MODES = ["silent", "garbage", "nosuch", "loop", "good"]


@pytest.mark.parametrize("engine", ["gufo", "pysnmp"])
def test_broken_agents_do_not_block_or_crash(engine: str) -> None:
    async def run() -> dict[str, tuple[CollectResult, float]]:
        servers = {m: await broken_agent.start(m) for m in MODES}
        inv = inventory(
            [
                {
                    "id": m,
                    "address": "127.0.0.1",
                    "snmp": {"credentials": "c", "port": servers[m][1]},
                }
                for m in MODES
            ],
            {"c": v2c("NOC_T_BROKEN", "Comm-0f-broken")},
        )
        col = SnmpCollector(inv, SnmpConfig(timeout_seconds=0.5, retries=1, engine=engine))
        t0 = time.monotonic()

        async def one(dev_id: str) -> tuple[str, tuple[CollectResult, float]]:
            res = await col.collect(inv.device(dev_id))
            return dev_id, (res, time.monotonic() - t0)

        try:
            return dict(await asyncio.gather(*(one(m) for m in MODES)))
        finally:
            await col.close()
            for transport, _ in servers.values():
                transport.close()

    results = asyncio.run(asyncio.wait_for(run(), 30))
    good, good_at = results["good"]
    assert not good.failed, good.error
    silent_at = results["silent"][1]
    assert silent_at >= 1.0  # two tries of 0.5 s
    assert good_at < silent_at - 0.2  # the good device was not held up by the silent one
    states = sorted(s.labels["state"] for s in good.samples if s.metric == "if_oper_status")
    assert states == ["down", "up"]

    silent, _ = results["silent"]
    assert silent.failed and silent.error_kind == "timeout" and silent.answered is False

    garbage, _ = results["garbage"]
    assert garbage.failed and garbage.answered is not None
    assert garbage.error_kind in {"protocol", "timeout"}

    nosuch, _ = results["nosuch"]
    assert not nosuch.failed  # answered, with nothing to say
    assert {s.metric for s in nosuch.samples} <= {"snmp_up", "snmp_poll_duration_seconds"}

    loop, _ = results["loop"]  # an agent that never advances: the walk stops, no hang
    assert loop.error_kind in {None, "protocol"}
    for res, _ in results.values():
        assert "Comm-0f-broken" not in (res.error or "")
