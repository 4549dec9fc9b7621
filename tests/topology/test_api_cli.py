"""The topology API router (mounted on a bare app, as noc.app will mount it) and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from noc.api import topology as topology_api
from noc.cli.main import main
from noc.model import ObjectKind, ObjectRef, StateChange
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings)
    rt.events.users.create("operator1", "Operator", Role.operator, "operator-password-12")
    yield rt
    rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.runtime = runtime
    app.include_router(topology_api.router, prefix="/api/v1")
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth(runtime: Runtime) -> dict[str, str]:
    _tok, secret = runtime.events.tokens.create("operator1", "desk", actor="test")
    return {"Authorization": f"Bearer {secret}"}


def cut(runtime: Runtime, link: str) -> None:
    runtime.events.state_changes.append(
        StateChange(
            object=ObjectRef(kind=ObjectKind.link, id=link),
            old="up",
            new="down",
            ts=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )


@pytest.mark.parametrize("path", ["spof", "whatif?fail=r1-1", "rings", "impact", "devices", "svg"])
def test_every_topology_route_needs_a_login(client: TestClient, path: str) -> None:
    assert client.get(f"/api/v1/topology/{path}").status_code == 401


def test_spof_and_whatif(client: TestClient, auth: dict[str, str]) -> None:
    spof = client.get("/api/v1/topology/spof", headers=auth).json()
    elements = {p["element"] for p in spof["single_points"]}
    assert "device:dist-r1-1" in elements and "device:core-1" not in elements
    r = client.get("/api/v1/topology/whatif?fail=r1-2&fail=link:r1-4", headers=auth)
    body = r.json()
    assert body["rings"][0]["status"] == "split"
    assert body["rings"][0]["sites_cut_off"] == ["kec-sindangsari", "kec-margahayu"]
    r = client.get("/api/v1/topology/whatif?fail=core-9", headers=auth)
    assert r.status_code == 404 and "core-9" in r.json()["detail"]


def test_live_rings_impact_and_svg_follow_recorded_link_states(
    client: TestClient, runtime: Runtime, auth: dict[str, str]
) -> None:
    rings = client.get("/api/v1/topology/rings", headers=auth).json()
    assert [r["status"] for r in rings] == ["intact", "intact"]
    cut(runtime, "r2-2")
    rings = client.get("/api/v1/topology/rings", headers=auth).json()
    assert rings[1]["message"] == "ring R2 lost redundancy: segment r2-2 down"
    assert client.get("/api/v1/topology/impact", headers=auth).json()["sites_cut_off"] == []
    r = client.get("/api/v1/topology/svg?lang=en", headers=auth)
    assert r.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(r.text)  # well-formed XML
    assert root.tag.endswith("svg") and root.get("width") == "1920"
    assert "ring R2 lost redundancy: segment r2-2 down" in r.text
    assert "http" not in r.text.replace("http://www.w3.org/2000/svg", "")  # no external asset
    # the demo city's default language, then the reader's remembered one
    local = client.get("/api/v1/topology/svg", headers=auth).text
    assert "ring R2 kehilangan redundansi: segmen r2-2 mati" in local
    client.cookies.set("noc_lang", "en")
    assert "segment r2-2 down" in client.get("/api/v1/topology/svg", headers=auth).text
    client.cookies.clear()


def test_reconcile_route(client: TestClient, auth: dict[str, str]) -> None:
    neighbors = [
        {
            "local_device": "core-1",
            "local_interface": "Te1/0/1",
            "remote_system": "dist-r1-1",
            "remote_port": "XGE0/0/1",
            "ts": "2026-01-01T00:00:00Z",
        }
    ]
    body = client.post("/api/v1/topology/reconcile", json=neighbors, headers=auth).json()
    assert body["confirmed"] == ["r1-1"]


def test_cli_spof_whatif_rings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    inv = str(REPO / "inventory.yaml")
    assert main(["topology", "spof", "--inventory", inv]) == 0
    out = capsys.readouterr().out
    assert "device:dist-r1-1: cuts off disdukcapil, kec-sukamaju-utara; takes down siak" in out
    assert "acc-dc-mgmt is fed by one UPS (ups-a) with no second feed" in out
    assert (
        main(["topology", "whatif", "core-1", "core-2", "--inventory", inv, "--format", "json"])
        == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert len(body["sites_cut_off"]) == 16
    args = ["topology", "rings", "--inventory", inv, "--data-dir", str(tmp_path)]
    assert main([*args, "--fail", "r1-3"]) == 0
    assert "ring R1 lost redundancy: segment r1-3 down" in capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[:2] == ["R1", "intact"]
    assert main(["topology", "impact", "--inventory", inv, "--data-dir", str(tmp_path)]) == 0
    assert "nothing is cut off" in capsys.readouterr().out
    assert main(["topology", "whatif", "nope", "--inventory", inv]) == 1
    assert "'nope' is not a device" in capsys.readouterr().err


def test_api_uses_the_runtime_live_topology_when_it_keeps_one(
    client: TestClient, runtime: Runtime, auth: dict[str, str]
) -> None:
    from topology.tracker import GraphReachabilityTracker

    tracker = GraphReachabilityTracker.from_inventory(runtime.inventory)
    for d in runtime.inventory.devices:
        tracker.observe(d.id, True, datetime(2026, 1, 1, tzinfo=UTC))
    tracker.observe("dist-r1-3", False, datetime(2026, 1, 1, tzinfo=UTC))
    runtime.topology = tracker.live  # type: ignore[attr-defined]  # what runtime.py would keep
    devices = client.get("/api/v1/topology/devices", headers=auth).json()
    assert {d["device"]: d["state"] for d in devices}["dist-r1-3"] == "down"
    rings = client.get("/api/v1/topology/rings", headers=auth).json()
    assert rings[0]["message"] == "ring R1 split: kec-margahayu cut off (dist-r1-3 down)"
