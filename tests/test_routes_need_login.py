"""Every route of the app refuses an anonymous request, except the few that cannot.

The app's route table is walked, so a route added later is covered without editing this test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from noc.app import create_app
from noc.runtime import Runtime
from noc.settings import Settings

REPO = Path(__file__).resolve().parent.parent
# (method, path) that must answer without a login, and why.
ANONYMOUS = {
    ("GET", "/healthz"): "liveness for load balancers and the container health check",
    ("POST", "/api/v1/auth/login"): "how a person logs in",
    ("GET", "/login"): "the login page",
    ("GET", "/"): "redirects to /wall",
}
# Served as JSON or text to scripts: a 401, never a redirect to the login page.
API_NAMES = {"/metrics", "/docs", "/openapi.json"}


def is_page(method: str, path: str) -> bool:
    """An HTML page of the web app: an anonymous visitor is sent to the login page."""
    return method == "GET" and not path.startswith("/api/") and path not in API_NAMES


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("data")
    runtime = Runtime.build(Settings(inventory=REPO / "inventory.yaml", data_dir=data))
    with TestClient(create_app(runtime, start_background=False)) as c:
        yield c
    runtime.close()


def all_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route, through included routers (FastAPI >= 0.13x nests them)."""
    found = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Mount):
            continue  # /static: CSS and JS, no data
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for ctx in contexts:
            for method in sorted(getattr(ctx, "methods", None) or ()):
                if method != "HEAD":
                    found.append((method, ctx.path))
    return sorted(set(found))


def test_the_route_table_is_not_empty(client: TestClient) -> None:
    routes = all_routes(client)
    assert ("GET", "/api/v1/devices") in routes and ("GET", "/metrics") in routes
    assert ("GET", "/openapi.json") in routes and ("GET", "/docs") in routes
    for exempt in ANONYMOUS:
        assert exempt in routes, f"stale exemption {exempt}"


def test_every_route_refuses_an_anonymous_request(client: TestClient) -> None:
    checked = 0
    for method, path in all_routes(client):
        if (method, path) in ANONYMOUS:
            continue
        url = re.sub(r"\{[^}]+\}", "x", path)
        r = client.request(method, url, follow_redirects=False)
        if is_page(method, path):
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
        else:
            assert r.status_code == 401, f"{method} {path} answered {r.status_code} anonymously"
        checked += 1
    assert checked >= 10


def test_the_exempt_routes_answer_anonymously(client: TestClient) -> None:
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/login").status_code == 200
    assert client.get("/", follow_redirects=False).headers["location"] == "/wall"
    r = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x" * 12})
    assert r.status_code == 401
