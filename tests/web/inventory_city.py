"""The city of inventory.yaml on a ManualClock, its users, and helpers to feed it samples and
state changes: shared by the inventory page tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from noc.app import create_app
from noc.clock import ManualClock
from noc.model import ObjectKind, ObjectRef, Sample, StateChange
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
PORT = {"device": "core-1", "interface": "TenGigabitEthernet1/0/1"}  # link r1-1, 10G
USERS = {
    "op": Role.operator,
    "boss": Role.manager,
    "audit": Role.auditor,
    "wall": Role.viewer,
}


def city(tmp_path: Path) -> Iterator[Runtime]:
    """The runtime of a test (a fixture's body): the demo city and one user per role."""
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings, clock=ManualClock(NOW))
    for name, role in USERS.items():
        rt.events.users.create(name, name.title(), role, f"{name}-password-1234")
    yield rt
    rt.close()


def app_client(runtime: Runtime) -> Iterator[TestClient]:
    """The app on that runtime, collectors not started (a fixture's body)."""
    with TestClient(create_app(runtime, start_background=False)) as c:
        yield c


def login(client: TestClient, user: str) -> None:
    r = client.post(
        "/api/v1/auth/login", json={"username": user, "password": f"{user}-password-1234"}
    )
    assert r.status_code == 200


def device(ident: str) -> ObjectRef:
    return ObjectRef(kind=ObjectKind.device, id=ident)


def change(ref: ObjectRef, old: str, new: str, ago: timedelta, cause: str = "") -> StateChange:
    return StateChange(object=ref, old=old, new=new, ts=NOW - ago, cause=cause)


def traffic(minutes: range, rx: float, tx: float, port: dict[str, str] = PORT) -> list[Sample]:
    out = []
    for m in minutes:
        ts = NOW - timedelta(minutes=m)
        out.append(Sample(metric="if_in_bits_per_second", labels=port, value=rx, ts=ts))
        out.append(Sample(metric="if_out_bits_per_second", labels=port, value=tx, ts=ts))
    return out


def paths(html: str, series: str) -> list[list[tuple[float, float]]]:
    """The drawn runs of one line of the first chart: lists of (x, y)."""
    found = re.findall(rf'<path class="series s\d" data-series="{series}" d="([^"]+)"', html)
    return [
        [(float(x), float(y)) for x, y in re.findall(r"[ML]([\d.]+),([\d.]+)", d)] for d in found
    ]


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-device="([^"]+)">', html)
