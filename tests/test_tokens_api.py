"""API tokens over the API: your own for anyone, everyone's for admins, the secret shown once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from noc.clock import ManualClock
from tests.api_people import T0, People, people_app


@pytest.fixture
def people(tmp_path: Path) -> Iterator[People]:
    with people_app(tmp_path) as p:
        yield p


def test_anyone_creates_a_token_for_themselves_and_it_works(people: People) -> None:
    c, h = people.client, people.headers("operator1")
    r = c.post("/api/v1/tokens", json={"name": "laptop", "expires_days": 30}, headers=h)
    assert r.status_code == 201
    body = r.json()
    assert body["username"] == "operator1" and body["name"] == "laptop"
    assert body["secret"].startswith("noc_") and body["revoked_at"] is None
    assert body["expires_at"] == (T0 + timedelta(days=30)).isoformat().replace("+00:00", "Z")
    bearer = {"Authorization": f"Bearer {body['secret']}"}
    assert c.get("/api/v1/auth/me", headers=bearer).json()["username"] == "operator1"
    listed = c.get("/api/v1/tokens", headers=h).json()
    assert [t["name"] for t in listed] == ["test", "laptop"]
    assert all("secret" not in t for t in listed) and body["secret"] not in str(listed)
    head = people.runtime.events.audit.head()
    assert head is not None and head.action == "token.created" and head.actor == "operator1"
    assert body["secret"] not in head.model_dump_json()


def test_a_token_expires_after_its_days(people: People) -> None:
    c, h = people.client, people.headers("viewer1")
    secret = c.post("/api/v1/tokens", json={"name": "wall-2", "expires_days": 1}, headers=h)
    bearer = {"Authorization": f"Bearer {secret.json()['secret']}"}
    assert c.get("/api/v1/wall", headers=bearer).status_code == 200
    clock = people.runtime.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(days=1, seconds=1))
    assert c.get("/api/v1/wall", headers=bearer).status_code == 401


def test_people_see_and_revoke_only_their_own(people: People) -> None:
    c, op, oc = people.client, people.headers("operator1"), people.headers("oncall1")
    mine = c.post("/api/v1/tokens", json={"name": "script"}, headers=op).json()
    assert [t["username"] for t in c.get("/api/v1/tokens", headers=oc).json()] == ["oncall1"]
    r = c.get("/api/v1/tokens?username=operator1", headers=oc)
    assert r.status_code == 403 and "only an admin" in r.json()["detail"]
    r = c.post(f"/api/v1/tokens/{mine['id']}/revoke", headers=oc)
    assert r.status_code == 403 and "owner or an admin" in r.json()["detail"]
    r = c.post("/api/v1/tokens", json={"name": "x", "username": "operator1"}, headers=oc)
    assert r.status_code == 403 and r.json()["detail"].startswith("body.username:")
    r = c.post(f"/api/v1/tokens/{mine['id']}/revoke", headers=op)
    assert r.status_code == 200 and r.json()["revoked_at"] is not None
    r = c.post(f"/api/v1/tokens/{mine['id']}/revoke", headers=op)
    assert r.status_code == 409 and "already revoked" in r.json()["detail"]
    bearer = {"Authorization": f"Bearer {mine['secret']}"}
    assert c.get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_an_admin_sees_all_and_makes_tokens_for_others(people: People) -> None:
    c, admin = people.client, people.headers("admin1")
    people.user("viewer1")
    r = c.post("/api/v1/tokens", json={"name": "wall-1", "username": "viewer1"}, headers=admin)
    assert r.status_code == 201 and r.json()["username"] == "viewer1"
    wall = {"Authorization": f"Bearer {r.json()['secret']}"}
    assert c.get("/api/v1/wall", headers=wall).status_code == 200
    assert c.get("/api/v1/devices", headers=wall).status_code == 403
    owners = {t["username"] for t in c.get("/api/v1/tokens", headers=admin).json()}
    assert owners == {"admin1", "viewer1"}
    only = c.get("/api/v1/tokens?username=viewer1", headers=admin).json()
    assert [t["name"] for t in only] == ["wall-1"]
    assert c.post(f"/api/v1/tokens/{r.json()['id']}/revoke", headers=admin).status_code == 200
    assert c.get("/api/v1/wall", headers=wall).status_code == 401
    entry = people.runtime.events.audit.head()
    assert entry is not None and (entry.action, entry.actor) == ("token.revoked", "admin1")
    r = c.post("/api/v1/tokens", json={"name": "x", "username": "nobody"}, headers=admin)
    assert r.status_code == 404 and "No enabled user 'nobody'" in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"name": ""}, "body.name: String should have at least 1 character"),
        ({"name": "   "}, "body.name: say what the token is for"),
        ({"name": "x", "expires_days": 0}, "body.expires_days: Input should be greater than"),
        ({"name": "x", "scope": "all"}, "body.scope: Extra inputs are not permitted"),
    ],
)
def test_a_bad_token_request_gets_one_clear_422(
    people: People, body: dict[str, object], detail: str
) -> None:
    r = people.client.post("/api/v1/tokens", json=body, headers=people.headers("operator1"))
    assert r.status_code == 422 and r.json()["detail"].startswith(detail)
    assert (
        people.client.post(
            "/api/v1/tokens/abc/revoke", headers=people.headers("operator1")
        ).status_code
        == 422
    )
