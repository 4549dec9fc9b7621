"""A recurring window mutes alerts exactly when the SLA counts it as planned: both expand the rule
in the target's local time. "Every Sunday 01:00-03:00" in Jakarta starts on Saturday in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from alerting.alert import Alert, AlertState
from alerting.mute import MaintenanceMuter, window_active
from noc.clock import ManualClock
from noc.inventory import load_inventory
from noc.model import ObjectKind, ObjectRef
from noc.store.events import Severity, open_event_store
from sla.history import Window
from sla.intervals import to_us
from sla.recurrence import occurrences
from topology.tracker import GraphReachabilityTracker
from topology.view import GraphTopologyView

REPO = Path(__file__).resolve().parents[2]
JAKARTA = ZoneInfo("Asia/Jakarta")
# Sunday 4 October 2026, 01:00 in Jakarta = Saturday 3 October, 18:00 UTC
FIRST = datetime(2026, 10, 4, 1, 0, tzinfo=JAKARTA).astimezone(UTC)


def _alert(device: str) -> Alert:
    return Alert(
        key=f"device_down/device:{device}",
        rule="device_down",
        object=ObjectRef(kind=ObjectKind.device, id=device),
        state=AlertState.firing,
        severity=Severity.critical,
        labels={"device": device},
        summary={"en": f"{device} down"},
        site="dc",
    )


def test_a_weekly_sunday_window_mutes_on_sunday_in_jakarta_not_in_utc(tmp_path: Path) -> None:
    inventory = load_inventory(REPO / "inventory.yaml")
    events = open_event_store(tmp_path / "events.sqlite", ManualClock(FIRST))
    try:
        window = events.maintenance.create(
            ObjectRef(kind=ObjectKind.device, id="core-1"),
            FIRST,
            FIRST + timedelta(hours=2),
            author="sari",
            reason="weekly firmware window",
            recurrence="FREQ=WEEKLY;BYDAY=SU",
        )
        view = GraphTopologyView(GraphReachabilityTracker.from_inventory(inventory).live)
        muter = MaintenanceMuter(events.maintenance, view, inventory)
        next_sunday = FIRST + timedelta(days=7, minutes=30)  # Sunday 01:30 WIB
        utc_sunday = datetime(2026, 10, 11, 1, 30, tzinfo=UTC)  # Sunday 08:30 WIB
        assert muter.mutes(_alert("core-1"), next_sunday) is not None
        assert muter.mutes(_alert("core-1"), utc_sunday) is None

        # the SLA's expansion of the same window agrees at every quarter hour of three weeks
        spans = occurrences(
            Window(window.id, "device:core-1", to_us(FIRST), to_us(FIRST + timedelta(hours=2)),
                   window.recurrence),
            JAKARTA,
            to_us(FIRST),
            to_us(FIRST + timedelta(days=21)),
        )  # fmt: skip
        assert len(spans) == 3
        at = FIRST
        while at < FIRST + timedelta(days=21):
            planned = any(s <= to_us(at) < e for s, e in spans)
            assert window_active(window, at, JAKARTA) is planned, at
            at += timedelta(minutes=15)
    finally:
        events.close()
