"""Recurring maintenance windows count as maintenance at every occurrence, in local time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from noc.clock import ManualClock
from noc.model import ObjectKind, ObjectRef, StateChange
from noc.store.events import open_event_store
from sla.availability import evaluate, figures
from sla.catalog import CatalogObject, CatalogService, SlaCatalog
from sla.history import Change, History, Window, history_from_store
from sla.intervals import to_us
from sla.recurrence import expand, occurrences
from sla.replay import history_from_audit

BERLIN = ZoneInfo("Europe/Berlin")
H = 3600 * 10**6


def utc(*args: int) -> int:
    return to_us(datetime(*args, tzinfo=UTC))  # type: ignore[misc]


def local(*args: int) -> int:
    return to_us(datetime(*args, tzinfo=BERLIN))  # type: ignore[misc]


def weekly(target: str = "device:a", rule: str = "FREQ=WEEKLY", stop: int | None = None) -> Window:
    # Sunday 22 March 2026, 01:00-04:00 in Berlin (CET, UTC+1)
    return Window(1, target, local(2026, 3, 22, 1), local(2026, 3, 22, 4), rule, stop)


def test_a_weekly_window_keeps_its_local_hours_across_daylight_saving() -> None:
    got = occurrences(weekly(), BERLIN, utc(2026, 3, 1), utc(2026, 4, 13))
    assert got == [
        (utc(2026, 3, 22, 0), utc(2026, 3, 22, 3)),  # the first: 01:00-04:00 CET
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 2)),  # clocks jump at 02:00: two hours
        (utc(2026, 4, 4, 23), utc(2026, 4, 5, 2)),  # 01:00-04:00 CEST
        (utc(2026, 4, 11, 23), utc(2026, 4, 12, 2)),
    ]
    autumn = occurrences(weekly(), BERLIN, utc(2026, 10, 20), utc(2026, 10, 27))
    assert autumn == [(utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))]  # the hour twice: four


def test_occurrences_that_only_overlap_the_period_count_and_nothing_before_the_first() -> None:
    # The period starts in the middle of the 5 April occurrence.
    got = occurrences(weekly(), BERLIN, utc(2026, 4, 5, 1), utc(2026, 4, 6))
    assert got == [(utc(2026, 4, 4, 23), utc(2026, 4, 5, 2))]
    assert occurrences(weekly(), BERLIN, utc(2026, 1, 1), utc(2026, 3, 21)) == []


def test_cancelling_stops_the_running_occurrence_and_every_later_one() -> None:
    w = weekly(stop=local(2026, 4, 5, 2))
    got = occurrences(w, BERLIN, utc(2026, 3, 1), utc(2026, 5, 1))
    assert got == [
        (utc(2026, 3, 22, 0), utc(2026, 3, 22, 3)),
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 2)),
        (utc(2026, 4, 4, 23), utc(2026, 4, 5, 0)),
    ]


@pytest.mark.parametrize(
    ("rule", "count"),
    [
        ("FREQ=WEEKLY;COUNT=2", 2),
        ("FREQ=WEEKLY;UNTIL=20260404T220000Z", 2),  # UTC: 5 April 01:00 CEST is 23:00Z
        ("FREQ=WEEKLY;UNTIL=20260405T010000", 3),  # floating: local time, inclusive
        ("FREQ=WEEKLY;BYDAY=SU;INTERVAL=2", 3),
        ("no rule at all", 1),  # only the first occurrence
    ],
)
def test_rule_limits(rule: str, count: int) -> None:
    got = occurrences(weekly(rule=rule), BERLIN, utc(2026, 3, 1), utc(2026, 5, 1))
    assert len(got) == count
    assert got[0] == (utc(2026, 3, 22, 0), utc(2026, 3, 22, 3))


def test_the_first_occurrence_counts_even_when_the_rule_skips_it() -> None:
    # Created for a Sunday, repeating on Wednesdays: Sunday, then every Wednesday.
    got = occurrences(weekly(rule="FREQ=WEEKLY;BYDAY=WE"), BERLIN, utc(2026, 3, 1), utc(2026, 4, 2))
    assert got == [
        (utc(2026, 3, 22, 0), utc(2026, 3, 22, 3)),
        (utc(2026, 3, 25, 0), utc(2026, 3, 25, 3)),
        (utc(2026, 3, 31, 23), utc(2026, 4, 1, 2)),
    ]


def catalog() -> SlaCatalog:
    return SlaCatalog(
        timezone="Asia/Jakarta",
        site_timezones={"berlin": "Europe/Berlin"},
        objects=(
            CatalogObject(ref="device:a", name="a", site="berlin"),
            CatalogObject(ref="device:b", name="b", site="jkt"),
        ),
        services=(CatalogService(ref="service:s", name="s", components=("device:a",)),),
    )


def test_a_recurring_window_is_maintenance_at_every_occurrence_in_its_sites_zone() -> None:
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 13, tzinfo=UTC)
    changes = [Change(f"device:{r}", to_us(start) - H, "unknown", "up") for r in "ab"]
    on_site = Window(1, "site:berlin", local(2026, 3, 22, 1), local(2026, 3, 22, 4), "FREQ=WEEKLY")
    on_b = Window(2, "device:b", utc(2026, 3, 22, 0), utc(2026, 3, 22, 3), "FREQ=WEEKLY")
    history = History(changes=changes, windows=[on_site, on_b])
    fast = figures(catalog(), history, start, end, end)
    slow = evaluate(catalog(), history, start, end, end, per_object=True)
    assert fast == {r: slow.figure(r) for r in slow.nodes}
    # Berlin: 3 + 2 + 3 + 3 hours; device b (Jakarta, no daylight saving): 4 x 3 hours.
    assert fast["device:a"].maintenance_us == 11 * H
    assert fast["device:a"].counted_us == to_us(end) - to_us(start) - 11 * H
    assert fast["device:b"].maintenance_us == 12 * H

    # The same as the occurrences given one by one.
    def zone(t: str) -> ZoneInfo:
        return BERLIN if t == "site:berlin" else ZoneInfo("Asia/Jakarta")

    once = expand(history.windows, zone, to_us(start), to_us(end))
    assert len(once) == 8 and not any(w.recurrence for w in once)
    assert figures(catalog(), History(changes=changes, windows=once), start, end, end) == fast


def test_the_store_and_the_audit_chain_keep_the_rule(tmp_path: Path) -> None:
    store = open_event_store(tmp_path / "e.sqlite", ManualClock(datetime(2026, 3, 1, tzinfo=UTC)))
    try:
        dev = ObjectRef(kind=ObjectKind.device, id="a")
        store.state_changes.append(
            StateChange(object=dev, old="unknown", new="up", ts=datetime(2026, 3, 1, tzinfo=UTC))
        )
        w = store.maintenance.create(
            dev,
            datetime(2026, 3, 22, 1, tzinfo=BERLIN),
            datetime(2026, 3, 22, 4, tzinfo=BERLIN),
            author="ops",
            reason="weekly patching",
            recurrence="FREQ=WEEKLY;BYDAY=SU",
        )
        store.maintenance.cancel(w.id, actor="ops", at=datetime(2026, 4, 5, 2, tzinfo=BERLIN))
        from_store, from_audit = (
            history_from_store(store),
            history_from_audit(store.audit.entries()),
        )
        assert from_store.windows == from_audit.windows
        assert from_store.windows == [
            Window(w.id, "device:a", local(2026, 3, 22, 1), local(2026, 3, 22, 4),
                   "FREQ=WEEKLY;BYDAY=SU", local(2026, 4, 5, 2)),
        ]  # fmt: skip
        start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
        f = figures(catalog(), from_store, start, end, end)["device:a"]
        assert f.maintenance_us == (3 + 2 + 1) * H  # the third cut by the cancellation
    finally:
        store.close()
