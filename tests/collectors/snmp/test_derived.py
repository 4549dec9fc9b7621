"""Derived metrics through the collector: bits/s, utilization against the inventory link,
error rates, and no spike when the device reboots. The session here is scripted; the same
seam is exercised by real agents in tests/integration/test_snmp_recordings.py."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from collectors.base import CollectResult
from collectors.snmp import SnmpCollector
from collectors.snmp.client import SnmpTarget, Value
from noc.clock import ManualClock
from tests.collectors.snmp.helpers import inventory, v2c

IFX = "1.3.6.1.2.1.31.1.1.1"
IF = "1.3.6.1.2.1.2.2.1"


class Scripted:
    """One scripted agent state: ``values[oid] = value`` (columns include the index)."""

    def __init__(self, values: dict[str, Value]) -> None:
        self.values = values
        self.requests = 0

    async def get(self, oids: Sequence[str]) -> dict[str, Value]:
        self.requests += 1
        return {o: self.values[o] for o in oids if o in self.values}

    async def walk(self, oid: str, limit: int | None = None) -> list[tuple[str, Value]]:
        self.requests += 1
        rows = sorted(
            ((k, v) for k, v in self.values.items() if k.startswith(oid + ".")),
            key=lambda kv: tuple(int(p) for p in kv[0].split(".")),
        )
        return rows[:limit] if limit else rows

    async def close(self) -> None:
        return None


class ScriptedEngine:
    name = "scripted"

    def __init__(self, session: Scripted) -> None:
        self.s = session

    def session(self, target: SnmpTarget) -> Scripted:
        return self.s

    async def close(self) -> None:
        return None


def agent(uptime: int, in_octets: int, out_octets: int, in_errors: int) -> dict[str, Value]:
    return {
        "1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.9.1.2688",
        "1.3.6.1.2.1.1.3.0": uptime,
        f"{IFX}.1.5": b"Te1/0/1",
        f"{IF}.8.5": 1,
        f"{IFX}.15.5": 1000,  # the agent claims 1 Gbit/s; the inventory says 10G
        f"{IFX}.6.5": in_octets,
        f"{IFX}.10.5": out_octets,
        f"{IF}.14.5": in_errors,
    }


def _series(res: CollectResult, metric: str) -> list[float]:
    return [s.value for s in res.samples if s.metric == metric]


def test_rates_utilization_and_reboot() -> None:
    inv = inventory(
        [
            {"id": "core-1", "address": "127.0.0.1", "snmp": {"credentials": "c"}},
            {"id": "core-2", "address": "127.0.0.2", "snmp": {"credentials": "c"}},
        ],
        {"c": v2c("NOC_T_DERIVED", "Comm-derived")},
        links=[
            {
                "a": "core-1:Te1/0/1",
                "b": "core-2:Te1/0/1",
                "kind": "backbone",
                "capacity_bps": "10G",
                "media": "single_mode_fiber",
            }
        ],
    )
    clock = ManualClock()
    session = Scripted(agent(100_00, 1_000, 5_000, 3))
    col = SnmpCollector(inv, clock=clock, engine=ScriptedEngine(session))
    dev = inv.device("core-1")

    async def poll() -> CollectResult:
        return await col.collect(dev)

    first = asyncio.run(poll())
    assert _series(first, "if_in_bits_per_second") == []  # no rate on the first poll
    clock.advance(timedelta(seconds=60))
    session.values = agent(160_00, 1_000 + 75_000_000, 5_000 + 15_000_000, 63)
    second = asyncio.run(poll())
    assert _series(second, "if_in_bits_per_second") == [75_000_000 * 8 / 60]
    # utilization against the inventory's 10G, not the agent's ifHighSpeed
    assert _series(second, "if_in_utilization_ratio") == [75_000_000 * 8 / 60 / 10e9]
    assert _series(second, "if_in_errors_per_second") == [1.0]

    clock.advance(timedelta(seconds=60))
    session.values = agent(5_00, 200, 100, 0)  # rebooted: uptime and counters restart
    third = asyncio.run(poll())
    assert _series(third, "if_in_bits_per_second") == []
    assert _series(third, "if_in_errors_per_second") == []

    clock.advance(timedelta(seconds=60))
    session.values = agent(65_00, 200 + 600, 100, 0)
    fourth = asyncio.run(poll())
    assert _series(fourth, "if_in_bits_per_second") == [80.0]
    asyncio.run(col.close())
