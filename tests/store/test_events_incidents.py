"""Incidents: the lifecycle, its rules, and the audit entry of every step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.model.observations import ObjectRef
from noc.store.events import (
    IncidentEventKind,
    IncidentStatus,
    LifecycleError,
    NotFoundError,
    Severity,
)
from noc.store.sqlite_events import SqliteEventStore
from tests.store.events_support import open_store

T0 = datetime(2026, 10, 1, tzinfo=UTC)
CORE = ObjectRef.parse("device:core-1")


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[SqliteEventStore]:
    s = open_store(tmp_path, clock)
    yield s
    s.close()


def test_full_lifecycle_keeps_every_step(store: SqliteEventStore, clock: ManualClock) -> None:
    inc = store.incidents.open(
        "Core switch 1 down",
        Severity.major,
        at=T0 - timedelta(minutes=3),  # detection time, before it was stored
        source_alert="DeviceDown/core-1",
        affected_services=["sim-kependudukan", "e-office"],
    )
    assert (inc.id, inc.status, inc.opened_at, inc.opened_by) == (
        1,
        IncidentStatus.open,
        T0 - timedelta(minutes=3),
        "system",
    )
    assert inc.affected_services == ("sim-kependudukan", "e-office")

    clock.advance(timedelta(minutes=40))
    inc = store.incidents.acknowledge(inc.id, actor="budi", text="on it")
    assert (inc.status, inc.acknowledged_at, inc.acknowledged_by) == (
        IncidentStatus.acknowledged,
        T0 + timedelta(minutes=40),
        "budi",
    )
    assert inc.acknowledged_at is not None
    assert inc.acknowledged_at - inc.opened_at == timedelta(minutes=43)  # response time

    inc = store.incidents.assign(inc.id, "andi", actor="budi")
    assert inc.assignee == "andi"
    note = store.incidents.comment(inc.id, "fiber cut near Jl. Sudirman", actor="andi")
    assert (note.kind, note.text, note.actor) == (
        IncidentEventKind.commented,
        "fiber cut near Jl. Sudirman",
        "andi",
    )
    inc = store.incidents.escalate(inc.id, actor="andi", severity=Severity.critical)
    assert (inc.escalation_level, inc.severity) == (1, Severity.critical)
    inc = store.incidents.link_alert(inc.id, "DeviceUnreachable/dist-2")
    inc = store.incidents.link_alert(inc.id, "DeviceUnreachable/dist-2")  # idempotent
    assert inc.symptom_alerts == ("DeviceUnreachable/dist-2",)

    clock.advance(timedelta(hours=2))
    inc = store.incidents.resolve(inc.id, actor="andi", root_cause=CORE, text="spliced")
    assert (inc.status, inc.resolved_at, inc.resolved_by, inc.root_cause) == (
        IncidentStatus.resolved,
        T0 + timedelta(hours=2, minutes=40),
        "andi",
        CORE,
    )

    clock.advance(timedelta(minutes=5))
    inc = store.incidents.reopen(inc.id, actor="budi", text="flapping again")
    assert (inc.status, inc.resolved_at, inc.resolved_by) == (IncidentStatus.open, None, None)
    inc = store.incidents.acknowledge(inc.id, actor="siti")
    # The first acknowledgement stays: response time is measured from it.
    assert (inc.acknowledged_at, inc.acknowledged_by) == (T0 + timedelta(minutes=40), "budi")

    events = store.incidents.events(inc.id)
    assert [e.kind.value for e in events] == [
        "opened",
        "acknowledged",
        "assigned",
        "commented",
        "escalated",
        "linked",
        "resolved",
        "reopened",
        "acknowledged",
    ]
    assert events[2].detail == {"assignee": "andi"}
    assert events[4].detail == {"severity": "critical"}
    assert events[5].detail == {"alert": "DeviceUnreachable/dist-2"}
    assert events[6].detail == {"root_cause": "device:core-1"}
    assert events[6].text == "spliced"

    audit = store.audit.entries()
    assert [a.action for a in audit] == [f"incident.{e.kind.value}" for e in events]
    assert {a.subject for a in audit} == {"incident:1"}
    assert [a.payload["event_id"] for a in audit] == [e.id for e in events]
    assert audit[0].payload["affected_services"] == ["sim-kependudukan", "e-office"]
    assert store.incidents.get(inc.id) == inc


def test_steps_that_do_not_fit_the_state_are_refused(
    store: SqliteEventStore, clock: ManualClock
) -> None:
    inc = store.incidents.open("UPS on battery", Severity.warning)
    store.incidents.acknowledge(inc.id, actor="budi")
    with pytest.raises(LifecycleError, match="is acknowledged, so it cannot be acknowledged"):
        store.incidents.acknowledge(inc.id, actor="budi")
    with pytest.raises(LifecycleError, match="is acknowledged, so it cannot be reopened"):
        store.incidents.reopen(inc.id, actor="budi")
    with pytest.raises(LifecycleError, match="cannot be resolved earlier"):
        store.incidents.resolve(inc.id, actor="budi", at=T0 - timedelta(seconds=1))
    store.incidents.resolve(inc.id, actor="budi")
    with pytest.raises(LifecycleError, match=r"events\.db is resolved, so it cannot be assigned"):
        store.incidents.assign(inc.id, "andi", actor="budi")
    with pytest.raises(LifecycleError, match=r"is resolved, so it cannot be escalated"):
        store.incidents.escalate(inc.id, actor="budi")
    with pytest.raises(
        NotFoundError, match=r"Incident 99 is not in the event store at .*events\.db"
    ):
        store.incidents.acknowledge(99, actor="budi")
    assert store.audit.verify().count == 3  # opened, acknowledged, resolved


def test_list_filters_by_status_and_opening_time(
    store: SqliteEventStore, clock: ManualClock
) -> None:
    a = store.incidents.open("a", Severity.minor)
    clock.advance(3600)
    b = store.incidents.open("b", Severity.minor)
    store.incidents.resolve(a.id, actor="budi")
    assert [i.id for i in store.incidents.list()] == [a.id, b.id]
    assert [i.id for i in store.incidents.list(status=IncidentStatus.open)] == [b.id]
    assert [i.id for i in store.incidents.list(since=T0 + timedelta(minutes=1))] == [b.id]
    assert [i.id for i in store.incidents.list(until=T0 + timedelta(hours=1))] == [a.id]
