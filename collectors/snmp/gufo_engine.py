"""The polling engine on gufo-snmp (Rust core, asyncio): v1, v2c and v3 without a context.

Each target keeps one session (one UDP socket) across polls; retries and the per-request
timeout are applied here, since gufo-snmp itself sends each request once.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from gufo.snmp import (
    Aes128Key,
    Aes192Key,
    Aes256Key,
    BaseAuthKey,
    BasePrivKey,
    DesKey,
    Md5Key,
    NoSuchInstance,
    Sha1Key,
    Sha224Key,
    Sha256Key,
    Sha384Key,
    Sha512Key,
    SnmpAuthError,
    SnmpError,
    SnmpVersion,
    User,
)
from gufo.snmp._fast import GetIter
from gufo.snmp.aio.client import SnmpSession as GufoSession

from collectors.snmp.client import SnmpAuth, SnmpFailure, SnmpTarget, Value
from collectors.snmp.oids import is_under, oid_tuple
from noc.model import AuthProtocol, PrivProtocol

T = TypeVar("T")

_AUTH: dict[AuthProtocol, type[BaseAuthKey]] = {
    AuthProtocol.md5: Md5Key,
    AuthProtocol.sha: Sha1Key,
    AuthProtocol.sha224: Sha224Key,
    AuthProtocol.sha256: Sha256Key,
    AuthProtocol.sha384: Sha384Key,
    AuthProtocol.sha512: Sha512Key,
}
_PRIV: dict[PrivProtocol, type[BasePrivKey]] = {
    PrivProtocol.des: DesKey,
    PrivProtocol.aes: Aes128Key,
    PrivProtocol.aes192: Aes192Key,
    PrivProtocol.aes256: Aes256Key,
}
MAX_WALK = 200_000  # varbinds; a looping agent stops here
V3_REFRESH_SECONDS = 120.0  # gufo asks for a refresh within 150 s of the last one


def _user(auth: SnmpAuth) -> User:
    akey = _AUTH[auth.auth_protocol](auth.auth_key.encode()) if auth.auth_protocol else None
    pkey = _PRIV[auth.priv_protocol](auth.priv_key.encode()) if auth.priv_protocol else None
    return User(auth.user, auth_key=akey, priv_key=pkey)


def _failure(err: BaseException, target: SnmpTarget) -> SnmpFailure:
    where = f"{target.address}:{target.port}"
    if isinstance(err, TimeoutError):
        return SnmpFailure(
            "timeout",
            f"no SNMP answer from {where} within {target.timeout:g} s ({target.retries + 1} tries)",
        )
    if isinstance(err, ConnectionRefusedError):
        return SnmpFailure("refused", f"{where} refused SNMP (port unreachable)")
    if isinstance(err, SnmpAuthError):
        return SnmpFailure(
            "auth",
            f"{where} rejected the SNMPv3 credentials (wrong user, key or protocol)",
        )
    if isinstance(err, OSError):
        return SnmpFailure("timeout", f"cannot reach {where}: {err.strerror or err}")
    return SnmpFailure("protocol", f"bad SNMP answer from {where}: {type(err).__name__}")


class GufoSnmpSession:
    def __init__(self, target: SnmpTarget) -> None:
        self.target = target
        self.requests = 0
        auth = target.auth
        if auth.version == "v3":
            self._s = GufoSession(
                target.address,
                target.port,
                user=_user(auth),
                version=SnmpVersion.v3,
                timeout=target.timeout,
                max_repetitions=target.max_repetitions,
            )
        else:
            self._s = GufoSession(
                target.address,
                target.port,
                community=auth.community,
                version=SnmpVersion.v1 if auth.version == "v1" else SnmpVersion.v2c,
                timeout=target.timeout,
                max_repetitions=target.max_repetitions,
            )
        self._refreshed = -1e9

    async def _try(self, call: Callable[[], Awaitable[T]], *, sends: bool = True) -> T:
        last: BaseException | None = None
        for _ in range(self.target.retries + 1):
            self.requests += sends
            try:
                return await call()
            except (TimeoutError, BlockingIOError) as err:
                last = err
            except (SnmpError, OSError, ValueError, UnicodeError) as err:
                if isinstance(err, NoSuchInstance):
                    raise
                raise _failure(err, self.target) from None
        raise _failure(last or TimeoutError(), self.target) from None

    async def _ready(self) -> None:
        if self.target.auth.version != "v3":
            return
        now = time.monotonic()
        if now - self._refreshed > V3_REFRESH_SECONDS:
            await self._try(self._s.refresh)
            self.requests += 1  # discovery takes two round trips the first time
            self._refreshed = now

    async def get(self, oids: Sequence[str]) -> dict[str, Value]:
        await self._ready()
        if not oids:
            return {}
        wanted = list(oids)
        try:
            got = await self._try(lambda: self._s.get_many(wanted))
        except NoSuchInstance:
            return {}
        return {k.lstrip("."): v for k, v in got.items()}

    async def walk(self, oid: str, limit: int | None = None) -> list[tuple[str, Value]]:
        await self._ready()
        cap = min(limit or MAX_WALK, MAX_WALK)
        if self.target.auth.version == "v1":
            return await self._walk_next(oid, cap)
        # page by page: gufo's iterator state ends the walk at the end of the subtree,
        # at endOfMibView and when the agent stops advancing
        ctx = GetIter(oid.lstrip("."), self.target.max_repetitions)
        sock = self._s._sock
        s = self._s

        async def page() -> list[tuple[str, Value] | None]:
            await s._send(lambda: sock.send_get_bulk(ctx))
            return await s._recv(lambda: sock.recv_get_bulk(ctx))

        out: list[tuple[str, Value]] = []
        last = oid_tuple(oid)
        while len(out) < cap:
            try:
                rows = await self._try(page)
            except (NoSuchInstance, StopAsyncIteration):  # endOfMibView / end of the subtree
                break
            if not rows:
                break
            ended = rows[-1] is None
            got = [r for r in rows if r is not None]
            if got:
                first, final = oid_tuple(got[0][0]), oid_tuple(got[-1][0])
                if first <= last or final < first:  # an agent that does not advance
                    raise SnmpFailure(
                        "protocol",
                        f"{self.target.address}:{self.target.port} returned OIDs out of "
                        f"order while walking {oid}",
                    )
                last = final
                out += got
            if ended:
                break
        return out[:cap]

    async def _walk_next(self, oid: str, cap: int) -> list[tuple[str, Value]]:
        root = oid_tuple(oid)
        last = root
        out: list[tuple[str, Value]] = []
        it = self._s.getnext(oid.lstrip("."))
        while len(out) < cap:
            try:
                name, value = await self._try(lambda: it.__anext__())
            except (StopAsyncIteration, NoSuchInstance):
                break
            key = oid_tuple(name)
            if not is_under(key, root):
                break
            if key <= last:
                raise SnmpFailure(
                    "protocol",
                    f"{self.target.address}:{self.target.port} returned OIDs out of order "
                    f"while walking {oid}",
                )
            last = key
            out.append((name, value))
        return out

    async def close(self) -> None:
        self._s = None  # type: ignore[assignment]


class GufoEngine:
    name = "gufo-snmp"

    def session(self, target: SnmpTarget) -> GufoSnmpSession:
        return GufoSnmpSession(target)

    async def close(self) -> None:
        return None
