"""The audit page: the chain's head and verification state, the export form's download, and
the check of an export file that names the edited entry."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from noc.runtime import Runtime
from noc.store.events import Role, Severity
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


def export_query(page: str) -> dict[str, str]:
    """The export form's default fields, as the browser would submit them."""
    at = page.index('id="export-form"')
    form = page[page.rindex("<form", 0, at) : page.index("</form>", at)]
    assert 'action="/api/v1/audit/export"' in form and 'method="get"' in form
    values = {}
    for name in ("from", "to"):
        at = form.index(f'name="{name}" value="') + len(f'name="{name}" value="')
        values[name] = form[at : form.index('"', at)]
    return {**values, "format": "csv"}


def test_the_page_shows_the_chain_head_and_its_verdict(
    client: TestClient, runtime: Runtime
) -> None:
    inc = runtime.events.incidents.open(
        "core-1 down", Severity.critical, at=NOW - timedelta(hours=1)
    )
    runtime.events.incidents.acknowledge(inc.id, actor="oncall", at=NOW)
    login(client, Role.auditor)
    page = client.get("/audit?lang=en").text
    head = runtime.events.audit.head()
    assert head is not None
    assert f'<code id="head-hash">{head.hash}</code>' in page
    assert 'data-ok="true"' in page and "The chain verifies" in page
    latest = page[page.index('id="audit-latest"') :]
    assert f'data-seq="{head.seq}"' in latest and "incident.acknowledged" in latest
    assert export_query(page) == {"from": "2026-10-01", "to": "2026-10-16", "format": "csv"}


def test_export_then_verify_names_the_edited_entry(client: TestClient, runtime: Runtime) -> None:
    runtime.events.incidents.open("dist-r1-1 down", Severity.major, at=NOW - timedelta(hours=2))
    runtime.events.logbook.add("operator", "checked the ring", at=NOW - timedelta(hours=1))
    login(client, Role.auditor)
    page = client.get("/audit").text
    exported = client.get("/api/v1/audit/export", params=export_query(page))
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    text = exported.text
    headers = {"X-CSRF-Token": csrf_of(page), "Content-Type": "text/plain; charset=utf-8"}
    good = client.post("/api/v1/audit/verify", content=text.encode(), headers=headers)
    assert good.status_code == 200 and good.json()["ok"] is True
    edited = text.replace("checked the ring", "checked the rung")
    assert edited != text
    bad = client.post("/api/v1/audit/verify", content=edited.encode(), headers=headers).json()
    assert bad["ok"] is False
    [logged] = [e for e in runtime.events.audit.entries() if e.action.startswith("logbook")]
    assert bad["problems"] == [f"entry seq {logged.seq}: hash does not match the entry's content"]
    # the page's script fills these from the reply
    for hook in (
        'id="verify-form"',
        'data-verify-action="/api/v1/audit/verify"',
        'data-field="problems"',
        'data-verdict="bad"',
    ):
        assert hook in page


def test_a_broken_chain_shows_where(client: TestClient, runtime: Runtime) -> None:
    runtime.events.logbook.add("operator", "first", at=NOW - timedelta(hours=1))
    runtime.events.logbook.add("operator", "second", at=NOW)
    import sqlite3

    db = sqlite3.connect(runtime.events.path)
    db.execute("DROP TRIGGER audit_no_update")  # what someone editing the file would do
    db.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    db.commit()
    db.close()
    login(client, Role.admin)
    page = client.get("/audit?lang=id").text
    assert 'data-ok="false"' in page and "Rantai terputus pada entri 1" in page
