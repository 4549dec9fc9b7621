"""SNMP messages: v2c (community) and v3 (USM) requests in, responses and reports out."""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from noc.lab.snmp import ber, usm
from noc.lab.snmp.ber import Oid, Tlv, Value
from noc.lab.snmp.mibview import MibView
from noc.lab.snmp.pdu import answer, decode_pdu, encode_pdu

V2C = 1
V3 = 3
USM = 3
FLAG_AUTH, FLAG_PRIV, FLAG_REPORTABLE = 1, 2, 4
MAX_UDP = 65000
TIME_WINDOW = 150

_USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
UNSUPPORTED_SEC_LEVELS = (*_USM_STATS, 1, 0)
NOT_IN_TIME_WINDOWS = (*_USM_STATS, 2, 0)
UNKNOWN_USER_NAMES = (*_USM_STATS, 3, 0)
UNKNOWN_ENGINE_IDS = (*_USM_STATS, 4, 0)
WRONG_DIGESTS = (*_USM_STATS, 5, 0)
DECRYPTION_ERRORS = (*_USM_STATS, 6, 0)


@dataclass
class Identity:
    """How a device authenticates: a community, a v3 user, or both."""

    engine_id: bytes
    community: bytes | None = field(default=None, repr=False)
    user: usm.UsmUser | None = None


@dataclass
class Counters:
    reports: dict[Oid, int] = field(default_factory=dict)
    bad_community: int = 0

    def bump(self, oid: Oid) -> int:
        self.reports[oid] = self.reports.get(oid, 0) + 1
        return self.reports[oid]


EngineClock = Callable[[], tuple[int, int]]  # (boots, seconds since boot)


class Handler:
    """Turns one request datagram into the response datagram (None: stay silent)."""

    def __init__(self, identity: Identity, view: Callable[[], MibView], clock: EngineClock):
        self.identity = identity
        self._view = view
        self._clock = clock
        self.counters = Counters()
        self._salt = int.from_bytes(os.urandom(8), "big")

    def handle(self, data: bytes) -> bytes | None:
        try:
            msg = ber.read_tlv(data)
            if msg.tag != ber.SEQUENCE:
                return None
            parts = msg.children()
            version = parts[0].as_int()
            if version == V2C and len(parts) == 3:
                return self._v2c(parts)
            if version == V3 and len(parts) == 4:
                return self._v3(data, parts)
        except (ber.BerError, IndexError, ValueError):
            return None
        return None

    # -- v2c --

    def _v2c(self, parts: list[Tlv]) -> bytes | None:
        community = parts[1].as_bytes()
        expected = self.identity.community
        if expected is None or not hmac.compare_digest(community, expected):
            self.counters.bad_community += 1
            return None
        pdu = decode_pdu(parts[2])
        body = answer(self._view(), pdu, MAX_UDP - len(community) - 32)
        return ber.seq(ber.enc_int(V2C), ber.enc_octets(community), body)

    # -- v3 --

    def _v3(self, data: bytes, parts: list[Tlv]) -> bytes | None:
        head = parts[1].children()
        msg_id, max_size = head[0].as_int(), head[1].as_int()
        flags = head[2].as_bytes()[0] if head[2].as_bytes() else 0
        if head[3].as_int() != USM:
            return None
        sec = ber.read_tlv(data, parts[2].start, parts[2].end).children()
        engine_id, boots, etime = sec[0].as_bytes(), sec[1].as_int(), sec[2].as_int()
        user_name, auth_params, priv_params = sec[3].as_bytes(), sec[4], sec[5].as_bytes()
        me = self.identity
        limit = max(484, min(max_size, MAX_UDP))
        reply = _Reply(self, msg_id, limit, user_name)
        if engine_id != me.engine_id:
            return reply.report(_request_id(parts[3]), UNKNOWN_ENGINE_IDS, 0)
        user = me.user
        if user is None or user.name != user_name:
            return reply.report(_request_id(parts[3]), UNKNOWN_USER_NAMES, 0)
        wanted = FLAG_AUTH | (FLAG_PRIV if user.priv else 0) if user.auth else 0
        if flags & (FLAG_AUTH | FLAG_PRIV) != wanted:
            return reply.report(_request_id(parts[3]), UNSUPPORTED_SEC_LEVELS, 0)
        if user.auth:
            zeroed = bytearray(data)
            zeroed[auth_params.start : auth_params.end] = bytes(auth_params.end - auth_params.start)
            good = usm.sign(user.auth, user.auth_key, bytes(zeroed))
            if not hmac.compare_digest(good, auth_params.content):
                return reply.report(None, WRONG_DIGESTS, 0)
            my_boots, my_time = self._clock()
            if boots != my_boots or abs(etime - my_time) > TIME_WINDOW:
                return reply.report(None, NOT_IN_TIME_WINDOWS, FLAG_AUTH, user)
        scoped_tlv = parts[3]
        if flags & FLAG_PRIV:
            iv = boots.to_bytes(4, "big") + etime.to_bytes(4, "big") + priv_params
            if len(priv_params) != 8:
                return reply.report(None, DECRYPTION_ERRORS, FLAG_AUTH, user)
            plain = usm.aes_cfb(user.priv_key, iv, scoped_tlv.as_bytes(), encrypt=False)
            try:
                scoped_tlv = ber.read_tlv(plain)
            except ber.BerError:
                return reply.report(None, DECRYPTION_ERRORS, FLAG_AUTH, user)
        scoped = scoped_tlv.children()
        context_name = scoped[1].as_bytes()
        pdu = decode_pdu(scoped[2])
        body = answer(self._view(), pdu, limit - 160 - len(context_name))
        return reply.build(context_name, body, flags & (FLAG_AUTH | FLAG_PRIV), user)

    def next_salt(self) -> bytes:
        self._salt = (self._salt + 1) % 2**64
        return self._salt.to_bytes(8, "big")


