"""The users page (admins) and my account page (everyone): what they list, and that their forms'
fields are what the API takes (posted with the page's CSRF token, then checked in the store)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from noc.api.session import COOKIE
from noc.clock import ManualClock
from noc.runtime import Runtime
from noc.store.events import Role
from noc.web.pages import LANG_COOKIE
from tests.web.test_desk_pages import (
    PASSWORD,
    client_fixture,
    clock_fixture,
    csrf_of,
    login,
    runtime_fixture,
)

SHARED_FIXTURES = (
    client_fixture,
    clock_fixture,
    runtime_fixture,
)  # used by name: clock, runtime, client


def user_row(page: str, username: str) -> str:
    start = page.index(f'data-user="{username}"')
    return page[start : page.index("</tr>", start)]


def test_users_are_listed_with_role_status_language_and_forms(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.events.users.disable("auditor", actor="admin")
    runtime.events.users.set_language("manager", "en", actor="manager")
    login(client, Role.admin)
    page = client.get("/users?lang=en").text
    auditor = user_row(page, "auditor")
    assert "disabled" in auditor and 'data-action="/api/v1/users/auditor/enable"' in auditor
    manager = user_row(page, "manager")
    assert ">EN<" in manager and 'data-action="/api/v1/users/manager/disable"' in manager
    assert '<option value="manager" selected>' in manager
    assert 'data-action="/api/v1/users/manager/password"' in manager
    me = user_row(page, "admin")
    assert "/disable" not in me  # no locking oneself out from here
    assert 'data-action="/api/v1/users"' in page
    for field in ('name="username"', 'name="display_name"', 'name="role"', 'name="password"'):
        assert field in page
    assert "default" in user_row(page, "operator")


def test_an_admin_creates_changes_disables_and_resets_a_user(
    client: TestClient, runtime: Runtime
) -> None:
    login(client, Role.admin)
    headers = {"X-CSRF-Token": csrf_of(client.get("/users").text)}
    new = {
        "username": "sari",
        "display_name": "Sari Wulandari",
        "role": "operator",
        "password": "sari-password-1",
    }
    assert client.post("/api/v1/users", json=new, headers=headers).status_code == 201
    assert client.post(
        "/api/v1/users/sari/role", json={"role": "oncall"}, headers=headers
    ).is_success
    assert client.post(
        "/api/v1/users/sari/password", json={"password": "another-pass-22"}, headers=headers
    ).is_success
    runtime.events.users.authenticate("sari", "another-pass-22")
    assert client.post("/api/v1/users/sari/disable", json={}, headers=headers).is_success
    sari = runtime.events.users.get("sari")
    assert sari is not None and (sari.role, sari.disabled) == (Role.oncall, True)
    row = user_row(client.get("/users").text, "sari")
    assert "Sari Wulandari" in row and '<option value="oncall" selected>' in row


def test_tokens_list_create_once_and_revoke(
    client: TestClient, runtime: Runtime, clock: ManualClock
) -> None:
    old, _ = runtime.events.tokens.create(
        "viewer", "old wall", actor="admin", expires_at=clock.now() + timedelta(days=1)
    )
    clock.advance(timedelta(days=2))
    login(client, Role.admin)
    page = client.get("/users?lang=en").text
    assert 'data-desk-action="/api/v1/tokens"' in page and 'data-show="token-secret"' in page
    start = page.index(f'data-token="{old.id}"')
    assert "expired" in page[start : page.index("</tr>", start)]
    headers = {"X-CSRF-Token": csrf_of(page)}
    r = client.post(
        "/api/v1/tokens",
        json={"name": "wall-2", "username": "viewer", "expires_days": 30},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"].startswith("noc_")
    page = client.get("/users").text
    assert "wall-2" in page and created["secret"] not in page  # shown once, in the reply only
    assert f'data-action="/api/v1/tokens/{created["id"]}/revoke"' in page
    assert client.post(
        f"/api/v1/tokens/{created['id']}/revoke", json={}, headers=headers
    ).is_success
    assert runtime.events.tokens.resolve(created["secret"]) is None


def test_my_account_sets_my_language_and_password(client: TestClient, runtime: Runtime) -> None:
    login(client, Role.viewer)
    page = client.get("/account?lang=id").text
    assert 'data-action="/api/v1/me/language"' in page and 'data-method="PUT"' in page
    assert 'href="/account" id="account-link"' in page
    assert "bahasa bawaan kota" in page
    headers = {"X-CSRF-Token": csrf_of(page)}
    r = client.put("/api/v1/me/language", json={"language": "en"}, headers=headers)
    assert r.is_success, r.text
    assert r.cookies.get(LANG_COOKIE) == "en"
    viewer = runtime.events.users.get("viewer")
    assert viewer is not None and viewer.language == "en"
    # without ?lang= the page now speaks English, and says the choice is kept
    page = client.get("/account").text
    assert '<html lang="en">' in page and "Your choice is remembered" in page
    assert '<option value="en" selected>' in page
    change = {"current_password": PASSWORD, "new_password": "a-new-password-9"}
    assert 'data-desk-action="/api/v1/me/password"' in page
    assert 'name="current_password"' in page and 'name="new_password"' in page
    assert client.post("/api/v1/me/password", json=change, headers=headers).is_success
    runtime.events.users.authenticate("viewer", "a-new-password-9")


def test_the_language_link_works_without_javascript_and_names_the_other_language(
    client: TestClient,
) -> None:
    login(client, Role.operator)
    page = client.get("/logbook?lang=id").text
    assert 'href="?lang=en" id="lang-switch" data-lang="en"' in page
    assert client.cookies.get(LANG_COOKIE) == "id"
    page = client.get("/logbook?lang=en").text
    assert 'id="lang-switch" data-lang="id"' in page
    assert COOKIE in client.cookies


def test_my_account_lists_only_my_tokens_and_creates_one(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.events.tokens.create("admin", "admin-script", actor="admin")
    login(client, Role.oncall)
    page = client.get("/account?lang=en").text
    assert "admin-script" not in page and 'data-show="my-token-secret"' in page
    headers = {"X-CSRF-Token": csrf_of(page)}
    r = client.post(
        "/api/v1/tokens", json={"name": "pager-bridge", "expires_days": 90}, headers=headers
    )
    assert r.status_code == 201, r.text
    token = r.json()
    page = client.get("/account").text
    start = page.index(f'data-token="{token["id"]}"')
    row = page[start : page.index("</tr>", start)]
    assert "pager-bridge" in row and "active" in row and token["secret"] not in page
    assert f'data-action="/api/v1/tokens/{token["id"]}/revoke"' in row
    found = runtime.events.tokens.resolve(token["secret"])
    assert found is not None and found[0].username == "oncall"


def test_a_stored_language_follows_the_person_to_a_new_browser(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.events.users.set_language("operator", "en", actor="operator")
    login(client, Role.operator)  # a fresh client: no language cookie yet
    assert '<html lang="en">' in client.get("/logbook").text
