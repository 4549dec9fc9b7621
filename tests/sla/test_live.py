"""Month-to-date SLA per service: what /metrics and the SLA dashboard show before the report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.inventory import load_inventory
from noc.model import ObjectKind, ObjectRef, StateChange
from noc.store.events import open_event_store
from sla.live import month_to_date

REPO = Path(__file__).resolve().parents[2]
MONTH_START = datetime(2026, 9, 30, 17, tzinfo=UTC)  # 1 Oct 00:00 WIB
NOW = datetime(2026, 10, 10, 17, tzinfo=UTC)  # 11 Oct 00:00 WIB: 10 days counted


def change(device: str, old: str, new: str, at: datetime) -> StateChange:
    return StateChange(object=ObjectRef(kind=ObjectKind.device, id=device), old=old, new=new, ts=at)


def test_a_half_hour_outage_of_a_component(tmp_path: Path) -> None:
    inventory = load_inventory(REPO / "inventory.yaml")
    events = open_event_store(tmp_path / "events.sqlite", ManualClock(NOW))
    try:
        events.state_changes.append_many(
            [change(d.id, "unknown", "up", MONTH_START) for d in inventory.devices]
            + [
                change("srv-portal-1", "up", "down", datetime(2026, 10, 5, 3, tzinfo=UTC)),
                change("srv-portal-1", "down", "up", datetime(2026, 10, 5, 3, 30, tzinfo=UTC)),
            ]
        )
        standings = {s.service: s for s in month_to_date(events, inventory, NOW)}
    finally:
        events.close()
    portal = standings["portal-egov"]  # rule all: the server is one of its components
    assert portal.downtime_seconds == 1800
    assert portal.availability_ratio == pytest.approx(1 - 1800 / (10 * 86400), abs=1e-12)
    assert portal.target_ratio == 0.999
    assert portal.budget_allowed_seconds == pytest.approx(0.001 * 31 * 86400)
    assert portal.budget_remaining_seconds == pytest.approx(0.001 * 31 * 86400 - 1800)
    # Services without the server were never down.
    assert standings["inti-pusat-data"].availability_ratio == 1.0
    assert standings["siak"].downtime_seconds == 0
    assert set(standings) == {s.id for s in inventory.services}
