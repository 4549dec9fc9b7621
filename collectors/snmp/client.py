"""The client seam: how the collector talks SNMP, whichever engine is underneath.

An engine opens a :class:`SnmpSession` per target; a session does GET (scalars) and walks
(GETBULK, or GETNEXT on v1). Failures are :class:`SnmpFailure` with a ``kind`` the collector
turns into ``CollectResult.error_kind``: ``timeout`` (no answer), ``refused`` (ICMP port
unreachable), ``auth`` (the device answered but refused the credentials), ``protocol``
(an answer that makes no sense).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from noc.errors import CollectError
from noc.model import AuthProtocol, PrivProtocol

Value = None | str | bytes | int | float
"""A decoded SNMP value: integers and counters as int, OCTET STRING as bytes, OIDs as str."""

FailureKind = Literal["timeout", "refused", "auth", "protocol"]


class SnmpFailure(CollectError):
    """A request to one device failed; ``kind`` says how (never names a secret)."""

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message)
        self.kind: FailureKind = kind


@dataclass(frozen=True)
class SnmpAuth:
    """Resolved credentials of one target (secrets in clear: keep out of logs and repr)."""

    version: Literal["v1", "v2c", "v3"]
    community: str = ""
    user: str = ""
    auth_protocol: AuthProtocol | None = None
    auth_key: str = ""
    priv_protocol: PrivProtocol | None = None
    priv_key: str = ""
    context: str = ""

    def __repr__(self) -> str:  # never show the secrets
        return f"SnmpAuth(version={self.version!r}, user={self.user!r})"

    def secrets(self) -> list[str]:
        return [s for s in (self.community, self.auth_key, self.priv_key) if s]


@dataclass(frozen=True)
class SnmpTarget:
    address: str
    port: int
    auth: SnmpAuth
    timeout: float = 2.0
    retries: int = 1
    max_repetitions: int = 25

    def key(self) -> tuple[object, ...]:
        return (self.address, self.port, self.auth, self.timeout, self.retries)


class SnmpSession(Protocol):
    """Requests to one target; one request in flight at a time."""

    requests: int  # request PDUs sent (retries included)

    async def get(self, oids: Sequence[str]) -> dict[str, Value]:
        """Values of ``oids``; an OID the agent lacks (noSuchObject/Instance) is left out."""
        ...

    async def walk(self, oid: str, limit: int | None = None) -> list[tuple[str, Value]]:
        """Every (oid, value) under ``oid`` in order (at most ``limit``); [] when none."""
        ...

    async def close(self) -> None: ...


class SnmpEngine(Protocol):
    """Opens sessions; one engine is kept for the collector's lifetime."""

    name: str

    def session(self, target: SnmpTarget) -> SnmpSession: ...

    async def close(self) -> None: ...
