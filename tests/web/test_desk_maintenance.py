"""The maintenance page: windows by state with their SLA effect, silences, and the forms' posts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from noc.model import ObjectRef
from noc.runtime import Runtime
from noc.store.events import Matcher, Role
from noc.web.pages.maintenance import next_occurrence, sort_windows
from noc.web.pages.maintenance_scope import sla_effect
from tests.web.test_desk_pages import (
    NOW,
    client_fixture,
    clock_fixture,
    csrf_of,
    login,
    runtime_fixture,
)

SHARED_FIXTURES = (
    client_fixture,
    clock_fixture,
    runtime_fixture,
)  # used by name: clock, runtime, client


def section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</table>", start)]


def test_windows_show_in_progress_planned_and_past_with_scope_and_sla_effect(
    client: TestClient, runtime: Runtime
) -> None:
    m = runtime.events.maintenance
    m.create(
        ObjectRef.parse("device:core-1"),
        NOW - timedelta(hours=1),
        NOW + timedelta(hours=1),
        author="operator",
        reason="swap supervisor module",
    )
    m.create(
        ObjectRef.parse("site:dc"),
        NOW + timedelta(days=2),
        NOW + timedelta(days=2, hours=3),
        author="manager",
        reason="UPS battery replacement",
    )
    m.create(
        ObjectRef.parse("service:portal-egov"),
        NOW - timedelta(days=10),
        NOW - timedelta(days=10) + timedelta(hours=2),
        author="oncall",
        reason="CMS upgrade",
    )
    weekly = m.create(
        ObjectRef.parse("device:fw-1"),
        NOW - timedelta(days=20),
        NOW - timedelta(days=20) + timedelta(hours=1),
        author="operator",
        reason="firewall rule review",
        recurrence="FREQ=WEEKLY",
    )
    login(client, Role.auditor)
    page = client.get("/maintenance?lang=en").text
    active = section(page, "windows-active")
    assert "swap supervisor module" in active and "device:core-1" in active
    assert "planned down time is left out of the SLA" in active
    assert "Jaringan Inti Pusat Data" in active
    planned = section(page, "windows-planned")
    assert "UPS battery replacement" in planned and "site:dc" in planned
    assert f'data-window="{weekly.id}"' in planned and "FREQ=WEEKLY" in planned  # recurs
    assert "CMS upgrade" in section(page, "windows-past")
    # an auditor reads only: no forms
    assert "data-desk-action" not in page and "/cancel" not in page


def test_sla_effect_follows_nested_services_and_site_devices(runtime: Runtime) -> None:
    inv = runtime.inventory
    core = sla_effect(inv, ObjectRef.parse("device:core-1")).services
    assert "Jaringan Inti Pusat Data" in core
    assert any(name.startswith("SIAK (") for name in core)  # through service:inti-pusat-data
    assert sla_effect(inv, ObjectRef.parse("site:dc")).services  # devices of the site
    assert not sla_effect(inv, ObjectRef.parse("device:__nothing__")).services


def test_a_cancelled_window_is_past(runtime: Runtime) -> None:
    m = runtime.events.maintenance
    w = m.create(
        ObjectRef.parse("device:core-2"),
        NOW + timedelta(hours=1),
        NOW + timedelta(hours=2),
        author="operator",
        reason="x",
    )
    m.cancel(w.id, actor="operator", at=NOW)
    sorted_ = sort_windows(m.list(), runtime.inventory, NOW)
    assert [r.window.id for r in sorted_.past] == [w.id] and not sorted_.planned


def test_an_operator_plans_and_cancels_a_window_through_the_api(
    client: TestClient, runtime: Runtime
) -> None:
    login(client, Role.operator)
    page = client.get("/maintenance").text
    assert 'data-desk-action="/api/v1/maintenance"' in page
    assert 'name="target"' in page and 'value="device:core-1"' in page
    assert 'data-offset="+07:00"' in page
    headers = {"X-CSRF-Token": csrf_of(page)}
    # what desk.js sends: the form's fields, local times with the site's offset
    body = {
        "target": "device:core-1",
        "starts_at": "2026-10-16T22:00:00+07:00",
        "ends_at": "2026-10-17T01:00:00+07:00",
        "reason": "IOS upgrade",
        "recurrence": "FREQ=MONTHLY",
    }
    r = client.post("/api/v1/maintenance", json=body, headers=headers)
    assert r.status_code == 201, r.text
    [w] = runtime.events.maintenance.list()
    assert (w.author, w.reason, str(w.target), w.recurrence) == (
        "operator",
        "IOS upgrade",
        "device:core-1",
        "FREQ=MONTHLY",
    )
    assert w.starts_at.hour == 15  # 22:00 WIB
    page = client.get("/maintenance").text
    assert f'data-action="/api/v1/maintenance/{w.id}/cancel"' in page
    assert client.post(f"/api/v1/maintenance/{w.id}/cancel", json={}, headers=headers).is_success
    assert runtime.events.maintenance.get(w.id).cancelled_by == "operator"


def test_silences_show_the_sla_note_and_post_matchers(client: TestClient, runtime: Runtime) -> None:
    runtime.events.silences.create(
        [Matcher(name="device", value="acc-.*", regex=True)],
        NOW - timedelta(minutes=5),
        NOW + timedelta(hours=2),
        author="oncall",
        reason="noisy access switches",
    )
    login(client, Role.oncall)
    page = client.get("/maintenance?lang=id").text
    assert "tetap dihitung dalam SLA" in page
    active = section(page, "silences-active")
    assert "device=~acc-.*" in active and "noisy access switches" in active
    headers = {"X-CSRF-Token": csrf_of(page)}
    body = {
        "matchers": [{"name": "alertname", "value": "if_down", "regex": False, "negate": False}],
        "starts_at": "2026-10-15T10:00:00+07:00",
        "ends_at": "2026-10-15T12:00:00+07:00",
        "reason": "planned fibre splice",
    }
    r = client.post("/api/v1/silences", json=body, headers=headers)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert f'data-action="/api/v1/silences/{sid}/expire"' in client.get("/maintenance").text
    assert client.post(f"/api/v1/silences/{sid}/expire", json={}, headers=headers).is_success
    assert runtime.events.silences.get(sid).expired_by == "oncall"
    assert "planned fibre splice" in section(client.get("/maintenance").text, "silences-ended")


def test_a_manager_plans_but_does_not_silence(client: TestClient) -> None:
    login(client, Role.manager)
    page = client.get("/maintenance").text
    assert 'data-desk-action="/api/v1/maintenance"' in page
    assert 'data-desk-action="/api/v1/silences"' not in page


def test_a_recurring_window_whose_rule_ended_is_past(runtime: Runtime) -> None:
    m = runtime.events.maintenance
    ended = m.create(
        ObjectRef.parse("device:core-2"),
        NOW - timedelta(days=30),
        NOW - timedelta(days=30) + timedelta(hours=1),
        author="operator",
        reason="weekly reboot, three times",
        recurrence="FREQ=WEEKLY;COUNT=3",
    )
    ongoing = m.create(
        ObjectRef.parse("device:core-1"),
        NOW - timedelta(days=7, minutes=30),
        NOW - timedelta(days=7) + timedelta(minutes=30),
        author="operator",
        reason="weekly backup window",
        recurrence="FREQ=WEEKLY",
    )
    found = sort_windows(m.list(), runtime.inventory, NOW)
    assert [r.window.id for r in found.past] == [ended.id]
    assert [r.window.id for r in found.active] == [ongoing.id]  # its second occurrence
    assert next_occurrence(ongoing, NOW, ZoneInfo("Asia/Jakarta")) == NOW + timedelta(
        days=7
    ) - timedelta(minutes=30)
