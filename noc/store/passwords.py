"""Password hashing (scrypt, per-user salt) and API token secrets (stored only as SHA-256).

Nothing here logs, prints or returns a plaintext password or token except :func:`new_token`,
whose result is shown once to the person who created it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "noc_"  # noqa: S105 (a prefix, not a secret)
MIN_PASSWORD_LENGTH = 12


def password_problem(username: str, password: str) -> str | None:
    """Why ``password`` is too weak for ``username`` (one sentence, never the password), or
    None when it is strong enough: at least 12 characters, and not the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip().lower() == username.strip().lower():
        return "a password must not be the username"
    return None


@dataclass(frozen=True)
class ScryptParams:
    n: int = 2**14
    r: int = 8
    p: int = 1
    dklen: int = 32
    salt_bytes: int = 16


DEFAULT_PARAMS = ScryptParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, params: ScryptParams = DEFAULT_PARAMS) -> str:
    """Return ``scrypt$n$r$p$salt$hash`` (base64 parts) for ``password`` with a fresh salt."""
    salt = secrets.token_bytes(params.salt_bytes)
    digest = _scrypt(password, salt, params.n, params.r, params.p, params.dklen)
    return f"scrypt${params.n}${params.r}${params.p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; compares in constant time."""
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(digest_b64, validate=True)
        got = _scrypt(password, salt, int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    maxmem = 128 * r * (n + p + 2) + 1024 * 1024
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen
    )


# A hash of a password nobody knows: authenticating an unknown user costs the same time as a
# known one, so timing does not reveal whether a username exists. Built on first use.
_DUMMY: list[str] = []


def dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def new_token() -> str:
    """A fresh API token secret: ``noc_`` + 43 URL-safe characters (256 random bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the store keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
