"""The HTTP API: login on every route but health, the inventory read API, bad requests.

Runs the real app (FastAPI + the SQLite stores) in-process; devices are polled by the real
ICMP collector on loopback addresses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from noc.app import create_app
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parent.parent
SECRET = "s3cret-community-value"


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.setenv("NOC_SNMP_COMMUNITY", SECRET)
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings)
    rt.events.users.create("operator1", "Operator Satu", Role.operator, "operator-password-1")
    rt.events.users.create("auditor1", "Auditor", Role.auditor, "auditor-password-12")
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, start_background=False)) as c:
        yield c


def token_for(runtime: Runtime, user: str) -> dict[str, str]:
    _tok, secret = runtime.events.tokens.create(user, "test", actor="test")
    return {"Authorization": f"Bearer {secret}"}


def test_health_needs_no_login_and_reports_every_part(client: TestClient) -> None:
    r = client.get("/healthz")
    body = r.json()
    # The scheduler is not started in this app: health says so, with 503.
    assert r.status_code == 503
    assert body["status"] == "degraded"
    assert body["checks"]["scheduler"] == {"ok": False, "running": False}
    assert body["checks"]["event_store"]["ok"] is True
    assert body["checks"]["inventory"] == {"ok": True, "sites": 16, "devices": 39}


@pytest.mark.parametrize(
    "path",
    ["/metrics", "/api/v1/sites", "/api/v1/devices", "/api/v1/devices/core-1", "/api/v1/links"],
)
def test_every_api_route_needs_a_token(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "noc token create" in r.json()["detail"]
    r = client.get(path, headers={"Authorization": "Bearer noc_not-a-real-token"})
    assert r.status_code == 401
    assert r.json()["detail"] == "this token is unknown, expired or revoked"
    r = client.get(path, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert r.status_code == 401


def test_revoked_tokens_and_disabled_users_are_refused(
    runtime: Runtime, client: TestClient
) -> None:
    tok, secret = runtime.events.tokens.create("operator1", "laptop", actor="test")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/sites", headers=headers).status_code == 200
    runtime.events.tokens.revoke(tok.id, actor="test")
    assert client.get("/api/v1/sites", headers=headers).status_code == 401
    headers = token_for(runtime, "auditor1")
    assert client.get("/api/v1/sites", headers=headers).status_code == 200
    runtime.events.users.disable("auditor1", actor="test")
    assert client.get("/api/v1/sites", headers=headers).status_code == 401


def test_inventory_read_api(runtime: Runtime, client: TestClient) -> None:
    h = token_for(runtime, "auditor1")
    inv = runtime.inventory
    sites = client.get("/api/v1/sites", headers=h).json()
    assert sites["total"] == len(inv.sites) == len(sites["items"])
    districts = client.get("/api/v1/sites?kind=district", headers=h).json()
    assert districts["total"] == sum(1 for s in inv.sites if s.kind.value == "district") >= 8

    cores = client.get("/api/v1/devices?role=core_switch", headers=h).json()
    assert [d["id"] for d in cores["items"]] == ["core-1", "core-2"]
    assert cores["items"][0]["redundant_peer"] == "core-2"
    assert cores["items"][0]["state"] == "unknown"  # not polled: the scheduler is off here

    at_dc = client.get("/api/v1/devices", params={"site": "dc"}, headers=h).json()
    assert at_dc["total"] == len([d for d in inv.devices if d.site == "dc"])

    ring = client.get("/api/v1/links?ring=R1", headers=h).json()
    assert ring["total"] == len(inv.rings()["R1"]) >= 5
    assert all(link["ring"] == "R1" for link in ring["items"])
    link = ring["items"][0]
    assert client.get(f"/api/v1/links/{link['id']}", headers=h).json() == link

    services = client.get("/api/v1/services", headers=h).json()
    assert services["total"] == len(inv.services) >= 6
    one = client.get(f"/api/v1/services/{inv.services[0].id}", headers=h).json()
    assert one["rule"] in {"all", "any", "n_of_m"} and one["components"]


def test_unknown_ids_and_bad_parameters_get_one_clear_sentence(
    runtime: Runtime, client: TestClient
) -> None:
    h = token_for(runtime, "auditor1")
    r = client.get("/api/v1/devices/core-9", headers=h)
    assert r.status_code == 404
    assert r.json()["detail"] == "no device with id 'core-9' in the inventory"
    r = client.get("/api/v1/devices?role=coffee_machine", headers=h)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("query.role: Input should be")
    assert "Traceback" not in r.text


def test_no_credential_leaves_the_api(runtime: Runtime, client: TestClient) -> None:
    h = token_for(runtime, "operator1")
    bodies = [
        client.get(p, headers=h).text
        for p in ("/api/v1/devices", "/api/v1/devices/core-1", "/api/v1/sites", "/openapi.json")
    ]
    for text in bodies:
        assert SECRET not in text
        assert "env:NOC_" not in text
        assert "credentials" not in text


def test_device_state_follows_real_polls(runtime: Runtime) -> None:
    """With the scheduler running, loopback devices come up and the API says so."""
    runtime.settings = runtime.settings.model_copy(update={"poll_jitter_ratio": 0.0})
    with TestClient(create_app(runtime)) as client:
        h = token_for(runtime, "auditor1")
        assert runtime.scheduler is not None

        async def poll_all() -> None:
            assert runtime.scheduler is not None
            scheduler = runtime.scheduler
            await asyncio.gather(*(scheduler.run_once(t.job_id) for t in runtime.poll_targets()))

        client.portal.call(poll_all)  # type: ignore[union-attr]
        devices = client.get("/api/v1/devices", headers=h).json()["items"]
        assert {d["state"] for d in devices} == {"up"}
        assert client.get("/healthz").status_code == 200
        families = {
            f.name: f
            for f in text_string_to_metric_families(client.get("/metrics", headers=h).text)
        }
        polls = [s for s in families["noc_collect"].samples if s.name == "noc_collect_total"]
        assert {s.labels["device"] for s in polls} == {d.id for d in runtime.inventory.devices}
        up = [s for s in families["noc_devices"].samples if s.labels["state"] == "up"]
        assert up[0].value == len(runtime.inventory.devices)
    changes = runtime.events.state_changes.list()
    assert len(changes) == len(runtime.inventory.devices)
    assert {(c.old, c.new) for c in changes} == {("unknown", "up")}
