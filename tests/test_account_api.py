"""A person's own account: language (stored, cookie for the pages, returned at login) and
password (needs the current one, rate limited like a login)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.web.pages import LANG_COOKIE
from tests.api_people import People, password_of, people_app


@pytest.fixture
def people(tmp_path: Path) -> Iterator[People]:
    with people_app(tmp_path) as p:
        yield p


def advance(people: People, seconds: int) -> None:
    clock = people.runtime.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds)


def login(people: People, username: str, password: str | None = None) -> dict[str, object]:
    r = people.client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password or password_of(username)},
    )
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def test_a_viewer_picks_a_language_and_every_page_and_login_remembers_it(people: People) -> None:
    c = people.client
    people.user("viewer1")
    first = login(people, "viewer1")
    assert first["language"] is None and LANG_COOKIE not in c.cookies
    csrf = {"X-CSRF-Token": str(first["csrf_token"])}
    r = c.put("/api/v1/me/language", json={"language": "en"}, headers=csrf)
    assert r.status_code == 200 and r.json()["language"] == "en"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{LANG_COOKIE}=en;")
    assert "Max-Age=31536000" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert c.get("/api/v1/auth/me").json()["language"] == "en"
    entry = people.runtime.events.audit.head()
    assert entry is not None and (entry.action, entry.actor) == ("user.language_set", "viewer1")

    c.cookies.clear()  # another browser: the login brings the choice along
    again = c.post(
        "/api/v1/auth/login", json={"username": "viewer1", "password": password_of("viewer1")}
    )
    assert again.json()["language"] == "en" and c.cookies[LANG_COOKIE] == "en"


def test_the_language_change_needs_the_csrf_token_with_a_session(people: People) -> None:
    people.user("operator1")
    login(people, "operator1")
    r = people.client.put("/api/v1/me/language", json={"language": "id"})
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["detail"]
    user = people.runtime.events.users.get("operator1")
    assert user is not None and user.language is None


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"language": "fr"}, "body.language: Input should be 'id' or 'en'"),
        ({}, "body.language: Field required"),
        ({"language": "id", "theme": "dark"}, "body.theme: Extra inputs are not permitted"),
    ],
)
def test_a_bad_language_gets_one_clear_422(
    people: People, body: dict[str, str], detail: str
) -> None:
    r = people.client.put("/api/v1/me/language", json=body, headers=people.headers("auditor1"))
    assert r.status_code == 422 and r.json()["detail"] == detail


def test_a_person_changes_their_own_password(people: People) -> None:
    c, h = people.client, people.headers("manager1")
    new = "Laporan-bulanan-2026"
    body = {"current_password": password_of("manager1"), "new_password": new}
    r = c.post("/api/v1/me/password", json=body, headers=h)
    assert r.status_code == 200 and r.json()["username"] == "manager1"
    assert c.post("/api/v1/auth/login", json={"username": "manager1", "password": new}).is_success
    r = c.post(
        "/api/v1/auth/login", json={"username": "manager1", "password": password_of("manager1")}
    )
    assert r.status_code == 401
    entry = [e for e in people.runtime.events.audit.entries() if e.action == "user.password_set"]
    assert [(e.actor, e.payload["by"]) for e in entry] == [("manager1", "self")]
    assert new not in entry[0].model_dump_json()


@pytest.mark.parametrize(
    ("current", "new", "code", "detail"),
    [
        ("wrong-password-123", "Laporan-bulanan-2026", 403, "body.current_password: this is not"),
        (None, "pendek", 422, "body.new_password: a password needs at least 12 characters"),
        (None, None, 422, "body.new_password: the new password must differ"),
    ],
)
def test_a_refused_password_change_says_why(
    people: People, current: str | None, new: str | None, code: int, detail: str
) -> None:
    body = {
        "current_password": current or password_of("oncall1"),
        "new_password": new or password_of("oncall1"),
    }
    r = people.client.post("/api/v1/me/password", json=body, headers=people.headers("oncall1"))
    assert r.status_code == code and r.json()["detail"].startswith(detail)
    assert body["new_password"] not in r.text and body["current_password"] not in r.text
    assert people.runtime.events.users.authenticate("oncall1", password_of("oncall1"))


def test_guessing_the_current_password_is_rate_limited(people: People) -> None:
    h = people.headers("operator1")
    body = {"current_password": "guess-number-one", "new_password": "Operator-baru-2026"}
    for _ in range(5):
        r = people.client.post("/api/v1/me/password", json=body, headers=h)
        assert r.status_code == 403
    right = {**body, "current_password": password_of("operator1")}
    r = people.client.post("/api/v1/me/password", json=right, headers=h)
    assert r.status_code == 429 and r.headers["retry-after"] == "60"


def test_a_password_change_ends_the_other_sessions_but_not_this_one(people: People) -> None:
    c = people.client
    people.user("operator1")
    other = login(people, "operator1")  # e.g. the desk PC left logged in
    other_cookies = dict(c.cookies)
    c.cookies.clear()
    here = login(people, "operator1")
    advance(people, 1)
    new = "Operator-ganti-2026"
    body = {"current_password": password_of("operator1"), "new_password": new}
    r = c.post("/api/v1/me/password", json=body, headers={"X-CSRF-Token": str(here["csrf_token"])})
    assert r.status_code == 200
    fresh = r.json()["csrf_token"]
    assert fresh and fresh != here["csrf_token"]
    assert c.get("/api/v1/auth/me").status_code == 200  # this browser got a new cookie
    c.cookies.clear()
    c.cookies.update(other_cookies)
    r = c.get("/api/v1/auth/me")
    assert r.status_code == 401 and "password was changed" in r.json()["detail"]
    assert other["csrf_token"]


def test_an_admin_reset_ends_the_persons_sessions_but_not_their_tokens(people: People) -> None:
    c = people.client
    token = people.headers("auditor1")
    login(people, "auditor1")
    assert c.get("/api/v1/auth/me").status_code == 200
    session = dict(c.cookies)
    c.cookies.clear()
    advance(people, 1)
    r = c.post(
        "/api/v1/users/auditor1/password",
        json={"password": "Auditor-reset-2026"},
        headers=people.headers("admin1"),
    )
    assert r.status_code == 200 and r.json()["password_set_at"] is not None
    c.cookies.update(session)
    assert c.get("/api/v1/auth/me").status_code == 401
    c.cookies.clear()
    assert c.get("/api/v1/auth/me", headers=token).status_code == 200
