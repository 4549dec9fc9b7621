"""The wall shows an incident's title in the reader's language, from the rule's own summaries,
and keeps doing so after a restart (the alerting journal keeps the alert)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from alerting.wiring import build_alerting, journal_path, load_alerting_config
from noc.clock import ManualClock
from noc.model import ObjectKind, ObjectRef
from noc.model.observations import StateChange
from noc.runtime import Runtime
from noc.settings import Settings
from noc.web.snapshot import build_snapshot
from topology.tracker import GraphReachabilityTracker
from topology.view import GraphTopologyView

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


def _runtime(data: Path) -> Runtime:
    """A runtime with its alerting wired as ``Runtime.start`` does, without starting the polls."""
    settings = Settings(inventory=REPO / "inventory.yaml", data_dir=data)
    runtime = Runtime.build(settings, clock=ManualClock(T0))
    tracker = GraphReachabilityTracker.from_inventory(runtime.inventory)
    runtime.alerting = build_alerting(
        runtime.events,
        runtime.clock,
        GraphTopologyView(tracker.live),
        load_alerting_config(settings.alerting_config),
        journal_path(settings.data_dir),
    )
    runtime.alerting.restore()
    return runtime


def test_a_fired_rule_gives_the_card_both_languages_even_after_a_restart(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    try:
        assert runtime.alerting is not None
        down = StateChange(
            object=ObjectRef(kind=ObjectKind.device, id="dist-r1-2"),
            old="up",
            new="down",
            ts=T0,
            cause="no answer",
        )
        asyncio.run(runtime.alerting.on_states([down]))
        cards = build_snapshot(runtime).incidents
        assert len(cards) == 1
        assert cards[0].titles == {
            "id": "Perangkat dist-r1-2 mati",
            "en": "Device dist-r1-2 is down",
        }
        assert cards[0].title == "Device dist-r1-2 is down"  # what the audit chain carries
    finally:
        runtime.close()
    again = _runtime(tmp_path)
    try:
        assert build_snapshot(again).incidents[0].titles["id"] == "Perangkat dist-r1-2 mati"
    finally:
        again.close()


def test_an_incident_opened_by_hand_keeps_its_title_in_every_language(tmp_path: Path) -> None:
    from noc.store.events import Severity

    runtime = _runtime(tmp_path)
    try:
        runtime.events.incidents.open("Fiber cut reported by PLN", Severity.major)
        card = build_snapshot(runtime).incidents[0]
        assert card.titles == {"id": "Fiber cut reported by PLN", "en": "Fiber cut reported by PLN"}
    finally:
        runtime.close()
