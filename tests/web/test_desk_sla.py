"""The SLA page: availability, error budget and burn from real state changes, response-time
breaches, the year against the 22-hour budget, the month picker, and the report downloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from noc.model import ObjectRef, StateChange
from noc.runtime import Runtime
from noc.store.events import Role, Severity
from tests.web.test_desk_pages import NOW, client_fixture, clock_fixture, login, runtime_fixture

SHARED_FIXTURES = (
    client_fixture,
    clock_fixture,
    runtime_fixture,
)  # used by name: clock, runtime, client


def row(page: str, table: str, service: str) -> str:
    start = page.index(f'id="{table}"')
    start = page.index(f'data-service="service:{service}"', start)
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def outage(runtime: Runtime) -> Runtime:
    """fw-1 up since the month began, then down for one hour two days ago; an incident on the
    portal acknowledged after two hours (a breach of the one-hour target)."""
    fw = ObjectRef.parse("device:fw-1")
    down = NOW - timedelta(days=2)
    changes = runtime.events.state_changes
    changes.append(
        StateChange(object=fw, old="unknown", new="up", ts=datetime(2026, 9, 30, 17, tzinfo=UTC))
    )
    changes.append(StateChange(object=fw, old="up", new="down", ts=down))
    changes.append(StateChange(object=fw, old="down", new="up", ts=down + timedelta(hours=1)))
    inc = runtime.events.incidents.open(
        "fw-1 down",
        Severity.critical,
        at=NOW - timedelta(hours=3),
        affected_services=["portal-egov"],
    )
    runtime.events.incidents.acknowledge(inc.id, actor="oncall", at=NOW - timedelta(hours=1))
    return runtime


def test_month_to_date_shows_downtime_budget_and_burn(client: TestClient, outage: Runtime) -> None:
    login(client, Role.manager)
    page = client.get("/sla?lang=en").text
    portal = row(page, "sla-availability", "portal-egov")
    assert "99.711%" in portal  # 1 - 60 min / 14 d 10 h counted so far
    assert "60.0" in portal and "44.6" in portal  # down / allowed minutes (99.9% of 31 days)
    assert "-15.4" in portal and "2.89" in portal  # budget overspent; burn rate
    assert "budget spent" in portal and "runs out" not in portal
    assert 'class="num bad"' in portal
    calm = row(page, "sla-availability", "siak")
    assert "100.000%" in calm and "0.00" in calm
    year = row(page, "sla-year", "portal-egov")
    assert "1.00" in year and ">22<" in year and "8.76" in year
    assert "sla-month-to-date" not in page  # the chosen month is this month


def test_response_breaches_are_listed(client: TestClient, outage: Runtime) -> None:
    login(client, Role.auditor)
    page = client.get("/sla?lang=id").text
    breaches = page[page.index('id="sla-breaches"') :]
    breaches = breaches[: breaches.index("</table>")]
    assert "fw-1 down" in breaches and "2 h 00 min" in breaches and "1 h 00 min" in breaches
    assert "0,0%" in page[page.index('id="response-summary"') :]  # 0 of 1 on time
    assert "Pelanggaran waktu tanggap" in page


def test_a_past_month_shows_with_this_month_alongside(client: TestClient, outage: Runtime) -> None:
    login(client, Role.manager)
    page = client.get("/sla?month=2026-09&lang=en").text
    assert 'value="2026-09"' in page and 'id="sla-month-to-date"' in page
    assert "100.000%" in row(page, "sla-availability", "portal-egov")  # September was calm
    assert "99.711%" in row(page, "sla-month-to-date", "portal-egov")
    assert "month=2026-09&amp;format=pdf&amp;lang=id" in page
    future = client.get("/sla?month=2027-01").text
    assert 'id="month-problem"' in future and 'value="2026-10"' in future
    assert 'id="month-problem"' in client.get("/sla?month=oktober").text


def test_the_report_links_download_pdf_and_html_in_both_languages(
    client: TestClient, outage: Runtime
) -> None:
    login(client, Role.manager)
    page = client.get("/sla").text
    links = page[page.index('id="downloads"') :]
    links = links[: links.index("</p>")]
    hrefs = [h.split('"')[0].replace("&amp;", "&") for h in links.split('href="')[1:]]
    assert len(hrefs) == 4
    for href in hrefs:
        r = client.get(href)
        assert r.status_code == 200, href
        if "format=pdf" in href:
            assert r.content.startswith(b"%PDF")
        else:
            assert "Portal e-Government" in r.text
        lang = href.rsplit("lang=", 1)[1]
        assert f"-{lang}." in r.headers["content-disposition"]
