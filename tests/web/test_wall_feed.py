"""The wall's snapshot and live feed, in-process: SSE, kiosk token login, stale rule, i18n."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from noc.api.session import COOKIE
from noc.app import create_app
from noc.clock import ManualClock
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Role, Severity
from noc.web.feed import WallFeed
from noc.web.i18n import LANGUAGES, catalog, format_number, format_percent, format_time
from noc.web.snapshot import build_snapshot

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path / "data")
    rt = Runtime.build(settings, clock=ManualClock(datetime(2026, 10, 1, tzinfo=UTC)))
    rt.events.users.create("wall1", "Wall 1", Role.viewer, "wall-display-password")
    yield rt
    rt.close()


def test_every_message_exists_in_both_languages() -> None:
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["id"] == keys["en"]
    templates = (REPO / "noc/web/templates").rglob("*.html")
    used = {
        k for f in templates for k in __import__("re").findall(r"t\['([\w.]+)'\]", f.read_text())
    }
    assert used <= keys["id"], f"missing messages: {sorted(used - keys['id'])}"


def test_numbers_and_times_follow_the_locale() -> None:
    assert format_number(1234567.891, "id", 2) == "1.234.567,89"
    assert format_number(1234567.891, "en", 2) == "1,234,567.89"
    assert format_percent(0.9995, "id") == "99,95%"
    when = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
    assert format_time(when, "id", "Asia/Jakarta") == "22 Nov 2026 17:30 WIB"
    assert format_time(datetime(2026, 8, 1, tzinfo=UTC), "id", "Asia/Jakarta").startswith(
        "1 Agu 2026"
    )


def test_snapshot_without_collectors_is_stale_and_lists_open_incidents(runtime: Runtime) -> None:
    inc = runtime.events.incidents.open("core-1 down", Severity.critical)
    snap = build_snapshot(runtime)
    assert snap.stale and snap.stale_reason == "collectors are not running"
    assert snap.devices_by_state["unknown"] == 39 and len(snap.problems) == 39
    assert [c.id for c in snap.incidents] == [inc.id]
    card = snap.incidents[0]
    assert (card.response_due_at - card.opened_at).total_seconds() == 3600
    assert snap.incidents_by_severity["critical"] == 1


def test_the_stream_pushes_a_new_incident_without_a_reload(runtime: Runtime) -> None:
    app = create_app(runtime, start_background=False)
    with TestClient(app) as client:
        _tok, token = runtime.events.tokens.create("wall1", "wall", actor="test")
        events: list[dict[str, object]] = []
        with client.stream(
            "GET", "/api/v1/wall/stream", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            kind = ""
            for line in lines:
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "snapshot":
                    events.append(json.loads(line[6:]))
                    if len(events) == 1:
                        runtime.events.incidents.open("ring R1 lost redundancy", Severity.major)
                    else:
                        break
        assert events[0]["incidents"] == []
        titles = [i["title"] for i in events[1]["incidents"]]  # type: ignore[index, union-attr]
        assert titles == ["ring R1 lost redundancy"]


def test_a_wall_display_logs_in_with_a_viewer_token_that_leaves_the_address(
    runtime: Runtime,
) -> None:
    with TestClient(create_app(runtime, start_background=False)) as client:
        _tok, token = runtime.events.tokens.create("wall1", "wall", actor="test")
        r = client.get(f"/wall?token={token}&kiosk=1&lang=en", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/wall?lang=en&kiosk=1"
        assert COOKIE in r.cookies
        page = client.get(r.headers["location"])
        assert page.status_code == 200 and "Command Center Wall" in page.text
        assert 'class="wall kiosk"' in page.text and token not in page.text
        bad = client.get("/wall?token=noc_forged", follow_redirects=False)
        assert bad.status_code == 401


def test_the_feed_only_publishes_a_new_version_when_something_changed(runtime: Runtime) -> None:
    async def run() -> list[int]:
        feed = WallFeed(runtime)
        versions = []
        for _ in range(3):
            await feed.refresh()
            versions.append(feed.version)
        runtime.events.incidents.open("UPS A on battery", Severity.critical)
        await feed.refresh()
        versions.append(feed.version)
        return versions

    assert asyncio.run(run()) == [1, 1, 1, 2]
