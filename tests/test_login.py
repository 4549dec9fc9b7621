"""Browser login: session cookie, CSRF on state-changing requests, rate limiting, expiry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from noc.api.session import COOKIE
from noc.app import create_app
from noc.clock import ManualClock
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "operator-password-1"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 10, 1, tzinfo=UTC))


@pytest.fixture
def runtime(tmp_path: Path, clock: ManualClock) -> Iterator[Runtime]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings, clock=clock)
    rt.events.users.create("operator1", "Operator Satu", Role.operator, PASSWORD)
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, start_background=False)) as c:
        yield c


def login(client: TestClient, password: str = PASSWORD, user: str = "operator1") -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": user, "password": password})
    return {"status": str(r.status_code), **r.json()}


def test_login_sets_a_strict_httponly_cookie_that_opens_the_api(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "operator1", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["role"] == "operator" and len(body["csrf_token"]) >= 24
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Max-Age=43200" in cookie
    assert PASSWORD not in cookie
    assert client.get("/api/v1/devices/core-1").json()["id"] == "core-1"
    assert client.get("/api/v1/auth/me").json()["username"] == "operator1"


def test_state_changing_requests_with_a_cookie_need_the_csrf_token(client: TestClient) -> None:
    csrf = login(client)["csrf_token"]
    r = client.post("/api/v1/auth/logout")
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["detail"]
    r = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    r = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    client.cookies.clear()
    assert client.get("/api/v1/sites").status_code == 401


def test_a_tampered_or_expired_cookie_is_refused(
    client: TestClient, runtime: Runtime, clock: ManualClock
) -> None:
    login(client)
    value = client.cookies[COOKIE]
    body, _, sig = value.partition(".")
    client.cookies.set(COOKIE, body[:-2] + "xx." + sig)
    assert client.get("/api/v1/sites").status_code == 401
    client.cookies.set(COOKIE, value)
    assert client.get("/api/v1/sites").status_code == 200
    clock.advance(runtime.sessions.lifetime + timedelta(seconds=1))
    r = client.get("/api/v1/sites")
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_disabling_a_user_ends_their_session_at_once(client: TestClient, runtime: Runtime) -> None:
    login(client)
    assert client.get("/api/v1/sites").status_code == 200
    runtime.events.users.disable("operator1", actor="admin")
    assert client.get("/api/v1/sites").status_code == 401


def test_failed_logins_lock_out_with_retry_after_then_recover(
    client: TestClient, clock: ManualClock
) -> None:
    for _ in range(5):
        r = client.post(
            "/api/v1/auth/login", json={"username": "operator1", "password": "wrong-guess"}
        )
        assert r.status_code == 401
        assert "username or password is wrong" in r.json()["detail"]
    # Locked now: even the right password is refused, with Retry-After.
    r = client.post("/api/v1/auth/login", json={"username": "operator1", "password": PASSWORD})
    assert r.status_code == 429 and r.headers["retry-after"] == "60"
    clock.advance(61)
    assert login(client)["status"] == "200"


def test_failed_logins_are_audited_without_the_password(
    client: TestClient, runtime: Runtime
) -> None:
    r = client.post(
        "/api/v1/auth/login", json={"username": "operator1", "password": "tebakan-1234"}
    )
    assert r.status_code == 401
    entry = runtime.events.audit.head()
    assert entry is not None
    assert (entry.action, entry.actor, entry.subject) == (
        "user.login_failed",
        "anonymous",
        "user:operator1",
    )
    assert entry.payload == {"address": "testclient"}
    assert "tebakan-1234" not in entry.model_dump_json()


def test_an_unknown_user_fails_like_a_wrong_password(client: TestClient) -> None:
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x" * 12})
    wrong = client.post("/api/v1/auth/login", json={"username": "operator1", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_a_malformed_login_request_gets_one_sentence(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "operator1", "pasword": PASSWORD})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("body.")
    assert PASSWORD not in r.text


def test_logins_and_logouts_are_audited_without_the_password(
    client: TestClient, runtime: Runtime
) -> None:
    csrf = login(client)["csrf_token"]
    entry = runtime.events.audit.head()
    assert entry is not None and entry.action == "user.login" and entry.actor == "operator1"
    assert PASSWORD not in entry.model_dump_json()
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).is_success
    entry = runtime.events.audit.head()
    assert entry is not None and (entry.action, entry.actor) == ("user.logout", "operator1")
