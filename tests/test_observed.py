"""What collectors see besides samples reaches the API: facts, LLDP neighbors, poll health."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from collectors.ssh.collector import SshCollectResult
from collectors.ssh.models import Facts
from noc.app import create_app
from noc.model import Neighbor, NeighborProtocol
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 10, 1, tzinfo=UTC)


def neighbor(local: str, port: str, remote: str, remote_port: str) -> Neighbor:
    return Neighbor(
        local_device=local,
        local_interface=port,
        remote_system=remote,
        remote_port=remote_port,
        protocol=NeighborProtocol.lldp,
        ts=T0,
    )


def ssh_result(device: str, neighbors: list[Neighbor], *, failed: bool = False) -> SshCollectResult:
    return SshCollectResult(
        device=device,
        collector="ssh",
        started_at=T0,
        duration_seconds=0.8,
        failed=failed,
        error="authentication failed" if failed else None,
        error_kind="auth" if failed else None,
        neighbors=neighbors,
        facts=None if failed else Facts(hostname=device, model="C9500-40X", serial="FXS2301Q0AB"),
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, Runtime, dict[str, str]]]:
    runtime = Runtime.build(Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path))
    runtime.events.users.create("ops", "Ops", Role.operator, "operator-password-1")
    _t, token = runtime.events.tokens.create("ops", "t", actor="test")
    with TestClient(create_app(runtime)) as c:  # the runtime starts: pipeline and all
        yield c, runtime, {"Authorization": f"Bearer {token}"}
    runtime.close()


def test_facts_neighbors_and_poll_health_reach_the_api(
    client: tuple[TestClient, Runtime, dict[str, str]],
) -> None:
    c, runtime, h = client
    assert runtime.pipeline is not None
    pipeline = runtime.pipeline
    documented = neighbor("core-1", "TenGigabitEthernet1/0/1", "dist-r1-1", "XGigabitEthernet0/0/1")
    miscabled = neighbor("core-1", "TenGigabitEthernet1/0/2", "dist-r1-1", "XGigabitEthernet0/0/9")

    async def feed() -> None:
        await pipeline(ssh_result("core-1", [documented, miscabled]))
        # A failed poll keeps the last table and facts instead of erasing them.
        await pipeline(ssh_result("core-1", [], failed=True))

    c.portal.call(feed)  # type: ignore[union-attr]
    device = c.get("/api/v1/devices/core-1", headers=h).json()
    assert device["facts"]["serial"] == "FXS2301Q0AB"
    ssh = [p for p in device["polls"] if p["collector"] == "ssh"]
    assert ssh == [
        {
            "collector": "ssh",
            "at": "2026-10-01T00:00:00Z",
            "duration_seconds": 0.8,
            "ok": False,
            "error_kind": "auth",
            "error": "authentication failed",
        }
    ]
    assert documented in runtime.observed_neighbors()
    rec = c.get("/api/v1/topology/reconcile", headers=h).json()
    assert "r1-1" in rec["confirmed"]
    assert any(m["device"] == "core-1" for m in rec["wrong_port"] + rec["seen_not_documented"])
