"""A deliberately broken SNMP v2c agent (asyncio UDP) for fault tests.

Modes: ``silent`` never answers; ``garbage`` answers bytes that are not SNMP; ``nosuch``
answers every GET with noSuchObject and every GETNEXT/GETBULK with endOfMibView; ``loop``
answers every walk with the OID it was asked for (never advancing); ``good`` answers a
sysObjectID, sysUpTime and a two-row ifOperStatus column.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pyasn1.codec.ber import decoder, encoder  # type: ignore[import-untyped]
from pysnmp.proto import api, rfc1902  # type: ignore[import-untyped]

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
GOOD = {
    (1, 3, 6, 1, 2, 1, 1, 2, 0): rfc1902.ObjectIdentifier("1.3.6.1.4.1.99999.1"),
    (1, 3, 6, 1, 2, 1, 1, 3, 0): rfc1902.TimeTicks(12345),
    (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 1): rfc1902.Integer(1),
    (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2): rfc1902.Integer(2),
}


def answer(mode: str, data: bytes) -> bytes | None:
    if mode == "silent":
        return None
    if mode == "garbage":
        return b"\x30\x03\x02\x01\x07garbage, not SNMP at all"
    msg, _ = decoder.decode(data, asn1Spec=V2C.Message())
    req = V2C.apiMessage.get_pdu(msg)
    rsp = V2C.apiPDU.get_response(req)
    asked = [oid for oid, _ in V2C.apiPDU.get_varbinds(req)]
    is_get = req.tagSet == V2C.GetRequestPDU.tagSet
    out: list[tuple[Any, Any]] = []
    for oid in asked:
        key = tuple(oid)
        if mode == "loop":
            out.append((oid, rfc1902.Integer(1)))
        elif mode == "nosuch":
            out.append((oid, V2C.NoSuchObject() if is_get else V2C.EndOfMibView()))
        elif is_get:
            out.append((oid, GOOD.get(key, V2C.NoSuchObject())))
        else:
            nxt = next((k for k in sorted(GOOD) if k > key), None)
            out.append((nxt or oid, GOOD[nxt] if nxt else V2C.EndOfMibView()))
    V2C.apiPDU.set_varbinds(rsp, out)
    V2C.apiMessage.set_pdu(msg, rsp)
    return bytes(encoder.encode(msg))


class _Proto(asyncio.DatagramProtocol):
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.transport: asyncio.DatagramTransport | None = None
        self.requests = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.requests += 1
        reply = answer(self.mode, data)
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)


async def start(mode: str, host: str = "127.0.0.1") -> tuple[asyncio.DatagramTransport, int]:
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: _Proto(mode), local_addr=(host, 0))
    return transport, int(transport.get_extra_info("sockname")[1])
