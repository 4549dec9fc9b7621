"""The trap receiver with real traps from net-snmp ``snmptrap`` and from pysnmp."""

from __future__ import annotations

import asyncio
import os
import subprocess
from typing import Any

import pytest

from collectors.snmp.traps import TrapConfig, TrapObservation, TrapReceiver
from tests.collectors.snmp.helpers import inventory
from tests.peers import require_binary

pytestmark = pytest.mark.integration

COMMUNITY = "Trap-Comm-0f-city"
ENGINE_ID = "8000000001020304"
AUTH, PRIV = "Trap-Auth-Key-1", "Trap-Priv-Key-1"


def _inventory() -> Any:
    os.environ["NOC_T_TRAP_COMM"] = COMMUNITY
    os.environ["NOC_T_TRAP_AUTH"] = AUTH
    os.environ["NOC_T_TRAP_PRIV"] = PRIV
    return inventory(
        [
            {"id": "ups-1", "role": "ups", "address": "127.0.0.1", "snmp": {"credentials": "v2"}},
            {"id": "core-1", "address": "127.0.0.3", "snmp": {"credentials": "v3"}},
        ],
        {
            "v2": {"type": "snmp_v2c", "community": "env:NOC_T_TRAP_COMM"},
            "v3": {
                "type": "snmp_v3",
                "user": "trapper",
                "auth_protocol": "SHA",
                "auth_key": "env:NOC_T_TRAP_AUTH",
                "priv_protocol": "AES",
                "priv_key": "env:NOC_T_TRAP_PRIV",
            },
        },
    )


async def _send(*args: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()


async def _pysnmp_on_battery(port: int) -> None:
    from pysnmp.hlapi.v3arch import asyncio as h  # type: ignore[import-untyped]

    eng = h.SnmpEngine()
    err, _, _, _ = await h.send_notification(
        eng,
        h.CommunityData(COMMUNITY, mpModel=1),
        await h.UdpTransportTarget.create(("127.0.0.1", port)),
        h.ContextData(),
        "trap",
        h.NotificationType(h.ObjectIdentity("1.3.6.1.2.1.33.2.0.1")).add_varbinds(
            ("1.3.6.1.2.1.33.1.2.3.0", h.Integer(42)),
            ("1.3.6.1.2.1.33.1.2.2.0", h.Integer(5)),
        ),
    )
    eng.close_dispatcher()
    assert not err, err


def test_traps_become_observations_and_strangers_are_dropped() -> None:
    snmptrap = require_binary("snmptrap")
    got: list[TrapObservation] = []

    async def sink(obs: TrapObservation) -> None:
        got.append(obs)

    async def run() -> TrapReceiver:
        rx = TrapReceiver(
            _inventory(), sink, TrapConfig(port=0, v3_engine_ids={"core-1": ENGINE_ID})
        )
        await rx.start()
        assert rx.address is not None
        dest = f"127.0.0.1:{rx.address[1]}"
        v2 = [snmptrap, "-v2c", "-c", COMMUNITY, dest, ""]
        await _send(
            *v2,
            "1.3.6.1.6.3.1.1.5.3",
            "1.3.6.1.2.1.2.2.1.1.5",
            "i",
            "5",
            "1.3.6.1.2.1.2.2.1.8.5",
            "i",
            "2",
            "1.3.6.1.2.1.31.1.1.1.1.5",
            "s",
            "Te1/0/1",
        )
        await _send(snmptrap, "-v1", "-c", COMMUNITY, dest, "", "127.0.0.1", "0", "0", "")
        await _send(
            *v2, "1.3.6.1.2.1.33.2.0.3", "1.3.6.1.2.1.33.1.6.2.1.2.7", "o", "1.3.6.1.2.1.33.1.6.3.3"
        )
        await _pysnmp_on_battery(rx.address[1])
        await _send(
            snmptrap,
            "-v3",
            "-e",
            f"0x{ENGINE_ID}",
            "-u",
            "trapper",
            "-l",
            "authPriv",
            "-a",
            "SHA",
            "-A",
            AUTH,
            "-x",
            "AES",
            "-X",
            PRIV,
            "--clientaddr=127.0.0.3",
            dest,
            "",
            "1.3.6.1.6.3.1.1.5.4",
            "1.3.6.1.2.1.2.2.1.1.7",
            "i",
            "7",
        )
        # strangers: right community from an address that is not in the inventory,
        # and a wrong community from a known address
        await _send(*v2[:-2], "--clientaddr=127.0.0.9", dest, "", "1.3.6.1.6.3.1.1.5.3")
        await _send(snmptrap, "-v2c", "-c", "wrong-community", dest, "", "1.3.6.1.6.3.1.1.5.3")
        for _ in range(100):
            if len(got) >= 5 and rx.dropped_total() >= 2:
                break
            await asyncio.sleep(0.05)
        await rx.stop()
        return rx

    rx = asyncio.run(asyncio.wait_for(run(), 30))
    by_trap = {o.trap: o for o in got}
    assert set(by_trap) == {
        "link_down",
        "cold_start",
        "ups_battery_low",
        "ups_on_battery",
        "link_up",
    }, got
    down = by_trap["link_down"]
    assert down.device == "ups-1"
    assert down.samples[0].metric == "if_oper_status"
    assert down.samples[0].labels == {
        "device": "ups-1",
        "site": "hq",
        "state": "down",
        "if_index": "5",
        "interface": "Te1/0/1",
    }
    assert (
        down.changes[0].new == "down" and str(down.changes[0].object) == "interface:ups-1:Te1/0/1"
    )
    battery = by_trap["ups_on_battery"].samples[0]
    assert (battery.metric, battery.labels["state"], battery.value) == (
        "ups_output_source",
        "battery",
        5,
    )
    assert by_trap["ups_battery_low"].samples[0].labels["state"] == "low"
    assert by_trap["link_up"].device == "core-1"  # SNMPv3 authPriv trap
    assert rx.stats.dropped_unknown_sender == 1
    assert rx.stats.dropped_by_sender == {"127.0.0.9": 1}
    assert rx.dropped_total() >= 2
