"""The incident pages on the real app, with a real alerting service behind the API.

An incident is opened the way production opens one (a device goes down, alerting fires); the
pages must show it, let the roles that may act do so through the API with the page's CSRF
token, and show the result; managers may only assign, auditors read without action forms.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alerting.config import AlertingConfig
from alerting.service import AlertingService
from alerting.topology_view import NoTopology
from alerting.wiring import build_alerting
from noc.app import create_app
from noc.clock import ManualClock
from noc.model import ObjectKind, ObjectRef, StateChange
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role, Severity

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
USERS = {"op": Role.operator, "oncall": Role.oncall, "boss": Role.manager, "wall": Role.viewer}
FORMS = ("ack-form", "assign-form", "comment-form", "resolve-form", "reopen-form")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def runtime(tmp_path: Path, clock: ManualClock) -> Iterator[Runtime]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings, clock=clock)
    for name, role in USERS.items():
        rt.events.users.create(name, name.title(), role, f"{name}-password-1234")
    yield rt
    rt.close()


def device_down(ident: str, at: datetime) -> StateChange:
    ref = ObjectRef(kind=ObjectKind.device, id=ident)
    return StateChange(object=ref, old="up", new="down", ts=at, cause="timeout")


@pytest.fixture
def alerting(runtime: Runtime, tmp_path: Path) -> Iterator[AlertingService]:
    svc = build_alerting(
        runtime.events, runtime.clock, NoTopology(), AlertingConfig(), tmp_path / "alerting.db"
    )
    asyncio.run(svc.on_states([device_down("core-1", T0)]))
    yield svc
    svc.journal.close()


@pytest.fixture
def client(runtime: Runtime, alerting: AlertingService) -> Iterator[TestClient]:
    app = create_app(runtime, start_background=False)
    app.state.alerting = alerting
    with TestClient(app) as c:
        yield c


def login(client: TestClient, user: str) -> None:
    body = {"username": user, "password": f"{user}-password-1234"}
    assert client.post("/api/v1/auth/login", json=body).status_code == 200


def csrf(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert found and found.group(1)
    return found.group(1)


def ack_state(html: str) -> str:
    found = re.search(r'<dd id="ack-state"[^>]*>(.*?)</dd>', html, re.S)
    assert found
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()


def test_anonymous_visitors_log_in_first_and_viewers_are_refused(client: TestClient) -> None:
    r = client.get("/incidents/1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/incidents/1"
    login(client, "wall")
    for url in ("/incidents", "/incidents/1"):
        r = client.get(url)
        assert r.status_code == 403 and 'id="forbidden"' in r.text


def test_an_unknown_incident_gets_a_404_page_naming_it(client: TestClient) -> None:
    login(client, "op")
    for ident in ("999", "core-1"):
        r = client.get(f"/incidents/{ident}?lang=en")
        assert r.status_code == 404 and f"There is no incident with id “{ident}”." in r.text
    assert "Tidak ada insiden dengan id “999”." in client.get("/incidents/999?lang=id").text


def test_the_title_follows_the_page_language_from_the_alert_summary(client: TestClient) -> None:
    login(client, "boss")
    en = client.get("/incidents/1?lang=en").text
    ind = client.get("/incidents/1?lang=id").text
    assert "#1 Device core-1 is down" in en and "#1 Perangkat core-1 mati" in ind
    assert 'data-alert="device_down/device:core-1"' in en
    assert '<span class="alert-state firing">firing</span>' in en


def test_an_operator_acknowledges_with_the_page_token_and_the_page_says_so(
    client: TestClient, clock: ManualClock
) -> None:
    login(client, "op")
    clock.advance(timedelta(minutes=12))
    page = client.get("/incidents/1?lang=en").text
    for form in ("ack-form", "assign-form", "comment-form", "resolve-form"):
        assert f'id="{form}"' in page
    assert '<button id="ack" type="submit">' in page
    assert ack_state(page) == "respond within 48 min"
    refused = client.post("/api/v1/incidents/1/acknowledge", json={"text": "on it"})
    assert refused.status_code == 403  # a session without its CSRF token may not act
    r = client.post(
        "/api/v1/incidents/1/acknowledge",
        json={"text": "on it"},
        headers={"X-CSRF-Token": csrf(page)},
    )
    assert r.status_code == 200
    after = client.get("/incidents/1?lang=en").text
    assert ack_state(after).startswith("acknowledged by op")
    assert "response time 12 min" in ack_state(after)
    assert 'id="ack-form"' not in after and 'id="resolve-form"' in after
    kinds = re.findall(r'<li class="event \w+" data-kind="(\w+)">', after)
    assert kinds == ["opened", "acknowledged"] and "on it" in after


def test_comment_assign_resolve_and_reopen_show_on_the_timeline(
    client: TestClient, runtime: Runtime
) -> None:
    login(client, "oncall")
    token = {"X-CSRF-Token": csrf(client.get("/incidents/1").text)}
    url = "/api/v1/incidents/1"
    assert client.post(f"{url}/comment", json={"text": "fiber cut"}, headers=token).is_success
    assert client.post(f"{url}/assign", json={"assignee": "op"}, headers=token).is_success
    body = {"text": "spliced", "root_cause": "link:r1-1"}
    assert client.post(f"{url}/resolve", json=body, headers=token).is_success
    html = client.get("/incidents/1?lang=en").text
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert kinds == ["opened", "commented", "assigned", "resolved"]
    assert '<dd id="assignee">op</dd>' in html and 'href="/inventory/links/r1-1"' in html
    assert 'id="reopen-form"' in html and 'id="resolve-form"' not in html
    assert ack_state(html) == "resolved without acknowledgement"
    listing = client.get("/incidents?lang=en").text
    resolved = listing[listing.index('id="resolved"') :]
    assert 'data-incident="1"' in resolved
    assert 'data-incident="1"' not in listing[: listing.index('id="resolved"')]


def test_a_manager_may_only_assign(client: TestClient) -> None:
    login(client, "boss")
    html = client.get("/incidents/1?lang=en").text
    assert html.count("<form") == 1 and 'id="assign-form"' in html  # as the API allows
    assert all(f'id="{f}"' not in html for f in FORMS if f != "assign-form")
    assert 'id="ack-state"' in html and "Timeline" in html


def test_the_list_puts_open_incidents_first_by_severity_with_their_countdown(
    client: TestClient, runtime: Runtime, clock: ManualClock
) -> None:
    minor = runtime.events.incidents.open("fan tray", Severity.minor, at=T0)
    clock.advance(timedelta(minutes=30))
    major = runtime.events.incidents.open("ring R1 lost redundancy", Severity.major)
    clock.advance(timedelta(minutes=40))  # 70 min after T0: incidents 1 and minor are overdue
    login(client, "op")
    html = client.get("/incidents?lang=en").text
    order = re.findall(r'<tr data-incident="(\d+)"', html)
    assert order == ["1", str(major.id), str(minor.id)]  # critical, major, minor
    due = re.findall(r'data-due="([^"]+)"', html)
    assert datetime.fromisoformat(due[1]) == major.opened_at + timedelta(hours=1)
    assert html.count('class="overdue"') == 2
    assert "response target missed by 10 min" in html and "respond within 20 min" in html
    only = client.get("/incidents?severity=major").text
    assert re.findall(r'<tr data-incident="(\d+)"', only) == [str(major.id)]


def test_resolved_incidents_are_paged(client: TestClient, runtime: Runtime) -> None:
    for n in range(30):
        inc = runtime.events.incidents.open(f"old {n}", Severity.warning)
        runtime.events.incidents.resolve(inc.id, actor="op", text="done")
    login(client, "op")
    first = client.get("/incidents?status=resolved&lang=en").text
    assert len(re.findall(r"<tr data-incident=", first)) == 25 and "page 1 of 2" in first
    second = client.get("/incidents?status=resolved&page=2&lang=en").text
    assert len(re.findall(r"<tr data-incident=", second)) == 5 and "page 2 of 2" in second


def test_an_alert_in_planned_maintenance_is_marked_planned(
    client: TestClient, runtime: Runtime, alerting: AlertingService, clock: ManualClock
) -> None:
    ref = ObjectRef(kind=ObjectKind.device, id="core-2")
    runtime.events.maintenance.create(
        ref, T0, T0 + timedelta(hours=2), author="op", reason="IOS upgrade"
    )
    clock.advance(timedelta(minutes=5))
    asyncio.run(alerting.on_states([device_down("core-2", clock.now())]))
    record = alerting.journal.alert("device_down/device:core-2")
    assert record is not None and record.mute is not None and record.incident_id is not None
    login(client, "op")
    html = client.get(f"/incidents/{record.incident_id}?lang=en").text
    assert '<span class="tag muted maintenance"' in html and "IOS upgrade" in html
    listing = client.get("/incidents?lang=en").text
    assert re.search(
        rf'data-incident="{record.incident_id}".*?tag muted maintenance', listing, re.S
    )


def test_without_alerting_in_the_process_the_page_still_shows_the_incident(
    runtime: Runtime,
) -> None:
    inc = runtime.events.incidents.open(
        "UPS A on battery", Severity.critical, affected_services=["siak-app"]
    )
    with TestClient(create_app(runtime, start_background=False)) as c:
        login(c, "op")
        html = c.get(f"/incidents/{inc.id}?lang=en").text
    assert "UPS A on battery" in html and "Alerting does not run in this process" in html
    impact = html[html.index('id="impact"') :]
    assert '<a href="/inventory/services/siak-app">Server Aplikasi SIAK</a>' in impact


def test_notifications_about_the_incident_are_listed_with_their_delivery(
    runtime: Runtime, clock: ManualClock, tmp_path: Path
) -> None:
    hook = {"url": "http://127.0.0.1:9/noc", "secret": "a-shared-hmac-key-1234"}
    config = AlertingConfig.model_validate(
        {"channels": [{"name": "ops-hook", "type": "webhook", "settings": hook}]}
    )
    svc = build_alerting(runtime.events, clock, NoTopology(), config, tmp_path / "alerts.db")
    try:
        asyncio.run(svc.on_states([device_down("core-1", T0)]))
        clock.advance(timedelta(minutes=1))  # past the group wait: sent, and refused
        asyncio.run(svc.run_due())
        (row,) = svc.journal.notifications()
        app = create_app(runtime, start_background=False)
        app.state.alerting = svc
        with TestClient(app) as c:
            login(c, "op")
            html = c.get("/incidents/1?lang=en").text
    finally:
        svc.journal.close()
    section = html[html.index('id="notifications"') :]
    assert "<td>ops-hook</td>" in section and "Device core-1 is down" in section
    assert f'<span class="delivery {row.status}">' in section and "1 attempt(s)" in section
    assert row.last_error and row.last_error in section
