"""A running lab for integration tests: agents on a free port, credentials set for the test."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from noc.lab.harness import RunningLab
from noc.model import Inventory

COMMUNITY = "lab-test-community"
V3_AUTH = "lab-test-auth-key"
V3_PRIV = "lab-test-priv-key"
ENV = {"NOC_SNMP_COMMUNITY": COMMUNITY, "NOC_SNMP_V3_AUTH": V3_AUTH, "NOC_SNMP_V3_PRIV": V3_PRIV}


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def lab_env() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def running_lab(
    inventory: Inventory, trap_target: tuple[str, int] | None = None, **options: Any
) -> Iterator[tuple[RunningLab, int]]:
    port = free_udp_port()
    with (
        lab_env(),
        RunningLab(inventory, snmp_port=port, trap_target=trap_target, **options) as lab,
    ):
        yield lab, port


def v3_args(address: str, port: int, key: str = V3_AUTH) -> list[str]:
    return [
        "-v3",
        "-l",
        "authPriv",
        "-u",
        "noc-monitor",
        "-a",
        "SHA-256",
        "-A",
        key,
        "-x",
        "AES",
        "-X",
        V3_PRIV,
        "-On",
        "-t",
        "1",
        "-r",
        "1",
        f"{address}:{port}",
    ]


def v2c_args(address: str, port: int) -> list[str]:
    return ["-v2c", "-c", COMMUNITY, "-On", "-t", "1", "-r", "1", f"{address}:{port}"]


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=30)


def poll_snmp(inventory: Inventory, *devices: str) -> dict[str, list[Any]]:
    """Samples of one SNMP poll of each device by the NOC's own collector (fails on an error)."""
    import asyncio

    from collectors.snmp.collector import SnmpCollector

    async def run() -> dict[str, list[Any]]:
        collector = SnmpCollector(inventory)
        try:
            results = [await collector.collect(inventory.device(d)) for d in devices]
        finally:
            await collector.close()
        assert not [r.error for r in results if r.failed]
        return {r.device: list(r.samples) for r in results}

    return asyncio.run(asyncio.wait_for(run(), 20))
