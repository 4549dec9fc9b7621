"""A restart in the middle of a notification or an incident: no duplicate, no loss."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alerting.notify.base import Outcome
from noc.clock import ManualClock
from noc.store.events import IncidentStatus
from tests.alerting.support import T0, RecordingNotifier, build_city


def test_pending_notification_is_delivered_once_after_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    failing = RecordingNotifier(outcomes=[Outcome.retry("HTTP 503")])
    city = build_city(tmp_path, clock, notifier=failing)

    async def before() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(10, "core-1", False)
        await city.idle(45)  # group wait over: one attempt, failed, retry queued

    asyncio.run(before())
    assert failing.groups == []
    (row,) = city.service.journal.notifications()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 503")
    tracker = city.tracker
    city.close()  # the process dies here

    healthy = RecordingNotifier()
    city = build_city(tmp_path, clock, notifier=healthy, tracker=tracker)

    async def after() -> None:
        await city.idle(200)
        await city.answer(201, "core-1", False)  # nothing new: still down

    asyncio.run(after())
    assert city.sent() == [("device_down/dc", "firing", ("device_down/device:core-1=firing",))]
    assert len(city.events.incidents.list()) == 1
    city.close()


def test_alert_active_before_a_restart_resolves_after_it(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    city = build_city(tmp_path, clock)

    async def before() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(10, "core-1", False)
        await city.idle(60)

    asyncio.run(before())
    tracker, first = city.tracker, list(city.notifier.groups)
    city.close()

    city = build_city(tmp_path, clock, tracker=tracker)
    assert [a.key for a in city.service.engine.alerts()] == ["device_down/device:core-1"]

    async def after() -> None:
        await city.answer(120, "core-1", True)
        await city.idle(500)

    asyncio.run(after())
    assert [g.status for g in first] == ["firing"]
    assert city.sent() == [("device_down/dc", "resolved", ("device_down/device:core-1=resolved",))]
    (inc,) = city.events.incidents.list()
    assert inc.status is IncidentStatus.resolved
    city.close()


def test_retries_back_off_and_give_up_after_the_configured_attempts(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    flaky = RecordingNotifier(outcomes=[Outcome.retry("HTTP 503")] * 3)
    city = build_city(tmp_path, clock, notifier=flaky)

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(30)
        assert city.service.journal.notifications()[0].attempts == 1
        await city.idle(39)  # first retry after 10 s is due at 40 s
        assert city.service.journal.notifications()[0].attempts == 1
        await city.idle(40)
        assert city.service.journal.notifications()[0].attempts == 2
        await city.idle(60)  # then 20 s later
        assert city.service.journal.notifications()[0].attempts == 3
        await city.idle(100)  # then 40 s later: delivered

    asyncio.run(scenario())
    (row,) = city.service.journal.notifications()
    assert (row.status, row.attempts) == ("sent", 4)
    assert len(flaky.groups) == 1
    city.close()


def test_restart_inside_the_group_wait_loses_no_notification(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    city = build_city(tmp_path, clock)

    async def before() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(10, "core-1", False)
        await city.idle(20)  # group wait (30 s) not over yet

    asyncio.run(before())
    assert city.notifier.groups == []
    tracker = city.tracker
    city.close()

    city = build_city(tmp_path, clock, tracker=tracker)
    asyncio.run(city.idle(120))
    assert city.sent() == [("device_down/dc", "firing", ("device_down/device:core-1=firing",))]
    city.close()

    city = build_city(tmp_path, clock, tracker=tracker)  # and once more: nothing again
    asyncio.run(city.idle(300))
    assert city.sent() == []
    city.close()