def _request_id(item: Tlv) -> int | None:
    """The request-id of a plaintext scoped PDU (None when it is encrypted)."""
    if item.tag != ber.SEQUENCE:
        return None
    try:
        return decode_pdu(item.children()[2]).request_id
    except (ber.BerError, IndexError):
        return None


class _Reply:
    def __init__(self, handler: Handler, msg_id: int, limit: int, user_name: bytes):
        self.handler = handler
        self.msg_id = msg_id
        self.limit = limit
        self.user_name = user_name

    def report(
        self, request_id: int | None, stat: Oid, flags: int, user: usm.UsmUser | None = None
    ) -> bytes:
        count = self.handler.counters.bump(stat)
        vb: list[tuple[Oid, Value]] = [(stat, ber.counter32(count))]
        body = encode_pdu(ber.REPORT, request_id or 0, 0, 0, vb)
        return self.build(b"", body, flags, user)

    def build(self, context: bytes, body: bytes, flags: int, user: usm.UsmUser | None) -> bytes:
        return encode_v3(
            self.handler.identity.engine_id,
            self.handler._clock(),
            self.msg_id,
            flags,
            self.user_name,
            user,
            ber.seq(ber.enc_octets(self.handler.identity.engine_id), ber.enc_octets(context), body),
            self.handler.next_salt,
        )


def encode_v3(
    engine_id: bytes,
    engine_clock: tuple[int, int],
    msg_id: int,
    flags: int,
    user_name: bytes,
    user: usm.UsmUser | None,
    scoped: bytes,
    salt: Callable[[], bytes],
) -> bytes:
    """A v3 message from this (authoritative) engine, signed and encrypted as ``flags`` say."""
    boots, etime = engine_clock
    priv_params = b""
    data = scoped
    if flags & FLAG_PRIV and user is not None and user.priv:
        priv_params = salt()
        iv = boots.to_bytes(4, "big") + etime.to_bytes(4, "big") + priv_params
        data = ber.enc_octets(usm.aes_cfb(user.priv_key, iv, scoped, encrypt=True))
    auth = flags & FLAG_AUTH and user is not None and user.auth
    zeros = bytes(usm.digest_length(user.auth) if auth and user and user.auth else 0)
    fields = [
        ber.enc_octets(engine_id),
        ber.enc_int(boots),
        ber.enc_int(etime),
        ber.enc_octets(user_name),
    ]
    inner = ber.seq(*fields, ber.enc_octets(zeros), ber.enc_octets(priv_params))
    msg = ber.seq(
        ber.enc_int(V3),
        ber.seq(
            ber.enc_int(msg_id),
            ber.enc_int(MAX_UDP),
            ber.enc_octets(bytes([flags])),
            ber.enc_int(USM),
        ),
        ber.enc_octets(inner),
        data,
    )
    if not auth or user is None or user.auth is None:
        return msg
    header = (
        len(inner)
        - len(b"".join(fields))
        - len(ber.enc_octets(zeros))
        - len(ber.enc_octets(priv_params))
    )
    at = msg.index(inner) + header + len(b"".join(fields)) + 2
    digest = usm.sign(user.auth, user.auth_key, msg)
    return msg[:at] + digest + msg[at + len(digest) :]
