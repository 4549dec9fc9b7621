"""pysnmp (the platform's SNMP library) reads the lab too: v3 walk, v2c get after a fault."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from pysnmp.hlapi.v3arch.asyncio import (  # type: ignore[import-untyped]
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_walk_cmd,
    get_cmd,
    usmAesCfb128Protocol,
    usmHMAC192SHA256AuthProtocol,
)

from noc.lab.harness import RunningLab
from noc.model import Inventory
from tests.lab.labfixtures import COMMUNITY, V3_AUTH, V3_PRIV, running_lab


@pytest.fixture(scope="module")
def lab(demo_inventory: Inventory) -> Iterator[tuple[RunningLab, int]]:
    with running_lab(demo_inventory) as running:
        yield running


async def _walk(port: int, address: str, oid: str) -> list[tuple[str, Any]]:
    engine = SnmpEngine()
    user = UsmUserData(
        "noc-monitor",
        V3_AUTH,
        V3_PRIV,
        authProtocol=usmHMAC192SHA256AuthProtocol,
        privProtocol=usmAesCfb128Protocol,
    )
    target = await UdpTransportTarget.create((address, port), timeout=2, retries=1)
    out: list[tuple[str, Any]] = []
    async for err, status, _idx, binds in bulk_walk_cmd(
        engine,
        user,
        target,
        ContextData(),
        0,
        25,
        ObjectType(ObjectIdentity(oid)),
        lexicographicMode=False,
    ):
        assert err is None and not status, (err, status)
        out.extend((str(b[0]), b[1]) for b in binds)
    engine.close_dispatcher()
    return out


async def _get(port: int, address: str, *oids: str) -> list[Any]:
    engine = SnmpEngine()
    target = await UdpTransportTarget.create((address, port), timeout=2, retries=1)
    err, status, _idx, binds = await get_cmd(
        engine,
        CommunityData(COMMUNITY),
        target,
        ContextData(),
        *(ObjectType(ObjectIdentity(oid)) for oid in oids),
    )
    engine.close_dispatcher()
    assert err is None and not status, (err, status)
    return [b[1] for b in binds]


def test_pysnmp_v3_walks_a_juniper_if_table(lab: tuple[RunningLab, int]) -> None:
    _, port = lab
    rows = asyncio.run(_walk(port, "127.10.2.2", "1.3.6.1.2.1.31.1.1.1.1"))
    assert [str(v) for _, v in rows] == ["xe-0/0/0", "xe-0/0/1", "xe-0/0/2", "xe-0/0/3"]
    dom = asyncio.run(_walk(port, "127.10.2.2", "1.3.6.1.4.1.2636.3.60.1.1.1.1.5"))
    assert len(dom) == 4 and all(-750 <= int(v) <= -300 for _, v in dom)


def test_pysnmp_sees_the_ups_on_battery(lab: tuple[RunningLab, int]) -> None:
    running, port = lab
    sources = ("1.3.6.1.2.1.33.1.4.1.0", "1.3.6.1.4.1.534.1.4.5.0")  # UPS-MIB, XUPS-MIB
    assert [int(v) for v in asyncio.run(_get(port, "127.10.4.4", *sources))] == [3, 3]
    running.fault("utility-fail")
    try:
        assert [int(v) for v in asyncio.run(_get(port, "127.10.4.4", *sources))] == [5, 5]
    finally:
        running.clear()
