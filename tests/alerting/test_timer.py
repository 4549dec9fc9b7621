"""The service's own timer (real clock): a ``for`` deadline and a group wait pass unattended."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from alerting.config import AlertingConfig, Grouping
from alerting.topology_view import NoTopology
from alerting.wiring import build_alerting
from noc.clock import SystemClock
from noc.model import Sample
from noc.store.events import open_event_store
from tests.alerting.support import RecordingNotifier

RULE = """
rules:
  - name: door_open
    severity: warning
    for: 300ms
    condition:
      threshold: {metric: env_door_open, op: "==", value: 1}
    summary: {id: "Pintu terbuka", en: "Door open"}
"""


@pytest.mark.timeout(30)
def test_timer_fires_pending_alert_and_flushes_the_group(tmp_path: Path) -> None:
    clock = SystemClock()
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULE)
    config = AlertingConfig(
        rule_files=[str(rules)], group=Grouping(wait=timedelta(milliseconds=200))
    )
    events = open_event_store(tmp_path / "events.sqlite", clock)
    recorder = RecordingNotifier()
    service = build_alerting(
        events, clock, NoTopology(), config, tmp_path / "a.sqlite", notifiers={"r": recorder}
    )

    async def scenario() -> float:
        await service.start()
        try:
            sample = Sample(
                metric="env_door_open", labels={"device": "env-1"}, value=1, ts=clock.now()
            )
            t0 = clock.monotonic()
            await service.on_samples([sample])
            for _ in range(500):  # bounded: at most 5 s
                if recorder.groups:
                    break
                await asyncio.sleep(0.01)
            return clock.monotonic() - t0
        finally:
            await service.stop()

    elapsed = asyncio.run(scenario())
    service.close()
    events.close()
    assert [g.alerts[0].key for g in recorder.groups] == ["door_open/device:env-1"]
    assert 0.5 <= elapsed < 3.0  # for (0.3 s) + group wait (0.2 s), not a slow tick
