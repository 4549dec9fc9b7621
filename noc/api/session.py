"""Browser sessions: a signed cookie carrying who is logged in, until when, and a CSRF secret.

The cookie is HMAC-SHA256-signed with a key kept in the data directory (mode 0600), so a
restart keeps people logged in. Each request re-checks that the user still exists and is
enabled, so disabling a user ends their sessions at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from noc.clock import Clock

COOKIE = "noc_session"
CSRF_HEADER = "x-csrf-token"


class SessionData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str
    issued_at: datetime
    expires_at: datetime
    csrf: str


def load_or_create_key(path: Path) -> bytes:
    """The signing key at ``path``, created (32 random bytes, mode 0600) when absent."""
    if path.exists():
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    def __init__(self, key: bytes, clock: Clock, lifetime: timedelta = timedelta(hours=12)):
        self._key = key
        self._clock = clock
        self.lifetime = lifetime

    def issue(self, username: str) -> tuple[str, SessionData]:
        now = self._clock.now()
        data = SessionData(
            username=username,
            issued_at=now,
            expires_at=now + self.lifetime,
            csrf=secrets.token_urlsafe(24),
        )
        body = _b64(data.model_dump_json().encode())
        return f"{body}.{self._sign(body)}", data

    def verify(self, cookie: str) -> SessionData | None:
        """The session in ``cookie`` if its signature holds and it has not expired."""
        body, _, signature = cookie.partition(".")
        if not body or not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            data = SessionData.model_validate(json.loads(_unb64(body)))
        except (ValueError, ValidationError):
            return None
        if data.expires_at <= self._clock.now():
            return None
        return data

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())
