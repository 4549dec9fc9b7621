"""One SNMP agent per device: a UDP endpoint on the device's address and port.

All agents share one asyncio loop. A device that is down (or unreachable) does not answer,
as the real one would not. Each agent caches its MIB for up to a second, so a walk sees one
consistent moment and costs one render.
"""

from __future__ import annotations

import asyncio
import logging
import random
from pathlib import Path
from typing import cast

from noc.lab.city import LabCity, LabEvent
from noc.lab.mibs.build import build_view
from noc.lab.snmp import ber, traps
from noc.lab.snmp.message import FLAG_AUTH, FLAG_PRIV, V2C, Handler, Identity, encode_v3
from noc.lab.snmp.mibview import MibView
from noc.lab.snmp.usm import UsmUser, engine_id_for
from noc.model import Device, Inventory, SnmpV1Credentials, SnmpV2cCredentials

log = logging.getLogger("noc.lab")


def identity_for(inventory: Inventory, device: Device, base_dir: Path | None) -> Identity:
    """The device's community or v3 user, with the secrets resolved now (never logged)."""
    engine_id = engine_id_for(device.id)
    cred = inventory.snmp_credentials(device)
    if cred is None:
        return Identity(engine_id)
    if isinstance(cred, SnmpV1Credentials | SnmpV2cCredentials):
        community = cred.community.resolve(base_dir).get_secret_value().encode()
        return Identity(engine_id, community=community)
    auth = cred.auth_key.resolve(base_dir).get_secret_value().encode() if cred.auth_key else None
    priv = cred.priv_key.resolve(base_dir).get_secret_value().encode() if cred.priv_key else None
    user = UsmUser.create(
        cred.user,
        engine_id,
        auth=cred.auth_protocol.value if cred.auth_protocol else None,
        auth_password=auth,
        priv=cred.priv_protocol.value if cred.priv_protocol else None,
        priv_password=priv,
    )
    return Identity(engine_id, user=user)


class DeviceAgent(asyncio.DatagramProtocol):
    def __init__(self, city: LabCity, device: Device, identity: Identity, port: int):
        self.city = city
        self.device = device
        self.identity = identity
        self.endpoint = (str(device.address), port)
        self.handler = Handler(identity, self.view, self.engine_clock)
        self.transport: asyncio.DatagramTransport | None = None
        self._cache: tuple[tuple[int, int], MibView] | None = None
        self.requests = 0

    # -- serving --

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def view(self) -> MibView:
        key = (self.city.version, int(self.city.now()))
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, build_view(self.city, self.device.id, self.identity.engine_id))
        return self._cache[1]

    def engine_clock(self) -> tuple[int, int]:
        node = self.city.nodes[self.device.id]
        return node.boots, int(node.uptime_seconds())

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        if self.transport is None or not self.city.nodes[self.device.id].answering():
            return
        self.requests += 1
        try:
            reply = self.handler.handle(data)
        except Exception:  # a bug must not stop the other agents
            log.exception("lab agent %s failed on a request", self.device.id)
            return
        if reply is not None:
            self.transport.sendto(reply, addr)

    # -- notifications --

    def send_traps(self, event: LabEvent, target: tuple[str, int]) -> int:
        """Send the notifications this device sends for ``event``; how many were sent."""
        if self.transport is None or not self.city.nodes[self.device.id].answering():
            return 0
        view = self.view()
        mibs = self.city.nodes[self.device.id].model_data.mibs
        notes = traps.notifications(event.kind, mibs, event.detail, view.get)
        uptime = int(self.city.nodes[self.device.id].uptime_seconds() * 100)
        for note in notes:
            pdu = traps.trap_pdu(random.randrange(1, 2**31 - 1), uptime, note)  # noqa: S311
            self.transport.sendto(self._wrap(pdu), target)
        return len(notes)

    def _wrap(self, pdu: bytes) -> bytes:
        ident = self.identity
        if ident.community is not None:
            return ber.seq(ber.enc_int(V2C), ber.enc_octets(ident.community), pdu)
        user = ident.user
        assert user is not None
        flags = (FLAG_AUTH if user.auth else 0) | (FLAG_PRIV if user.priv else 0)
        scoped = ber.seq(ber.enc_octets(ident.engine_id), ber.enc_octets(b""), pdu)
        return encode_v3(
            ident.engine_id,
            self.engine_clock(),
            random.randrange(1, 2**31 - 1),  # noqa: S311
            flags,
            user.name,
            user,
            scoped,
            self.handler.next_salt,
        )
