"""Users administration over the API: admins only, every change audited, the last admin kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api_people import People, password_of, people_app

NEW = {
    "username": "sari",
    "display_name": "Sari Wulandari",
    "role": "operator",
    "password": "Sari-shift-pagi-2026",
}


@pytest.fixture
def people(tmp_path: Path) -> Iterator[People]:
    with people_app(tmp_path) as p:
        yield p


def test_an_admin_creates_lists_and_changes_users(people: People) -> None:
    c, admin = people.client, people.headers("admin1")
    r = c.post("/api/v1/users", json=NEW, headers=admin)
    assert r.status_code == 201
    created = r.json()
    assert created["username"] == "sari" and created["role"] == "operator"
    assert not created["disabled"] and created["password_set_at"] is None
    assert NEW["password"] not in r.text and "scrypt" not in r.text
    names = [u["username"] for u in c.get("/api/v1/users", headers=admin).json()]
    assert names == ["admin1", "sari"]
    r = c.post("/api/v1/auth/login", json={"username": "sari", "password": NEW["password"]})
    assert r.status_code == 200

    r = c.post("/api/v1/users/sari/role", json={"role": "oncall"}, headers=admin)
    assert r.status_code == 200 and r.json()["role"] == "oncall"
    r = c.post("/api/v1/users/sari/disable", headers=admin)
    assert r.status_code == 200 and r.json()["disabled"] is True
    r = c.post("/api/v1/users/sari/disable", headers=admin)
    assert r.status_code == 409 and "already disabled" in r.json()["detail"]
    r = c.post("/api/v1/users/sari/enable", headers=admin)
    assert r.status_code == 200 and r.json()["disabled"] is False
    new_password = "Sari-shift-malam-2026"
    r = c.post("/api/v1/users/sari/password", json={"password": new_password}, headers=admin)
    assert r.status_code == 200
    login = {"username": "sari", "password": new_password}
    assert c.post("/api/v1/auth/login", json=login).status_code == 200

    trail = [
        (e.actor, e.action, e.subject)
        for e in people.runtime.events.audit.entries()
        if e.subject == "user:sari" and e.action != "user.login"
    ]
    assert trail == [
        ("admin1", "user.created", "user:sari"),
        ("admin1", "user.role_changed", "user:sari"),
        ("admin1", "user.disabled", "user:sari"),
        ("admin1", "user.enabled", "user:sari"),
        ("admin1", "user.password_set", "user:sari"),
    ]
    for entry in people.runtime.events.audit.entries():
        assert NEW["password"] not in entry.model_dump_json()
        assert new_password not in entry.model_dump_json()


@pytest.mark.parametrize("who", ["viewer1", "operator1", "oncall1", "manager1", "auditor1"])
def test_only_admins_manage_users(people: People, who: str) -> None:
    c, h = people.client, people.headers(who)
    assert c.get("/api/v1/users", headers=h).status_code == 403
    assert c.post("/api/v1/users", json=NEW, headers=h).status_code == 403
    r = c.post("/api/v1/users/admin1/disable", headers=h)
    assert r.status_code == 403 and "needs one of: admin" in r.json()["detail"]
    assert people.runtime.events.users.get("sari") is None


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"password": "short-one"}, "body.password: a password needs at least 12 characters"),
        ({"password": "Sari"}, "body.password: a password needs at least 12 characters"),
        ({"username": "sari.wulandari", "password": "SARI.WULANDARI"}, "must not be the username"),
        ({"username": "Sari W"}, "body.username: use 1-64 lowercase letters"),
        ({"role": "root"}, "body.role: Input should be"),
        ({"colour": "red"}, "body.colour: Extra inputs are not permitted"),
    ],
)
def test_a_bad_new_user_gets_one_clear_422(
    people: People, change: dict[str, str], detail: str
) -> None:
    r = people.client.post(
        "/api/v1/users", json={**NEW, **change}, headers=people.headers("admin1")
    )
    assert r.status_code == 422
    assert detail in r.json()["detail"]
    if "password" in change:
        assert change["password"] not in r.text


def test_duplicates_and_unknown_users(people: People) -> None:
    c, admin = people.client, people.headers("admin1")
    people.user("operator1")
    r = c.post("/api/v1/users", json={**NEW, "username": "operator1"}, headers=admin)
    assert r.status_code == 409 and "'operator1' already exists" in r.json()["detail"]
    r = c.post("/api/v1/users/nobody/enable", headers=admin)
    assert r.status_code == 404 and "'nobody' is not in the event store" in r.json()["detail"]
    r = c.post("/api/v1/users/nobody/role", json={"role": "viewer"}, headers=admin)
    assert r.status_code == 404
    r = c.post("/api/v1/users/operator1/role", json={"role": "operator"}, headers=admin)
    assert r.status_code == 409 and "already has the role" in r.json()["detail"]


def test_the_last_enabled_admin_is_kept(people: People) -> None:
    c, admin = people.client, people.headers("admin1")
    r = c.post("/api/v1/users/admin1/disable", headers=admin)
    assert r.status_code == 409
    assert "last enabled admin" in r.json()["detail"] and "make another user admin" in r.text
    r = c.post("/api/v1/users/admin1/role", json={"role": "auditor"}, headers=admin)
    assert r.status_code == 409 and "last enabled admin" in r.json()["detail"]
    # With a second admin, the first may step down.
    people.user("manager1")
    assert c.post("/api/v1/users/manager1/role", json={"role": "admin"}, headers=admin).is_success
    r = c.post("/api/v1/users/admin1/role", json={"role": "auditor"}, headers=admin)
    assert r.status_code == 200 and r.json()["role"] == "auditor"
    # ... and at once loses the users page.
    assert c.get("/api/v1/users", headers=admin).status_code == 403


def test_a_disabled_user_is_locked_out_at_once(people: People) -> None:
    c = people.client
    h = people.headers("operator1")
    assert c.get("/api/v1/sites", headers=h).status_code == 200
    r = c.post(
        "/api/v1/auth/login", json={"username": "operator1", "password": password_of("operator1")}
    )
    assert r.status_code == 200
    c.cookies.clear()
    assert c.post("/api/v1/users/operator1/disable", headers=people.headers("admin1")).is_success
    assert c.get("/api/v1/sites", headers=h).status_code == 401
    r = c.post(
        "/api/v1/auth/login", json={"username": "operator1", "password": password_of("operator1")}
    )
    assert r.status_code == 401
