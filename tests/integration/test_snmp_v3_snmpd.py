"""SNMPv3 authPriv against a private net-snmp snmpd: works, and a wrong key says so clearly."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest

from collectors.base import CollectResult
from collectors.snmp import SnmpCollector, SnmpConfig
from tests.collectors.snmp.helpers import inventory
from tests.integration.snmp_agents import snmpd

pytestmark = pytest.mark.integration

AUTH_KEY = "Auth-Key-0f-the-core"
PRIV_KEY = "Priv-Key-0f-the-core"
COMMUNITY = "Comm-0f-the-core"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with snmpd(
        tmp_path_factory.mktemp("snmpd"),
        user="nocv3",
        auth="SHA-256",
        auth_key=AUTH_KEY,
        priv="AES",
        priv_key=PRIV_KEY,
        community=COMMUNITY,
    ) as port:
        yield port


def poll(port: int, auth_key: str, auth: str = "SHA-256", engine: str = "gufo") -> CollectResult:
    os.environ["NOC_T_AUTH"] = auth_key
    os.environ["NOC_T_PRIV"] = PRIV_KEY
    cred: dict[str, Any] = {
        "type": "snmp_v3",
        "user": "nocv3",
        "auth_protocol": auth,
        "auth_key": "env:NOC_T_AUTH",
        "priv_protocol": "AES",
        "priv_key": "env:NOC_T_PRIV",
    }
    inv = inventory(
        [{"id": "core-1", "address": "127.0.0.1", "snmp": {"credentials": "v3", "port": port}}],
        {"v3": cred},
    )

    async def run() -> CollectResult:
        col = SnmpCollector(inv, SnmpConfig(timeout_seconds=1, retries=0, engine=engine))
        try:
            return await col.collect(inv.device("core-1"), "generic")
        finally:
            await col.close()

    return asyncio.run(run())


@pytest.mark.parametrize("engine", ["gufo", "pysnmp"])
def test_v3_authpriv_sha256_aes_polls(agent: int, engine: str) -> None:
    res = poll(agent, AUTH_KEY, engine=engine)
    assert not res.failed, res.error
    assert any(
        s.metric == "if_oper_status" and s.labels.get("interface") == "lo" for s in res.samples
    )


@pytest.mark.parametrize("engine", ["gufo", "pysnmp"])
def test_wrong_key_is_a_clear_authentication_error(agent: int, engine: str) -> None:
    res = poll(agent, "Not-the-right-key-0", engine=engine)
    assert res.failed
    assert res.error_kind == "auth", res.error
    assert res.answered is True  # the device answered: it refused us
    assert "credentials" in (res.error or "")
    for secret in (AUTH_KEY, PRIV_KEY, "Not-the-right-key-0"):
        assert secret not in (res.error or "")
