"""The polling engine on pysnmp 7 (asyncio): everything, including SNMPv3 context names.

Slower than gufo-snmp (pure Python); used where gufo-snmp lacks a feature and as the
benchmark's second engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysnmp.hlapi.v3arch import asyncio as h  # type: ignore[import-untyped]
from pysnmp.proto import rfc1902, rfc1905  # type: ignore[import-untyped]

from collectors.snmp.client import SnmpAuth, SnmpFailure, SnmpTarget, Value
from collectors.snmp.oids import is_under, oid_tuple
from noc.model import AuthProtocol, PrivProtocol

_AUTH = {
    AuthProtocol.md5: h.usmHMACMD5AuthProtocol,
    AuthProtocol.sha: h.usmHMACSHAAuthProtocol,
    AuthProtocol.sha224: h.usmHMAC128SHA224AuthProtocol,
    AuthProtocol.sha256: h.usmHMAC192SHA256AuthProtocol,
    AuthProtocol.sha384: h.usmHMAC256SHA384AuthProtocol,
    AuthProtocol.sha512: h.usmHMAC384SHA512AuthProtocol,
}
_PRIV = {
    PrivProtocol.des: h.usmDESPrivProtocol,
    PrivProtocol.aes: h.usmAesCfb128Protocol,
    PrivProtocol.aes192: h.usmAesCfb192Protocol,
    PrivProtocol.aes256: h.usmAesCfb256Protocol,
}
_ABSENT = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView)
MAX_WALK = 200_000


def _auth_data(auth: SnmpAuth) -> Any:
    if auth.version != "v3":
        return h.CommunityData(auth.community, mpModel=0 if auth.version == "v1" else 1)
    return h.UsmUserData(
        auth.user,
        authKey=auth.auth_key or None,
        privKey=auth.priv_key or None,
        authProtocol=_AUTH[auth.auth_protocol] if auth.auth_protocol else h.usmNoAuthProtocol,
        privProtocol=_PRIV[auth.priv_protocol] if auth.priv_protocol else h.usmNoPrivProtocol,
    )


def _value(v: Any) -> Value:
    if isinstance(v, rfc1902.ObjectIdentifier):
        return str(v)
    if isinstance(v, rfc1902.IpAddress):
        return ".".join(str(b) for b in v.asOctets())
    if isinstance(v, rfc1902.OctetString):
        return bytes(v.asOctets())
    if isinstance(v, rfc1902.Integer | rfc1902.Integer32):
        return int(v)
    try:
        return int(v)
    except (TypeError, ValueError):
        return str(v)


def _indication(err: Any, target: SnmpTarget) -> SnmpFailure:
    where = f"{target.address}:{target.port}"
    msg = str(err)
    if "timeout" in msg.lower() or "No SNMP response" in msg:
        return SnmpFailure(
            "timeout",
            f"no SNMP answer from {where} within {target.timeout:g} s ({target.retries + 1} tries)",
        )
    low = msg.lower()
    if any(w in low for w in ("digest", "unknown user", "decrypt", "security", "authenticat")):
        return SnmpFailure("auth", f"{where} rejected the SNMPv3 credentials ({msg})")
    return SnmpFailure("protocol", f"bad SNMP answer from {where}: {msg}")


class PysnmpSession:
    def __init__(self, engine: h.SnmpEngine, target: SnmpTarget) -> None:
        self._engine = engine
        self.target = target
        self.requests = 0
        self._auth = _auth_data(target.auth)
        self._ctx = h.ContextData(contextName=target.auth.context)
        self._transport: Any = None

    async def _udp(self) -> Any:
        if self._transport is None:
            self._transport = await h.UdpTransportTarget.create(
                (self.target.address, self.target.port),
                timeout=self.target.timeout,
                retries=self.target.retries,
            )
        return self._transport

    async def get(self, oids: Sequence[str]) -> dict[str, Value]:
        if not oids:
            return {}
        self.requests += 1
        binds = [h.ObjectType(h.ObjectIdentity(o)) for o in oids]
        err, status, _, vbs = await h.get_cmd(
            self._engine, self._auth, await self._udp(), self._ctx, *binds, lookupMib=False
        )
        if err:
            raise _indication(err, self.target)
        if status:
            if str(status.prettyPrint()) == "noSuchName" and len(oids) > 1:
                out: dict[str, Value] = {}
                for o in oids:  # v1: one absent OID fails the whole request
                    out.update(await self.get([o]))
                return out
            return {}
        return {str(n): _value(v) for n, v in vbs if not isinstance(v, _ABSENT)}

    async def walk(self, oid: str, limit: int | None = None) -> list[tuple[str, Value]]:
        root = oid_tuple(oid)
        last = root
        out: list[tuple[str, Value]] = []
        cur = oid
        cap = min(limit or MAX_WALK, MAX_WALK)
        while len(out) < cap:
            self.requests += 1
            udp = await self._udp()
            ob = h.ObjectType(h.ObjectIdentity(cur))
            if self.target.auth.version == "v1":
                err, status, _, vbs = await h.next_cmd(
                    self._engine, self._auth, udp, self._ctx, ob, lookupMib=False
                )
            else:
                err, status, _, vbs = await h.bulk_cmd(
                    self._engine,
                    self._auth,
                    udp,
                    self._ctx,
                    0,
                    min(self.target.max_repetitions, cap - len(out)),
                    ob,
                    lookupMib=False,
                )
            if err:
                raise _indication(err, self.target)
            if status or not vbs:
                return out
            for name, v in vbs:
                key = tuple(name)
                if isinstance(v, rfc1905.EndOfMibView) or not is_under(key, root):
                    return out
                if key <= last:
                    raise SnmpFailure(
                        "protocol",
                        f"{self.target.address}:{self.target.port} "
                        f"returned OIDs out of order while walking {oid}",
                    )
                last = key
                out.append((str(name), _value(v)))
                if len(out) >= cap:
                    return out
            cur = out[-1][0]
        return out

    async def close(self) -> None:
        self._transport = None


class PysnmpEngine:
    name = "pysnmp"

    def __init__(self) -> None:
        self._engine: h.SnmpEngine | None = None

    def session(self, target: SnmpTarget) -> PysnmpSession:
        if self._engine is None:
            self._engine = h.SnmpEngine()
        return PysnmpSession(self._engine, target)

    async def close(self) -> None:
        if self._engine is not None:
            self._engine.close_dispatcher()
            self._engine = None
