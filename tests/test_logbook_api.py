"""The shift log book over the API: staff and auditors read, the shift writes as itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from noc.clock import ManualClock
from tests.api_people import People, people_app


@pytest.fixture
def people(tmp_path: Path) -> Iterator[People]:
    with people_app(tmp_path) as p:
        yield p


def advance(people: People, minutes: int) -> None:
    clock = people.runtime.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(minutes=minutes))


def test_the_shift_writes_and_everyone_on_staff_reads(people: People) -> None:
    c, op = people.client, people.headers("operator1")
    r = c.post("/api/v1/logbook", json={"text": "UPS A diuji, baterai 100%"}, headers=op)
    assert r.status_code == 201
    first = r.json()
    assert first["author"] == "operator1" and first["handover"] is False
    assert first["at"] == "2026-10-01T01:00:00Z"
    advance(people, 30)
    r = c.post(
        "/api/v1/logbook",
        json={"text": "Serah terima: R2 masih degraded", "handover": True},
        headers=people.headers("oncall1"),
    )
    assert r.status_code == 201 and r.json()["author"] == "oncall1"
    for reader in ("operator1", "oncall1", "manager1", "auditor1", "admin1"):
        entries = c.get("/api/v1/logbook", headers=people.headers(reader)).json()
        assert [e["author"] for e in entries] == ["operator1", "oncall1"], reader
    only = c.get("/api/v1/logbook?handover_only=true", headers=op).json()
    assert [e["text"] for e in only] == ["Serah terima: R2 masih degraded"]
    since = c.get("/api/v1/logbook", params={"since": "2026-10-01T08:15:00+07:00"}, headers=op)
    assert [e["author"] for e in since.json()] == ["oncall1"]
    until = c.get("/api/v1/logbook", params={"until": "2026-10-01T01:30:00Z"}, headers=op)
    assert [e["author"] for e in until.json()] == ["operator1"]
    added = [e for e in people.runtime.events.audit.entries() if e.action == "logbook.added"]
    assert [(e.actor, e.subject) for e in added] == [
        ("operator1", f"logbook:{first['id']}"),
        ("oncall1", f"logbook:{first['id'] + 1}"),
    ]
    assert added[0].payload["text"] == "UPS A diuji, baterai 100%"


def test_viewers_and_auditors_may_not_write_and_viewers_may_not_read(people: People) -> None:
    c = people.client
    for who in ("viewer1", "auditor1"):
        r = c.post("/api/v1/logbook", json={"text": "x"}, headers=people.headers(who))
        assert r.status_code == 403, who
    assert c.get("/api/v1/logbook", headers=people.headers("viewer1")).status_code == 403
    assert people.runtime.events.logbook.list() == []


def test_the_author_is_the_caller_not_the_body(people: People) -> None:
    r = people.client.post(
        "/api/v1/logbook",
        json={"text": "x", "author": "admin1"},
        headers=people.headers("manager1"),
    )
    assert r.status_code == 422 and r.json()["detail"] == (
        "body.author: Extra inputs are not permitted"
    )


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"text": ""}, "body.text: String should have at least 1 character"),
        ({"text": " \n\t "}, "body.text: write something: the text is blank"),
        ({"text": "x" * 4001}, "body.text: String should have at most 4000 characters"),
        ({}, "body.text: Field required"),
        ({"text": "x", "handover": "maybe"}, "body.handover: Input should be a valid boolean"),
    ],
)
def test_a_bad_entry_gets_one_clear_422(
    people: People, body: dict[str, object], detail: str
) -> None:
    r = people.client.post("/api/v1/logbook", json=body, headers=people.headers("operator1"))
    assert r.status_code == 422 and r.json()["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"since": "2026-10-01T08:00:00"}, "query.since: give the time with its offset"),
        ({"since": "yesterday"}, "query.since: Input should be a valid datetime"),
        (
            {"since": "2026-10-02T00:00:00Z", "until": "2026-10-01T00:00:00Z"},
            "query.until: must be after since",
        ),
    ],
)
def test_a_bad_period_gets_one_clear_422(
    people: People, params: dict[str, str], detail: str
) -> None:
    r = people.client.get("/api/v1/logbook", params=params, headers=people.headers("auditor1"))
    assert r.status_code == 422 and r.json()["detail"].startswith(detail)


def test_the_full_length_is_accepted(people: People) -> None:
    text = "a" * 4000
    r = people.client.post("/api/v1/logbook", json={"text": text}, headers=people.headers("admin1"))
    assert r.status_code == 201 and r.json()["text"] == text
