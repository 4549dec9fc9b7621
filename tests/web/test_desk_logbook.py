"""The log book page: entries by day and shift in local time, hand-over notes, automatic lines
for incidents and maintenance, and the form's post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from noc.clock import ManualClock
from noc.model import ObjectRef
from noc.runtime import Runtime
from noc.store.events import Role, Severity
from noc.web.pages.logbook_timeline import shift_of
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

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_shifts_are_local_and_a_night_belongs_to_the_day_it_starts() -> None:
    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 10, 15, hour, minute, tzinfo=JAKARTA).astimezone(UTC)

    assert shift_of(at(7), JAKARTA)[:2] == (datetime(2026, 10, 15).date(), "morning")
    assert shift_of(at(14, 59), JAKARTA)[1] == "morning"
    assert shift_of(at(15), JAKARTA)[1] == "afternoon"
    assert shift_of(at(23, 30), JAKARTA)[:2] == (datetime(2026, 10, 15).date(), "night")
    assert shift_of(at(3), JAKARTA)[:2] == (datetime(2026, 10, 14).date(), "night")


def test_entries_newest_first_by_shift_with_handover_and_automatic_lines(
    client: TestClient, runtime: Runtime, clock: ManualClock
) -> None:
    ev = runtime.events
    # 16:30 WIB on the 14th (afternoon), 23:30 WIB (night), then 09:00 WIB on the 15th (morning)
    ev.logbook.add("operator", "genset test run OK", at=NOW - timedelta(hours=17, minutes=30))
    ev.logbook.add("oncall", "UPS-B alarm cleared", at=NOW - timedelta(hours=10, minutes=30))
    ev.logbook.add(
        "operator",
        "dist-r1-1 still flapping, ticket 42 open",
        handover=True,
        at=NOW - timedelta(hours=1),
    )
    inc = ev.incidents.open("core-1 down", Severity.critical, at=NOW - timedelta(minutes=40))
    ev.incidents.acknowledge(inc.id, actor="oncall", at=NOW - timedelta(minutes=30))
    ev.maintenance.create(
        ObjectRef.parse("device:fw-1"),
        NOW - timedelta(minutes=20),
        NOW + timedelta(hours=1),
        author="manager",
        reason="firmware",
    )
    login(client, Role.auditor)
    page = client.get("/logbook?lang=en&days=3").text
    assert "data-desk-action" not in page and 'id="logbook-form"' not in page  # read only
    timeline = page[page.index('id="timeline"') :]
    order = [
        timeline.index(s)
        for s in (
            "Maintenance started",
            "Incident acknowledged",
            "Incident opened",
            "dist-r1-1 still flapping",
            "UPS-B alarm cleared",
            "genset test run OK",
        )
    ]
    assert order == sorted(order)
    assert '<div class="entry handover" data-kind="handover">' in timeline
    assert timeline.count('class="entry auto"') == 3
    assert f'href="/incidents/{inc.id}"' in timeline
    assert "Maintenance started (manager): Firewall Perimeter: firmware" in timeline
    shifts = [s.split('"')[0] for s in timeline.split('data-shift="')[1:]]
    assert shifts == ["morning", "night", "afternoon"]
    assert 'data-day="2026-10-15"' in timeline and 'data-day="2026-10-14"' in timeline
    assert "16:30" in timeline and "23:30" in timeline and "09:00" in timeline
    only = client.get("/logbook?lang=id&handover_only=true").text
    assert "dist-r1-1 still flapping" in only and "genset" not in only
    assert "Insiden dibuka" not in only.split('id="timeline"')[1]


def test_an_operator_adds_a_handover_note_through_the_api(
    client: TestClient, runtime: Runtime
) -> None:
    login(client, Role.operator)
    page = client.get("/logbook").text
    assert 'data-action="/api/v1/logbook"' in page
    assert 'name="text"' in page and 'name="handover"' in page
    headers = {"X-CSRF-Token": csrf_of(page)}
    r = client.post(
        "/api/v1/logbook",
        json={"text": "handing over: ring R1 degraded", "handover": True},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    [entry] = runtime.events.logbook.list()
    assert (entry.author, entry.handover, entry.text) == (
        "operator",
        True,
        "handing over: ring R1 degraded",
    )
    assert "handing over: ring R1 degraded" in client.get("/logbook").text
    anyone = client.post("/api/v1/logbook", json={"text": "x"})
    assert anyone.status_code == 403  # no CSRF token: refused


def test_the_log_book_is_empty_without_entries(client: TestClient) -> None:
    login(client, Role.operator)
    assert 'id="logbook-empty"' in client.get("/logbook").text
    assert client.get("/logbook?days=0").status_code == 200  # clamped to one day, not refused
