"""State changes, maintenance windows, silences and the log book, with their audit entries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from noc.clock import ManualClock
from noc.model.observations import ObjectRef, StateChange
from noc.store.events import LifecycleError, Matcher, NotFoundError
from noc.store.sqlite_events import SqliteEventStore
from tests.store.events_support import open_store

T0 = datetime(2026, 10, 1, tzinfo=UTC)
CORE = ObjectRef.parse("device:core-1")
DIST = ObjectRef.parse("device:dist-2")
H = timedelta(hours=1)


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[SqliteEventStore]:
    s = open_store(tmp_path, clock)
    yield s
    s.close()


def _change(obj: ObjectRef, old: str, new: str, at: datetime, cause: str = "") -> StateChange:
    return StateChange(object=obj, old=old, new=new, ts=at, cause=cause)


def test_state_changes_keep_their_own_time(store: SqliteEventStore, clock: ManualClock) -> None:
    jakarta = datetime(2026, 10, 1, 7, 5, tzinfo=ZoneInfo("Asia/Jakarta"))  # 00:05 UTC
    rec = store.state_changes.append(_change(CORE, "up", "down", jakarta, "icmp timeout"))
    assert (rec.id, rec.ts, rec.ts.tzinfo, rec.recorded_at) == (
        1,
        T0 + timedelta(minutes=5),
        UTC,
        T0,
    )
    assert rec.to_change() == _change(CORE, "up", "down", T0 + timedelta(minutes=5), "icmp timeout")
    assert store.state_changes.get(1) == rec
    with pytest.raises(NotFoundError, match="State change 2 is not in the event store"):
        store.state_changes.get(2)
    entry = store.audit.entries()[0]
    assert (entry.action, entry.subject, entry.payload) == (
        "state_change.recorded",
        "device:core-1",
        {
            "id": 1,
            "old": "up",
            "new": "down",
            "ts": "2026-10-01T00:05:00.000000Z",
            "cause": "icmp timeout",
        },
    )


def test_state_change_queries(store: SqliteEventStore) -> None:
    store.state_changes.append_many(
        [
            _change(CORE, "unknown", "up", T0),
            _change(DIST, "unknown", "up", T0),
            _change(CORE, "up", "down", T0 + 2 * H),
            _change(DIST, "up", "unreachable", T0 + 2 * H),
            _change(CORE, "down", "up", T0 + 3 * H),
        ]
    )
    core = store.state_changes.list(CORE)
    assert [(r.id, r.new) for r in core] == [(1, "up"), (3, "down"), (5, "up")]
    window = store.state_changes.list(since=T0 + H, until=T0 + 3 * H)
    assert [r.id for r in window] == [3, 4]
    assert [r.id for r in store.state_changes.list(limit=2)] == [1, 2]
    before = store.state_changes.state_at(CORE, T0 + 2 * H - timedelta(microseconds=1))
    assert before is not None and before.new == "up"
    at = store.state_changes.state_at(CORE, T0 + 2 * H)
    assert at is not None and at.new == "down"
    assert store.state_changes.state_at(CORE, T0 - H) is None
    assert store.audit.verify().count == 5


def test_maintenance_windows(store: SqliteEventStore, clock: ManualClock) -> None:
    site = ObjectRef.parse("site:dc-balai-kota")
    w = store.maintenance.create(
        site, T0 + H, T0 + 3 * H, author="rina", reason="UPS battery swap", recurrence=None
    )
    weekly = store.maintenance.create(
        CORE, T0 + 2 * H, T0 + 4 * H, author="rina", reason="patch", recurrence="FREQ=WEEKLY"
    )
    assert (w.id, w.target, w.starts_at, w.ends_at, w.created_at) == (
        1,
        site,
        T0 + H,
        T0 + 3 * H,
        T0,
    )
    assert weekly.recurrence == "FREQ=WEEKLY"
    assert store.maintenance.active(T0) == []
    assert [x.id for x in store.maintenance.active(T0 + H)] == [1]
    assert [x.id for x in store.maintenance.active(T0 + 2 * H)] == [1, 2]
    assert [x.id for x in store.maintenance.active(T0 + 3 * H)] == [2]
    assert [x.id for x in store.maintenance.list(CORE)] == [2]
    assert [x.id for x in store.maintenance.list(since=T0 + 3 * H)] == [2]
    assert [x.id for x in store.maintenance.list(until=T0 + 2 * H)] == [1]

    cancelled = store.maintenance.cancel(w.id, actor="budi", at=T0 + 2 * H)
    assert (cancelled.cancelled_at, cancelled.cancelled_by) == (T0 + 2 * H, "budi")
    assert [x.id for x in store.maintenance.active(T0 + 2 * H)] == [2]
    assert [x.id for x in store.maintenance.active(T0 + H)] == [1]  # it was active then
    with pytest.raises(LifecycleError, match="is already cancelled"):
        store.maintenance.cancel(w.id, actor="budi")
    with pytest.raises(LifecycleError, match="covers a device, site or service, not link:x"):
        store.maintenance.create(ObjectRef.parse("link:x"), T0, T0 + H, author="a", reason="r")
    with pytest.raises(LifecycleError, match="must end after it starts"):
        store.maintenance.create(CORE, T0 + H, T0 + H, author="a", reason="r")
    actions = [e.action for e in store.audit.entries()]
    assert actions == ["maintenance.created", "maintenance.created", "maintenance.cancelled"]


def test_silences(store: SqliteEventStore, clock: ManualClock) -> None:
    matchers = [
        Matcher(name="alertname", value="LinkDown"),
        Matcher(name="device", value="dist-.*", regex=True),
        Matcher(name="severity", value="critical", negate=True),
    ]
    s = store.silences.create(matchers, T0, T0 + 2 * H, author="budi", reason="known ISP fault")
    assert (s.id, s.author, s.reason, s.matchers) == (1, "budi", "known ISP fault", tuple(matchers))
    assert s.matches({"alertname": "LinkDown", "device": "dist-2", "severity": "major"})
    assert not s.matches({"alertname": "LinkDown", "device": "core-1", "severity": "major"})
    assert not s.matches({"alertname": "LinkDown", "device": "dist-2", "severity": "critical"})
    assert [x.id for x in store.silences.active()] == [1]
    assert store.silences.active(T0 + 2 * H) == []

    clock.advance(H)
    expired = store.silences.expire(s.id, actor="siti")
    assert (expired.expired_at, expired.expired_by) == (T0 + H, "siti")
    assert store.silences.active() == []
    assert store.silences.list() == []
    assert [x.id for x in store.silences.list(include_expired=True)] == [1]
    with pytest.raises(LifecycleError, match="is already expired"):
        store.silences.expire(s.id, actor="siti")
    with pytest.raises(LifecycleError, match="needs at least one matcher"):
        store.silences.create([], T0, T0 + H, author="a", reason="r")
    with pytest.raises(ValueError, match="is not a regex"):
        Matcher(name="device", value="(", regex=True)
    audit = store.audit.entries()
    assert [e.action for e in audit] == ["silence.created", "silence.expired"]
    assert audit[0].payload["matchers"] == [m.model_dump() for m in matchers]


def test_logbook(store: SqliteEventStore, clock: ManualClock) -> None:
    a = store.logbook.add("siti", "Shift pagi: semua normal")
    clock.advance(8 * H)
    b = store.logbook.add("siti", "Serah terima ke shift siang: UPS-2 dipantau", handover=True)
    late = store.logbook.add("budi", "catatan susulan", at=T0 + H)  # written later, about 01:00
    assert (a.id, a.at, a.author, a.handover) == (1, T0, "siti", False)
    assert (b.at, b.handover) == (T0 + 8 * H, True)
    assert (late.at, late.recorded_at) == (T0 + H, T0 + 8 * H)
    assert [e.id for e in store.logbook.list()] == [1, 3, 2]
    assert [e.id for e in store.logbook.list(handover_only=True)] == [2]
    assert [e.id for e in store.logbook.list(since=T0 + H, until=T0 + 8 * H)] == [3]
    assert store.logbook.get(2) == b
    assert store.audit.entries()[1].payload == {
        "id": 2,
        "at": "2026-10-01T08:00:00.000000Z",
        "text": "Serah terima ke shift siang: UPS-2 dipantau",
        "handover": True,
    }


def test_naive_timestamps_are_refused(store: SqliteEventStore) -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        store.logbook.add("siti", "x", at=datetime(2026, 10, 1))
    assert store.audit.head() is None
