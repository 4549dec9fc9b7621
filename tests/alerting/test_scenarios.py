"""Scenarios from issue 6 on a ManualClock with synthetic observations.

Each says how many pages people get: one per problem, about the cause.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest

from alerting.mute import MuteKind
from noc.errors import StoreError
from noc.store.events import IncidentEventKind, IncidentStatus, Matcher
from tests.alerting.support import City, device


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def test_utility_failure_is_one_incident_with_power_symptoms_linked(city: City) -> None:
    async def scenario() -> None:
        # PLN fails: both UPSes go to battery, the ATS sees no utility, the genset does not start.
        await city.sample(0, "ups_output_source", "ups-1", 3, state="battery")
        await city.sample(1, "ups_output_source", "ups-2", 3, state="battery")
        await city.sample(2, "genset_running", "gen-1", 0)
        await city.idle(120)
        await city.sample(121, "ats_source", "ats-1", 2, state="generator")  # started late
        await city.idle(180)

    run(scenario)
    incidents = city.events.incidents.list()
    assert len(incidents) == 1
    inc = incidents[0]
    assert inc.source_alert == "ups_on_battery/device:ups-1"
    assert set(inc.symptom_alerts) == {
        "ups_on_battery/device:ups-2",
        "genset_not_started/site:dc",
        "ats_on_generator/device:ats-1",
    }
    assert city.sent() == [("ups_on_battery/dc", "firing", ("ups_on_battery/device:ups-1=firing",))]
    symptom = city.service.journal.alert("genset_not_started/site:dc")
    assert symptom is not None and symptom.mute is not None
    assert symptom.mute.kind is MuteKind.inhibition and symptom.incident_id == inc.id


def test_core_pair_down_is_one_incident_with_districts_as_symptoms(city: City) -> None:
    async def scenario() -> None:
        for dev in ("core-1", "core-2", "dist-1", "dist-2", "dist-3", "acc-1"):
            await city.answer(0, dev, True)
        await city.answer(10, "core-1", False)
        await city.answer(11, "core-2", False)
        for i, dev in enumerate(("dist-1", "dist-2", "dist-3", "acc-1")):
            await city.answer(12 + i, dev, False)
        await city.idle(120)

    run(scenario)
    incidents = city.events.incidents.list()
    assert len(incidents) == 1, [i.title for i in incidents]
    inc = incidents[0]
    assert inc.source_alert == "device_down/device:core-1"
    assert inc.root_cause == device("core-1")
    assert inc.affected_services == ("population-registry",)
    assert set(inc.symptom_alerts) == {
        "device_down/device:core-2",
        "device_unreachable/device:dist-1",
        "device_unreachable/device:dist-2",
        "device_unreachable/device:dist-3",
        "device_unreachable/device:acc-1",
    }
    assert city.sent() == [("device_down/dc", "firing", ("device_down/device:core-1=firing",))]


def test_recovery_resolves_the_incident_by_itself_once_all_alerts_resolve(city: City) -> None:
    async def scenario() -> None:
        for dev in ("core-1", "core-2", "dist-1"):
            await city.answer(0, dev, True)
        await city.answer(10, "core-1", False)
        await city.answer(11, "dist-1", False)
        await city.idle(60)
        await city.answer(61, "core-1", True)  # dist-1 still silent: now down on its own
        first, second = city.events.incidents.list()
        assert first.status is IncidentStatus.resolved
        assert (second.source_alert, second.status) == ("device_down/device:dist-1", "open")
        await city.answer(62, "dist-1", True)
        await city.idle(400)

    run(scenario)
    incidents = city.events.incidents.list()
    assert [i.status for i in incidents] == [IncidentStatus.resolved, IncidentStatus.resolved]
    first = incidents[0]
    assert first.resolved_by == "alerting"
    kinds = [e.kind for e in city.events.incidents.events(first.id)]
    assert kinds[0] is IncidentEventKind.opened and kinds[-1] is IncidentEventKind.resolved
    # dist-1's own outage lasted 1 s, inside the group wait: nobody was told, nothing to resolve.
    assert city.sent() == [
        ("device_down/dc", "firing", ("device_down/device:core-1=firing",)),
        ("device_down/dc", "resolved", ("device_down/device:core-1=resolved",)),
    ]


def test_flapping_link_is_one_flapping_notification_not_forty(city: City) -> None:
    async def scenario() -> None:
        state = "up"
        for i in range(40):  # a change every 10 s for 400 s
            new = "down" if state == "up" else "up"
            await city.state(i * 10, "link:core-1:Te1/1--dist-1:Te1/1", state, new)
            state = new
        during = list(city.sent())
        assert during == [
            (
                "link_down/-",
                "firing",
                ("link_down/link:core-1:Te1/1--dist-1:Te1/1=flapping",),
            )
        ]
        await city.idle(400 + 11 * 60)  # quiet for longer than the flap window: settled

    run(scenario)
    alert = city.service.engine.alert("link_down/link:core-1:Te1/1--dist-1:Te1/1")
    assert alert is not None and alert.state.value == "resolved"
    assert len(city.notifier.groups) == 2  # flapping, then its end
    assert len(city.events.incidents.list()) == 1


def test_maintenance_window_is_not_notified_and_marks_the_incident_planned(city: City) -> None:
    city.events.maintenance.create(
        device("core-1"),
        city.clock.now(),
        city.clock.now() + timedelta(hours=2),
        author="budi",
        reason="firmware upgrade",
    )

    async def scenario() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(60, "core-1", False)
        await city.idle(300)

    run(scenario)
    assert city.notifier.groups == []
    (inc,) = city.events.incidents.list()
    assert inc.title.startswith("[planned] ")
    events = city.events.incidents.events(inc.id)
    assert "planned (maintenance:1)" in events[0].text
    record = city.service.journal.alert("device_down/device:core-1")
    assert record is not None and record.mute is not None
    assert record.mute.kind is MuteKind.maintenance


def test_recurring_maintenance_window_mutes_each_occurrence(city: City) -> None:
    start = city.clock.now() - timedelta(days=7)
    city.events.maintenance.create(
        device("core-1"),
        start,
        start + timedelta(hours=1),
        author="budi",
        reason="weekly backup window",
        recurrence="FREQ=WEEKLY",
    )

    async def scenario() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(60, "core-1", False)  # inside this week's occurrence
        await city.idle(120)

    run(scenario)
    assert city.notifier.groups == []
    assert city.events.incidents.list()[0].title.startswith("[planned] ")


def test_silence_is_not_notified_but_the_incident_still_counts(city: City) -> None:
    city.events.silences.create(
        [Matcher(name="alertname", value="device_down"), Matcher(name="site", value="dc")],
        city.clock.now(),
        city.clock.now() + timedelta(hours=1),
        author="sari",
        reason="known fault, vendor on site",
    )

    async def scenario() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(60, "core-1", False)
        await city.idle(300)

    run(scenario)
    assert city.notifier.groups == []
    (inc,) = city.events.incidents.list()
    assert not inc.title.startswith("[planned]")
    texts = [e.text for e in city.events.incidents.events(inc.id)]
    assert any("silence:1" in t and "sari" in t for t in texts)


def test_alert_firing_again_soon_reopens_its_incident(city: City) -> None:
    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.sample(60, "env_water_leak", "env-1", 0)
        await city.sample(600, "env_water_leak", "env-1", 1)
        await city.idle(700)

    run(scenario)
    (inc,) = city.events.incidents.list()
    kinds = [e.kind for e in city.events.incidents.events(inc.id)]
    assert kinds == [
        IncidentEventKind.opened,
        IncidentEventKind.resolved,
        IncidentEventKind.reopened,
    ]
    assert inc.status is IncidentStatus.open


def test_ring_segment_down_is_one_ring_incident(city: City) -> None:
    async def scenario() -> None:
        await city.state(0, "link:r1-2", "up", "down")
        await city.state(1, "ring:R1", "ok", "degraded")
        await city.idle(120)

    run(scenario)
    (inc,) = city.events.incidents.list()
    assert inc.source_alert == "link_down/link:r1-2"
    assert inc.symptom_alerts == ("ring_lost_redundancy/ring:R1",)
    assert len(city.notifier.groups) == 1


def test_alert_still_firing_when_its_silence_expires_is_notified_then(city: City) -> None:
    city.events.silences.create(
        [Matcher(name="alertname", value="water_leak")],
        city.clock.now(),
        city.clock.now() + timedelta(minutes=30),
        author="sari",
        reason="sensor being replaced",
    )

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(29 * 60, step=30)
        assert city.notifier.groups == []
        await city.idle(32 * 60, step=15)

    run(scenario)
    assert city.sent() == [("water_leak/dc", "firing", ("water_leak/device:env-1=firing",))]
    record = city.service.journal.alert("water_leak/device:env-1")
    assert record is not None and record.mute is None and record.notified
    (inc,) = city.events.incidents.list()
    texts = [e.text for e in city.events.incidents.events(inc.id)]
    assert "silence:1 ended; water_leak/device:env-1 still fires" in texts


def test_a_fault_that_comes_back_after_it_resolved_pages_again(city: City) -> None:
    async def scenario() -> None:
        await city.answer(0, "core-1", True)
        await city.answer(10, "core-1", False)
        await city.idle(60)
        await city.answer(70, "core-1", True)
        await city.idle(500)  # past the group interval
        await city.answer(510, "core-1", False)  # the same alert, a new episode
        await city.idle(1200)

    run(scenario)
    assert [s[1] for s in city.sent()] == ["firing", "resolved", "firing"], city.sent()


def test_a_symptom_from_a_poll_that_finished_late_joins_its_root_cause(city: City) -> None:
    """Polls finish out of order: dist-1's poll started at 9.5 s, before core-1's incident
    opened at 10 s, but its answer comes after. It joins that incident as of its opening instead
    of failing (the event store refuses a step earlier than the incident)."""

    async def scenario() -> None:
        for dev in ("core-1", "core-2", "dist-1"):
            await city.answer(0, dev, True)
        await city.answer(10, "core-1", False)
        await city.answer(11, "core-2", False)
        await city.answer(9.5, "dist-1", False)
        await city.idle(120)

    run(scenario)
    [inc] = city.events.incidents.list()
    assert "device_unreachable/device:dist-1" in inc.symptom_alerts
    linked = [e for e in city.events.incidents.events(inc.id) if e.kind is IncidentEventKind.linked]
    assert linked and all(e.at >= inc.opened_at for e in linked)


def test_people_are_paged_even_when_the_incident_books_fail(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise StoreError("The event store at /var/noc/events.sqlite is full.")

    async def scenario() -> None:
        for dev in ("core-1", "core-2"):
            await city.answer(0, dev, True)
        monkeypatch.setattr(city.service.incidents, "handle", broken)
        await city.answer(10, "core-1", False)
        await city.idle(120)

    run(scenario)
    assert city.events.incidents.list() == []
    assert city.sent() == [("device_down/dc", "firing", ("device_down/device:core-1=firing",))]
    record = city.service.journal.alert("device_down/device:core-1")
    assert record is not None and record.alert.state.value == "firing"
