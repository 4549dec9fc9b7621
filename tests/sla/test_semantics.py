"""The SLA's rules on the real event store and the demo city's services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.model import ObjectKind, ObjectRef, StateChange
from noc.store.events import EventStore, Matcher, open_event_store
from sla.availability import figures
from sla.catalog import catalog_of
from sla.figures import Figure
from sla.history import history_from_store
from sla.replay import history_from_audit
from tests.sla.city import demo_inventory

OCT = datetime(2026, 10, 1, tzinfo=UTC)
NOV = datetime(2026, 11, 1, tzinfo=UTC)
MONTH_US = 31 * 86400 * 10**6


def dev(name: str) -> ObjectRef:
    return ObjectRef(kind=ObjectKind.device, id=name)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EventStore]:
    s = open_event_store(tmp_path / "events.sqlite", ManualClock(datetime(2026, 9, 1, tzinfo=UTC)))
    yield s
    s.close()


def change(ref: ObjectRef, old: str, new: str, at: datetime, cause: str = "") -> StateChange:
    return StateChange(object=ref, old=old, new=new, ts=at, cause=cause)


def compute(
    store: EventStore, now: datetime = datetime(2026, 12, 1, tzinfo=UTC)
) -> dict[str, Figure]:
    return figures(catalog_of(demo_inventory()), history_from_store(store), OCT, NOV, now)


def test_an_outage_still_open_at_month_end_counts_to_the_end(store: EventStore) -> None:
    store.state_changes.append(change(dev("srv-mail-1"), "up", "down", NOV - timedelta(hours=2)))
    f = compute(store)["device:srv-mail-1"]
    assert f.downtime == timedelta(hours=2) and f.counted_us == MONTH_US
    # Asked during the month, it counts up to now and the period is cut at now.
    mid = NOV - timedelta(hours=1)
    f = compute(store, now=mid)["device:srv-mail-1"]
    assert f.downtime == timedelta(hours=1) and f.end == mid


def test_an_outage_that_began_before_the_month_counts_from_its_start(store: EventStore) -> None:
    store.state_changes.append(change(dev("fw-1"), "up", "down", OCT - timedelta(hours=5)))
    store.state_changes.append(change(dev("fw-1"), "down", "up", OCT + timedelta(hours=1)))
    assert compute(store)["device:fw-1"].downtime == timedelta(hours=1)


def test_maintenance_is_excluded_but_a_silence_is_not(store: EventStore) -> None:
    t = OCT + timedelta(days=3)
    store.maintenance.create(dev("fw-1"), t, t + timedelta(hours=2), author="ops", reason="upgrade")
    store.state_changes.append(change(dev("fw-1"), "up", "down", t))
    store.state_changes.append(change(dev("fw-1"), "down", "up", t + timedelta(hours=3)))
    before = compute(store)
    f = before["device:fw-1"]
    assert f.downtime == timedelta(hours=1)  # the hour after the window
    assert f.counted_us == MONTH_US - 2 * 3600 * 10**6  # the window left the denominator
    # A silence (operator's choice) changes nothing at all.
    store.silences.create(
        [Matcher(name="device", value="fw-1")],
        t,
        t + timedelta(hours=3),
        author="op",
        reason="noisy",
    )
    assert compute(store) == before


def test_a_cancelled_window_excludes_only_until_cancelled(store: EventStore) -> None:
    t = OCT + timedelta(days=3)
    w = store.maintenance.create(dev("fw-1"), t, t + timedelta(hours=4), author="ops", reason="x")
    store.maintenance.cancel(w.id, actor="ops", at=t + timedelta(hours=1))
    assert compute(store)["device:fw-1"].maintenance_us == 3600 * 10**6


def test_redundant_core_pair_is_down_only_when_both_are(store: EventStore) -> None:
    t = OCT + timedelta(days=5)
    store.state_changes.append(change(dev("core-1"), "up", "down", t))
    store.state_changes.append(change(dev("core-2"), "up", "down", t + timedelta(minutes=30)))
    store.state_changes.append(change(dev("core-1"), "down", "up", t + timedelta(minutes=50)))
    store.state_changes.append(change(dev("core-2"), "down", "up", t + timedelta(hours=2)))
    f = compute(store)
    assert f["device:core-1"].downtime == timedelta(minutes=50)
    assert f["service:inti-pusat-data"].downtime == timedelta(minutes=20)
    # Services built on the core (rule all) inherit exactly those 20 minutes.
    assert f["service:portal-egov"].downtime == timedelta(minutes=20)


def test_unreachable_counts_against_services_but_is_attributed_to_the_root_cause(
    store: EventStore,
) -> None:
    t = OCT + timedelta(days=7)
    cause = "root cause upstream: dist-r1-3"
    store.state_changes.append(change(dev("dist-r1-3"), "up", "down", t))
    store.state_changes.append(change(dev("acc-alun-alun"), "up", "unreachable", t, cause))
    store.state_changes.append(change(dev("dist-r1-3"), "down", "up", t + timedelta(minutes=40)))
    store.state_changes.append(
        change(dev("acc-alun-alun"), "unreachable", "up", t + timedelta(minutes=40))
    )
    f = compute(store)
    wifi = f["service:wifi-publik"]
    assert wifi.downtime == timedelta(minutes=40)
    assert wifi.causes == {"device:dist-r1-3": 40 * 60 * 10**6}
    assert f["device:acc-alun-alun"].causes == {"device:dist-r1-3": 40 * 60 * 10**6}


def test_n_of_m_service_needs_six_of_eight_ring_switches(store: EventStore) -> None:
    t = OCT + timedelta(days=9)
    for i, name in enumerate(["dist-r1-1", "dist-r1-2", "dist-r2-1"]):
        store.state_changes.append(change(dev(name), "up", "down", t + timedelta(minutes=10 * i)))
        store.state_changes.append(change(dev(name), "down", "up", t + timedelta(hours=1)))
    # Three of eight down (from +20 min to +60 min) leaves five: fewer than six.
    assert compute(store)["service:cctv-distrik"].downtime == timedelta(minutes=40)


def test_unknown_is_no_data_not_downtime(store: EventStore) -> None:
    store.state_changes.append(change(dev("ups-a"), "unknown", "up", OCT + timedelta(days=1)))
    f = compute(store)["device:ups-a"]
    assert f.downtime_us == 0 and f.no_data_us == 86400 * 10**6


def test_business_hours_policy_counts_only_office_hours(store: EventStore) -> None:
    # acc-disdukcapil has policy jam-kerja: Mon-Fri 07:30-16:00 Asia/Jakarta.
    sat = datetime(2026, 10, 3, 3, tzinfo=UTC)  # Saturday 10:00 WIB
    mon = datetime(2026, 10, 5, 0, tzinfo=UTC)  # Monday 07:00 WIB
    for at, hours in ((sat, 4), (mon, 2)):
        store.state_changes.append(change(dev("acc-disdukcapil"), "up", "down", at))
        store.state_changes.append(
            change(dev("acc-disdukcapil"), "down", "up", at + timedelta(hours=hours))
        )
    f = compute(store)["device:acc-disdukcapil"]
    assert f.downtime == timedelta(hours=1, minutes=30)  # Monday 07:30-09:00 only
    assert f.counted == timedelta(hours=8, minutes=30) * 22  # 22 working days in October 2026


def test_history_from_the_audit_chain_equals_the_store(store: EventStore) -> None:
    t = OCT + timedelta(days=2)
    store.state_changes.append(change(dev("core-1"), "up", "down", t))
    w = store.maintenance.create(dev("fw-1"), t, t + timedelta(hours=2), author="ops", reason="x")
    store.maintenance.cancel(w.id, actor="ops", at=t + timedelta(hours=1))
    from noc.store.events import Severity

    inc = store.incidents.open("core down", Severity.critical, at=t, affected_services=["siak"])
    store.incidents.acknowledge(inc.id, actor="budi", at=t + timedelta(minutes=5))
    store.incidents.escalate(
        inc.id, actor="budi", severity=Severity.major, at=t + timedelta(minutes=6)
    )
    store.incidents.resolve(
        inc.id, actor="budi", at=t + timedelta(minutes=30), root_cause=dev("core-1")
    )
    store.incidents.reopen(inc.id, actor="budi", at=t + timedelta(minutes=40))
    a, b = history_from_audit(store.audit.entries()), history_from_store(store)
    assert (a.changes, a.windows, a.incidents) == (b.changes, b.windows, b.incidents)


def test_a_site_window_covers_its_devices_and_links(store: EventStore) -> None:
    t = OCT + timedelta(days=12)
    site = ObjectRef(kind=ObjectKind.site, id="kec-margahayu")
    store.maintenance.create(site, t, t + timedelta(hours=1), author="ops", reason="power work")
    store.state_changes.append(change(dev("dist-r1-3"), "up", "down", t))
    store.state_changes.append(change(dev("dist-r1-3"), "down", "up", t + timedelta(hours=1)))
    f = compute(store)
    assert f["device:dist-r1-3"].downtime_us == 0
    assert f["device:dist-r1-3"].maintenance_us == 3600 * 10**6
    assert f["link:r1-3"].maintenance_us == 3600 * 10**6  # a link touching the site
    assert f["site:kec-margahayu"].downtime_us == 0
    # The Wi-Fi service needs dist-r1-3: the planned hour is maintenance for it too.
    assert f["service:wifi-publik"].downtime_us == 0
    assert f["service:wifi-publik"].maintenance_us == 3600 * 10**6


def test_an_object_never_observed_is_all_no_data(store: EventStore) -> None:
    f = compute(store)["device:env-pintu-1"]
    assert f.downtime_us == 0 and f.no_data_us == MONTH_US
