"""SNMPv3 User-based Security Model (RFC 3414, RFC 7860, RFC 3826): keys, digests, AES.

Only what an agent needs: password-to-key and key localisation, HMAC digests for MD5, SHA-1
and SHA-2, and AES-128 CFB privacy. Keys are bytes in memory; nothing here logs or prints.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:  # cryptography >= 47 keeps CFB among the "decrepit" modes
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB

_HASHES: dict[str, tuple[Callable[..., hashlib._Hash], int]] = {
    "MD5": (hashlib.md5, 12),
    "SHA": (hashlib.sha1, 12),
    "SHA-224": (hashlib.sha224, 16),
    "SHA-256": (hashlib.sha256, 24),
    "SHA-384": (hashlib.sha384, 32),
    "SHA-512": (hashlib.sha512, 48),
}
PRIV_PROTOCOLS = frozenset({"AES"})


class UsmError(ValueError):
    """A protocol the lab's agents do not implement."""


def digest_length(auth: str) -> int:
    return _HASHES[auth][1]


@lru_cache(maxsize=16)
def password_to_key(auth: str, password: bytes) -> bytes:
    """RFC 3414 A.2: hash one megabyte of the repeated password."""
    if auth not in _HASHES:
        raise UsmError(f"authentication protocol {auth} is not supported by the lab")
    if not password:
        raise UsmError("an SNMPv3 key cannot be empty")
    h = _HASHES[auth][0]()
    reps, rest = divmod(1_048_576, len(password))
    h.update(password * reps + password[:rest])
    return h.digest()


def localize(auth: str, ku: bytes, engine_id: bytes) -> bytes:
    h = _HASHES[auth][0]
    return h(ku + engine_id + ku).digest()


def sign(auth: str, key: bytes, message: bytes) -> bytes:
    h, size = _HASHES[auth]
    return hmac.new(key, message, h).digest()[:size]


def aes_cfb(key: bytes, iv: bytes, data: bytes, *, encrypt: bool) -> bytes:
    cipher = Cipher(algorithms.AES(key[:16]), CFB(iv))
    op = cipher.encryptor() if encrypt else cipher.decryptor()
    return op.update(data) + op.finalize()


@dataclass(frozen=True)
class UsmUser:
    """A user with keys localised to one engine."""

    name: bytes
    auth: str | None = None
    auth_key: bytes = field(default=b"", repr=False)
    priv: str | None = None
    priv_key: bytes = field(default=b"", repr=False)

    @classmethod
    def create(
        cls,
        name: str,
        engine_id: bytes,
        *,
        auth: str | None,
        auth_password: bytes | None,
        priv: str | None,
        priv_password: bytes | None,
    ) -> UsmUser:
        if auth is None or auth_password is None:
            return cls(name.encode())
        if priv is not None and priv not in PRIV_PROTOCOLS:
            raise UsmError(f"privacy protocol {priv} is not supported by the lab (use AES)")
        auth_key = localize(auth, password_to_key(auth, auth_password), engine_id)
        priv_key = b""
        if priv is not None and priv_password is not None:
            priv_key = localize(auth, password_to_key(auth, priv_password), engine_id)
        return cls(name.encode(), auth, auth_key, priv if priv_key else None, priv_key)


def engine_id_for(device_id: str) -> bytes:
    """A stable RFC 3411 engine ID: net-snmp's enterprise (8072), text format, the device id."""
    text = f"lab-{device_id}".encode()[:27]
    return bytes([0x80, 0x00, 0x1F, 0x88, 0x04]) + text
