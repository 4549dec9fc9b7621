"""``noc report monthly``, ``noc audit export|verify`` and the API routers, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from noc.api import audit as audit_api
from noc.api import reports as reports_api
from noc.cli.main import main
from noc.clock import ManualClock
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role
from tests.sla.city import NOW, generate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("data")
    store, _ = generate(str(d / "events.sqlite"), outages_per_object=2)
    store.close()
    return d


def test_cli_report_and_audit_round_trip(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inv = str(REPO / "inventory.yaml")
    base = ["--data-dir", str(data_dir), "--inventory", inv]
    out = tmp_path / "r.pdf"
    assert (
        main(
            [
                "report",
                "monthly",
                "--month",
                "2026-10",
                "--format",
                "pdf",
                "--lang",
                "en",
                "--out",
                str(out),
                *base,
            ]
        )
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    html = tmp_path / "r.html"
    assert (
        main(
            [
                "report",
                "monthly",
                "--month",
                "2026-10",
                "--format",
                "html",
                "--out",
                str(html),
                *base,
            ]
        )
        == 0
    )
    assert "Laporan SLA Bulanan" in html.read_text()
    for fmt in ("csv", "json"):
        exp = tmp_path / f"a.{fmt}"
        assert (
            main(
                [
                    "audit",
                    "export",
                    "--from",
                    "2026-10-01",
                    "--to",
                    "2026-11-01",
                    "--format",
                    fmt,
                    "--out",
                    str(exp),
                    *base,
                ]
            )
            == 0
        )
        assert main(["audit", "verify", str(exp)]) == 0
        assert "OK:" in capsys.readouterr().out
        text = exp.read_text()
        i = text.index("state_change.recorded") + 40  # inside an entry's payload
        exp.write_text(text[:i] + ("7" if text[i] != "7" else "8") + text[i + 1 :])
        assert main(["audit", "verify", str(exp)]) == 1
        assert "entry seq" in capsys.readouterr().out
    assert main(["report", "monthly", "--month", "2026-13", *base]) == 1


@pytest.fixture
def client(data_dir: Path) -> Iterator[tuple[TestClient, Runtime]]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=data_dir)
    rt = Runtime.build(settings, clock=ManualClock(NOW))
    app = FastAPI()
    app.state.runtime = rt
    app.include_router(reports_api.router, prefix="/api/v1")
    app.include_router(audit_api.router, prefix="/api/v1")
    with TestClient(app) as c:
        yield c, rt
    rt.close()


def _token(rt: Runtime, name: str, role: Role) -> dict[str, str]:
    if rt.events.users.get(name) is None:
        rt.events.users.create(name, name, role, f"{name}-password-123")
    _t, secret = rt.events.tokens.create(name, "t", actor="test")
    return {"Authorization": f"Bearer {secret}"}


def test_api_roles_report_and_export(client: tuple[TestClient, Runtime]) -> None:
    c, rt = client
    manager, auditor, viewer = (
        _token(rt, n, r)
        for n, r in (("mgr", Role.manager), ("aud", Role.auditor), ("wall", Role.viewer))
    )
    r = c.get("/api/v1/reports/monthly?month=2026-10&format=html&lang=en", headers=manager)
    assert r.status_code == 200 and "Monthly SLA Report" in r.text
    r = c.get("/api/v1/reports/monthly?month=2026-10", headers=auditor)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert c.get("/api/v1/reports/monthly?month=2026-10", headers=viewer).status_code == 403
    assert c.get("/api/v1/reports/monthly?month=2026-10").status_code == 401
    figs = c.get("/api/v1/sla/availability?from=2026-10-01&to=2026-11-01", headers=manager).json()
    assert any(f["ref"] == "service:siak" for f in figs)
    assert c.get("/api/v1/sla/burn", headers=manager).status_code == 200
    assert (
        c.get("/api/v1/audit/export?from=2026-10-01&to=2026-11-01", headers=manager).status_code
        == 403
    )
    exp = c.get("/api/v1/audit/export?from=2026-10-01&to=2026-11-01&format=json", headers=auditor)
    assert exp.status_code == 200
    verdict = c.post("/api/v1/audit/verify", content=exp.content, headers=auditor).json()
    assert verdict["ok"] is True
