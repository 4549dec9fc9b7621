"""An app with one person per role, for the API tests: ``people.headers("admin")``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from noc.app import create_app
from noc.clock import ManualClock
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)


def password_of(username: str) -> str:
    return f"{username}-password-2026"


class People:
    """Users ``<role>1`` (``admin1``, ``viewer1``, ...), each with a bearer token. A user is
    created when first asked for (scrypt is slow on purpose); ``admin1`` always exists."""

    def __init__(self, runtime: Runtime, client: TestClient) -> None:
        self.runtime = runtime
        self.client = client
        self._tokens: dict[str, str] = {}
        self.user("admin1")

    def user(self, username: str) -> str:
        if self.runtime.events.users.get(username) is None:
            role = Role(username.rstrip("0123456789"))
            self.runtime.events.users.create(
                username, role.value.title(), role, password_of(username)
            )
        return username

    def headers(self, username: str) -> dict[str, str]:
        self.user(username)
        if username not in self._tokens:
            _tok, secret = self.runtime.events.tokens.create(username, "test", actor="test")
            self._tokens[username] = secret
        return {"Authorization": f"Bearer {self._tokens[username]}"}


@contextmanager
def people_app(tmp_path: Path) -> Iterator[People]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    runtime = Runtime.build(settings, clock=ManualClock(T0))
    try:
        with TestClient(create_app(runtime, start_background=False)) as client:
            yield People(runtime, client)
    finally:
        runtime.close()
