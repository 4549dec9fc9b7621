"""The desk pages as a whole: who may open which, anonymous visitors go to the login page, both
languages render. The fixtures here (``clock``, ``runtime``, ``client``: one user per role, named
after it) are shared by tests/web/test_desk_*.py, which import them as ``*_fixture``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from noc.app import create_app
from noc.clock import ManualClock
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "desk-password-123"
NOW = datetime(2026, 10, 15, 3, 0, tzinfo=UTC)  # 10:00 WIB
PAGES = {
    "/maintenance": {Role.operator, Role.oncall, Role.manager, Role.auditor, Role.admin},
    "/logbook": {Role.operator, Role.oncall, Role.manager, Role.auditor, Role.admin},
    "/sla": {Role.manager, Role.auditor, Role.admin},
    "/audit": {Role.auditor, Role.admin},
    "/users": {Role.admin},
    "/account": set(Role),
}


@pytest.fixture(name="clock")
def clock_fixture() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture(name="runtime")
def runtime_fixture(tmp_path: Path, clock: ManualClock) -> Iterator[Runtime]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings, clock=clock)
    for role in Role:
        rt.events.users.create(role.value, f"{role.value.title()} Satu", role, PASSWORD)
    yield rt
    rt.close()


@pytest.fixture(name="client")
def client_fixture(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, start_background=False)) as c:
        yield c


def login(client: TestClient, role: Role | str) -> dict[str, str]:
    """Log in as the user named after ``role``; the CSRF header a page's script would send."""
    name = role.value if isinstance(role, Role) else role
    r = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"X-CSRF-Token": r.json()["csrf_token"]}


def csrf_of(page: str) -> str:
    """The CSRF token the page carries for its script (as the browser's script reads it)."""
    marker = '<meta name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.mark.parametrize("path", sorted(PAGES))
def test_anonymous_visitors_go_to_the_login_page(client: TestClient, path: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_its_pages(client: TestClient, role: Role) -> None:
    login(client, role)
    for path, allowed in PAGES.items():
        r = client.get(path)
        if role in allowed:
            assert r.status_code == 200, (path, role, r.text[:500])
            assert 'id="forbidden"' not in r.text
            assert csrf_of(r.text)
        else:
            assert r.status_code == 403, (path, role)
            assert 'id="forbidden"' in r.text


@pytest.mark.parametrize("path", sorted(PAGES))
def test_pages_speak_both_languages(client: TestClient, path: str) -> None:
    login(client, Role.admin)
    id_page = client.get(f"{path}?lang=id").text
    en_page = client.get(f"{path}?lang=en").text
    assert '<html lang="id">' in id_page and '<html lang="en">' in en_page
    assert id_page != en_page
    for text in (id_page, en_page):
        assert "{{" not in text and "t['" not in text


def test_messages_built_from_values_exist_in_both_languages() -> None:
    """Keys the templates build (``t['logbook.shift_' ~ name]``) escape the static key check."""
    from noc.model.policy import MaintenanceTreatment
    from noc.web.i18n import LANGUAGES, catalog
    from noc.web.pages.logbook_timeline import SHIFTS

    built = (
        [f"maintenance.kind_{k}" for k in ("device", "site", "service")]
        + [f"maintenance.effect_{t.value}" for t in MaintenanceTreatment]
        + [f"logbook.shift_{name}" for name, _hour in SHIFTS]
        + [
            f"logbook.kind_{k}"
            for k in (
                "incident_opened",
                "incident_acknowledged",
                "incident_resolved",
                "maintenance_started",
            )
        ]
        + [f"users.token_{s}" for s in ("active", "expired", "revoked")]
        + [f"account.language_{lang}" for lang in LANGUAGES]
    )
    for lang in LANGUAGES:
        missing = [k for k in built if k not in catalog(lang)]
        assert not missing, (lang, missing)
