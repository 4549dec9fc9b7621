"""Every API route against every role: allowed (not 401/403) or refused (403), from one table.

The app's route table is walked, so a route added without a line in ``EXPECTED`` fails here:
whoever adds a route says which roles may call it (DESIGN.md, Roles). HTML pages (outside
``/api``) have their own area check in ``noc.web.pages`` and are left to their tests, except
``/metrics``, ``/docs`` and ``/openapi.json``, which are API in all but name.

Requests carry bearer tokens (no CSRF), empty bodies and ``x`` for every path parameter, so an
allowed call ends in 404 or 422 (503 where alerting is not running) and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from noc.app import create_app
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role
from tests.test_routes_need_login import all_routes

REPO = Path(__file__).resolve().parent.parent

ALL = frozenset(Role)
ADMIN = frozenset({Role.admin})
STAFF = frozenset({Role.operator, Role.oncall, Role.manager, Role.auditor, Role.admin})
RESPOND = frozenset({Role.operator, Role.oncall, Role.admin})
SHIFT = frozenset({Role.operator, Role.oncall, Role.manager, Role.admin})
REPORTS = frozenset({Role.manager, Role.auditor, Role.admin})
AUDIT = frozenset({Role.auditor, Role.admin})

# (method, path) -> the roles that may call it. Everyone else gets 403.
EXPECTED: dict[tuple[str, str], frozenset[Role]] = {
    # No login needed at all; a logged-in caller is not refused either.
    ("GET", "/healthz"): ALL,
    ("POST", "/api/v1/auth/login"): ALL,
    # The wall (and a wall display's viewer token): snapshot, live stream, topology picture.
    ("GET", "/api/v1/wall"): ALL,
    ("GET", "/api/v1/wall/stream"): ALL,
    ("GET", "/api/v1/topology/svg"): ALL,
    # One's own account.
    ("GET", "/api/v1/auth/me"): ALL,
    ("POST", "/api/v1/auth/logout"): ALL,
    ("PUT", "/api/v1/me/language"): ALL,
    ("POST", "/api/v1/me/password"): ALL,
    ("GET", "/api/v1/tokens"): ALL,
    ("POST", "/api/v1/tokens"): ALL,
    ("POST", "/api/v1/tokens/{token_id}/revoke"): ALL,
    # The NOC's own health for Prometheus (README: scraped with a viewer token).
    ("GET", "/metrics"): ALL,
    # The API description: for the people who read and automate, not for a wall.
    ("GET", "/docs"): STAFF,
    ("GET", "/openapi.json"): STAFF,
    # Reading the network.
    ("GET", "/api/v1/sites"): STAFF,
    ("GET", "/api/v1/sites/{site_id}"): STAFF,
    ("GET", "/api/v1/devices"): STAFF,
    ("GET", "/api/v1/devices/{device_id}"): STAFF,
    ("GET", "/api/v1/links"): STAFF,
    ("GET", "/api/v1/links/{link_id}"): STAFF,
    ("GET", "/api/v1/services"): STAFF,
    ("GET", "/api/v1/services/{service_id}"): STAFF,
    ("GET", "/api/v1/topology/devices"): STAFF,
    ("GET", "/api/v1/topology/impact"): STAFF,
    ("GET", "/api/v1/topology/reconcile"): STAFF,
    ("POST", "/api/v1/topology/reconcile"): STAFF,
    ("GET", "/api/v1/topology/rings"): STAFF,
    ("GET", "/api/v1/topology/spof"): STAFF,
    ("GET", "/api/v1/topology/whatif"): STAFF,
    # Alerts, incidents, maintenance, silences, the feed: read by staff and auditors.
    ("GET", "/api/v1/alerts"): STAFF,
    ("GET", "/api/v1/alerts/{key:path}"): STAFF,
    ("GET", "/api/v1/feed"): STAFF,
    ("GET", "/api/v1/incidents"): STAFF,
    ("GET", "/api/v1/incidents/{incident_id}"): STAFF,
    ("GET", "/api/v1/maintenance"): STAFF,
    ("GET", "/api/v1/silences"): STAFF,
    ("GET", "/api/v1/logbook"): STAFF,
    # Acting on incidents and alerts: the people who respond.
    ("POST", "/api/v1/incidents/{incident_id}/acknowledge"): RESPOND,
    ("POST", "/api/v1/incidents/{incident_id}/comment"): RESPOND,
    ("POST", "/api/v1/incidents/{incident_id}/resolve"): RESPOND,
    ("POST", "/api/v1/incidents/{incident_id}/reopen"): RESPOND,
    ("POST", "/api/v1/silences"): RESPOND,
    ("POST", "/api/v1/silences/{silence_id}/expire"): RESPOND,
    # The shift: assign, plan maintenance, write the log book.
    ("POST", "/api/v1/incidents/{incident_id}/assign"): SHIFT,
    ("POST", "/api/v1/maintenance"): SHIFT,
    ("POST", "/api/v1/maintenance/{window_id}/cancel"): SHIFT,
    ("POST", "/api/v1/logbook"): SHIFT,
    # Reports for managers, exports for auditors.
    ("GET", "/api/v1/reports/monthly"): REPORTS,
    ("GET", "/api/v1/sla/availability"): REPORTS,
    ("GET", "/api/v1/sla/burn"): REPORTS,
    ("GET", "/api/v1/audit/export"): AUDIT,
    ("POST", "/api/v1/audit/verify"): AUDIT,
    # Users: admins only.
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users/{username}/disable"): ADMIN,
    ("POST", "/api/v1/users/{username}/enable"): ADMIN,
    ("POST", "/api/v1/users/{username}/role"): ADMIN,
    ("POST", "/api/v1/users/{username}/password"): ADMIN,
}
API_NAMES = {"/metrics", "/docs", "/openapi.json", "/healthz"}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    data = tmp_path_factory.mktemp("data")
    rt = Runtime.build(Settings(inventory=REPO / "inventory.yaml", data_dir=data))
    for role in Role:
        rt.events.users.create(f"{role.value}1", role.value, role, f"{role.value}-password-1234")
    yield rt
    rt.close()


@pytest.fixture(scope="module")
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, start_background=False)) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(runtime: Runtime) -> dict[Role, dict[str, str]]:
    found = {}
    for role in Role:
        _tok, secret = runtime.events.tokens.create(f"{role.value}1", "roles", actor="test")
        found[role] = {"Authorization": f"Bearer {secret}"}
    return found


def api_routes(client: TestClient) -> list[tuple[str, str]]:
    return [(m, p) for m, p in all_routes(client) if p.startswith("/api/") or p in API_NAMES]


def status_of(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    url = re.sub(r"\{[^}]+\}", "x", path)
    # Streamed: the wall's live stream never ends by itself; only the status is read.
    with client.stream(method, url, headers=headers, follow_redirects=False) as r:
        return int(r.status_code)


def test_every_api_route_has_a_declared_policy(client: TestClient) -> None:
    routes = set(api_routes(client))
    undeclared = sorted(routes - EXPECTED.keys())
    assert not undeclared, f"say which roles may call these routes in EXPECTED: {undeclared}"
    stale = sorted(EXPECTED.keys() - routes)
    assert not stale, f"these routes are gone: remove them from EXPECTED: {stale}"


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_route_allows_or_refuses_each_role_as_declared(
    client: TestClient, tokens: dict[Role, dict[str, str]], role: Role
) -> None:
    wrong = []
    for method, path in api_routes(client):
        allowed = role in EXPECTED.get((method, path), frozenset({Role.admin}))
        code = status_of(client, method, path, tokens[role])
        if allowed and code in (401, 403):
            wrong.append(f"{method} {path}: {role.value} refused with {code}, should be allowed")
        if allowed and code == 500:
            wrong.append(f"{method} {path}: {role.value} got 500, a bug behind the role check")
        if not allowed and code != 403:
            wrong.append(f"{method} {path}: {role.value} got {code}, should be refused with 403")
    assert not wrong, "\n".join(wrong)


def test_a_refusal_names_the_role_and_who_may(
    client: TestClient, tokens: dict[Role, dict[str, str]]
) -> None:
    r = client.get("/api/v1/devices", headers=tokens[Role.viewer])
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "role 'viewer' may not do this (needs one of: admin, auditor, manager, oncall, operator)"
    )
    r = client.get("/api/v1/users", headers=tokens[Role.auditor])
    assert r.json()["detail"] == "role 'auditor' may not do this (needs one of: admin)"


def test_the_viewer_reaches_everything_the_wall_fetches(
    client: TestClient, tokens: dict[Role, dict[str, str]]
) -> None:
    """What noc/web/static/wall.js calls, with a wall display's viewer token."""
    script = (REPO / "noc" / "web" / "static" / "wall.js").read_text(encoding="utf-8")
    fetched = set(re.findall(r'"(/api/v1/[a-z/]+)', script))
    assert fetched >= {"/api/v1/wall/stream", "/api/v1/topology/svg"}
    for path in sorted(fetched):
        assert status_of(client, "GET", path, tokens[Role.viewer]) == 200, path
    assert client.get("/api/v1/wall", headers=tokens[Role.viewer]).status_code == 200
