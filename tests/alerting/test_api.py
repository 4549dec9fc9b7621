"""The alerting API on the real app: incidents, alerts, maintenance, silences and the feed.

Role checks (operators and on-call act, managers read, viewers see the wall only) and the
audit trail of every action.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alerting.config import AlertingConfig
from alerting.service import AlertingService
from alerting.topology_view import NoTopology
from alerting.wiring import build_alerting
from noc.app import create_app
from noc.clock import ManualClock
from noc.model import StateChange
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role
from tests.alerting.support import T0, device

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings, clock=ManualClock(T0))
    for name, role in (("op", Role.operator), ("wall", Role.viewer), ("boss", Role.manager)):
        rt.events.users.create(name, name, role, f"{name}-password-1234")
    yield rt
    rt.close()


@pytest.fixture
def service(runtime: Runtime, tmp_path: Path) -> Iterator[AlertingService]:
    svc = build_alerting(
        runtime.events, runtime.clock, NoTopology(), AlertingConfig(), tmp_path / "alerting.sqlite"
    )
    change = StateChange(object=device("core-1"), old="up", new="down", ts=T0, cause="timeout")
    asyncio.run(svc.on_states([change]))
    yield svc
    svc.journal.close()


@pytest.fixture
def client(runtime: Runtime, service: AlertingService) -> Iterator[TestClient]:
    app = create_app(runtime, start_background=False)  # mounts the alerting routers
    app.state.alerting = service
    with TestClient(app) as c:
        yield c


def auth(runtime: Runtime, user: str) -> dict[str, str]:
    _tok, secret = runtime.events.tokens.create(user, "test", actor="test")
    return {"Authorization": f"Bearer {secret}"}


def test_every_route_needs_a_login(client: TestClient) -> None:
    for path in ("/api/v1/incidents", "/api/v1/alerts", "/api/v1/maintenance", "/api/v1/feed"):
        assert client.get(path).status_code == 401


def test_manager_reads_but_may_not_acknowledge(client: TestClient, runtime: Runtime) -> None:
    boss = auth(runtime, "boss")
    assert client.get("/api/v1/incidents", headers=auth(runtime, "wall")).status_code == 403
    (inc,) = client.get("/api/v1/incidents", headers=boss).json()
    assert inc["source_alert"] == "device_down/device:core-1"
    (rec,) = client.get("/api/v1/alerts", headers=boss).json()
    assert rec["alert"]["state"] == "firing" and rec["incident_id"] == inc["id"]
    one = client.get("/api/v1/alerts/device_down/device:core-1", headers=boss)
    assert one.status_code == 200
    r = client.post(f"/api/v1/incidents/{inc['id']}/acknowledge", json={}, headers=boss)
    assert r.status_code == 403 and "manager" in r.json()["detail"]


def test_operator_acknowledges_comments_resolves_and_everything_is_audited(
    client: TestClient, runtime: Runtime
) -> None:
    op = auth(runtime, "op")
    url = "/api/v1/incidents/1"
    r = client.post(f"{url}/acknowledge", json={"text": "on it"}, headers=op)
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "op"
    assert client.post(f"{url}/acknowledge", json={}, headers=op).status_code == 409
    assert client.post(f"{url}/comment", json={"text": "fiber cut"}, headers=op).status_code == 200
    assert client.post(f"{url}/assign", json={"assignee": "budi"}, headers=op).status_code == 200
    r = client.post(
        f"{url}/resolve", json={"text": "spliced", "root_cause": "device:core-1"}, headers=op
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert client.post(f"{url}/reopen", json={"text": "again"}, headers=op).status_code == 200
    detail = client.get(url, headers=op).json()
    kinds = [e["kind"] for e in detail["events"]]
    assert kinds == ["opened", "acknowledged", "commented", "assigned", "resolved", "reopened"]
    actions = {(e.actor, e.action) for e in runtime.events.audit.entries()}
    for kind in ("acknowledged", "commented", "assigned", "resolved", "reopened"):
        assert ("op", f"incident.{kind}") in actions
    assert ("alerting", "incident.opened") in actions
    assert runtime.events.audit.verify().ok
    assert client.post("/api/v1/incidents/99/acknowledge", json={}, headers=op).status_code == 404


def test_unknown_body_keys_are_refused(client: TestClient, runtime: Runtime) -> None:
    op = auth(runtime, "op")
    r = client.post("/api/v1/incidents/1/acknowledge", json={"txt": "typo"}, headers=op)
    assert r.status_code == 422


def test_maintenance_and_silences_are_created_and_ended_by_the_right_roles(
    client: TestClient, runtime: Runtime
) -> None:
    op, wall = auth(runtime, "op"), auth(runtime, "wall")
    window = {
        "target": "site:dc",
        "starts_at": T0.isoformat(),
        "ends_at": (T0 + timedelta(hours=2)).isoformat(),
        "reason": "UPS battery replacement",
        "recurrence": "FREQ=WEEKLY;BYDAY=SU",
    }
    assert client.post("/api/v1/maintenance", json=window, headers=wall).status_code == 403
    r = client.post("/api/v1/maintenance", json=window, headers=op)
    assert r.status_code == 201 and r.json()["author"] == "op"
    bad = {**window, "ends_at": T0.isoformat()}
    assert client.post("/api/v1/maintenance", json=bad, headers=op).status_code == 422
    bad = {**window, "target": "link:x"}
    assert client.post("/api/v1/maintenance", json=bad, headers=op).status_code == 422
    assert len(client.get("/api/v1/maintenance?active=true", headers=op).json()) == 1
    r = client.post(f"/api/v1/maintenance/{r.json()['id']}/cancel", headers=op)
    assert r.status_code == 200 and r.json()["cancelled_by"] == "op"

    silence = {
        "matchers": [{"name": "alertname", "value": "door_open"}],
        "starts_at": T0.isoformat(),
        "ends_at": (T0 + timedelta(hours=1)).isoformat(),
        "reason": "door sensor broken",
    }
    r = client.post("/api/v1/silences", json=silence, headers=op)
    assert r.status_code == 201
    assert client.post(f"/api/v1/silences/{r.json()['id']}/expire", headers=op).status_code == 200
    assert client.get("/api/v1/silences", headers=op).json() == []


def test_feed_streams_alert_incident_and_state_events(client: TestClient, runtime: Runtime) -> None:
    headers = {**auth(runtime, "boss"), "Last-Event-ID": "0"}
    with client.stream("GET", "/api/v1/feed?limit=3", headers=headers) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = [block for block in text.split("\n\n") if block.startswith("id:")]
    kinds = [b.split("\n")[1].removeprefix("event: ") for b in events]
    assert kinds == ["state", "incident", "alert"]
    data = json.loads(events[1].split("\n")[2].removeprefix("data: "))
    assert data["action"] == "opened" and data["incident"]["id"] == 1
