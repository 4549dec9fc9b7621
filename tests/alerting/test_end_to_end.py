"""From a state change to a signed webhook received by a real HTTP server, and the SSE feed."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from alerting.config import AlertingConfig, Grouping
from alerting.notify.webhook import WebhookConfig, WebhookNotifier, verify_signature
from alerting.topology_view import ReachabilityTopology
from alerting.wiring import build_alerting
from noc.clock import ManualClock
from noc.store.events import open_event_store
from tests.alerting.peers_http import http_capture
from tests.alerting.support import DEPENDS, SERVICES, SITES, T0
from topology.reachability import ReachabilityTracker

SECRET = "end-to-end-secret-0123456789"


def test_device_down_reaches_a_real_webhook_once_signed(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    events = open_event_store(tmp_path / "events.sqlite", clock)
    tracker = ReachabilityTracker(DEPENDS)
    topology = ReachabilityTopology(SITES, DEPENDS, SERVICES, tracker.root_causes)
    config = AlertingConfig(group=Grouping(wait=timedelta(seconds=10)))
    with http_capture() as capture:
        hook = WebhookNotifier("hook", WebhookConfig(url=f"{capture.url}/noc", secret=SECRET))
        service = build_alerting(
            events, clock, topology, config, tmp_path / "a.sqlite", notifiers={"hook": hook}
        )
        seen: list[str] = []
        service.subscribe(lambda kind, data: seen.append(kind))

        async def scenario() -> None:
            for dev in DEPENDS:
                await service.on_states(tracker.observe(dev, True, clock.now()))
            clock.advance(60)
            await service.on_states(tracker.observe("core-1", False, clock.now()))
            await service.run_due()
            assert capture.requests == []  # group wait
            for _ in range(4):
                clock.advance(5)
                await service.run_due()

        asyncio.run(scenario())
        service.journal.close()
    events.close()
    (req,) = capture.requests
    assert verify_signature(
        SECRET, req.headers["x-noc-timestamp"], req.body, req.headers["x-noc-signature"]
    )
    body = json.loads(req.body)
    assert body["status"] == "firing" and body["alerts"][0]["incident_id"] == 1
    assert body["alerts"][0]["labels"]["site"] == "dc"
    assert {"state", "alert", "incident"} <= set(seen)
