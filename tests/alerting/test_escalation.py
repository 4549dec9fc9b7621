"""Escalation: primary at once, secondary after 15 min, manager after 45; stop on ack.

And a restart in the middle of an escalation: no duplicate and no lost page.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from alerting.config import AlertingConfig
from alerting.escalation import EscalationPolicy
from alerting.notify.base import Outcome
from alerting.notify.email import EmailConfig, build_message
from alerting.oncall import Rotation
from alerting.people import Contact
from noc.clock import ManualClock
from noc.store.events import IncidentEventKind, Matcher
from tests.alerting.support import T0, City, RecordingNotifier, build_city

ROTATIONS = [
    Rotation(
        name="primary",
        members=("budi", "sari"),
        start=T0 - timedelta(hours=1),
        shift=timedelta(hours=12),
    ),
    Rotation(name="secondary", members=("agus",), start=T0, shift=timedelta(days=7)),
    Rotation(name="manager", members=("kadis",), start=T0, shift=timedelta(days=7)),
]
CONFIG = AlertingConfig(rotations=ROTATIONS, escalation=EscalationPolicy())


def pages(city: City) -> list[tuple[int, tuple[str, ...]]]:
    return [(g.escalation_level, g.recipients) for g in city.notifier.groups if g.escalation_level]


def test_rotation_hands_over_at_the_shift_boundary() -> None:
    r = ROTATIONS[0]
    assert r.on_call(T0) == "budi"
    assert r.on_call(T0 + timedelta(hours=10, minutes=59)) == "budi"
    assert r.on_call(T0 + timedelta(hours=11)) == "sari"
    assert r.next_handover(T0) == T0 + timedelta(hours=11)
    assert r.on_call(T0 + timedelta(hours=23)) == "budi"


def test_unacknowledged_incident_climbs_every_step_once(tmp_path: Path) -> None:
    city = build_city(tmp_path, config=CONFIG)

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(60 * 60, step=30)

    asyncio.run(scenario())
    (inc,) = city.events.incidents.list()
    assert inc.assignee == "budi" and inc.escalation_level == 2
    assert pages(city) == [(1, ("agus",)), (2, ("kadis",))]
    escalated = [
        e for e in city.events.incidents.events(inc.id) if e.kind is IncidentEventKind.escalated
    ]
    assert [e.at - T0 for e in escalated] == [timedelta(minutes=15), timedelta(minutes=45)]
    city.close()


def test_acknowledgement_stops_the_escalation(tmp_path: Path) -> None:
    city = build_city(tmp_path, config=CONFIG)

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(20 * 60, step=30)
        (inc,) = city.events.incidents.list()
        city.events.incidents.acknowledge(inc.id, actor="agus", at=city.clock.now())
        await city.idle(90 * 60, step=60)

    asyncio.run(scenario())
    assert pages(city) == [(1, ("agus",))]
    city.close()


def test_silenced_incident_does_not_escalate(tmp_path: Path) -> None:
    city = build_city(tmp_path, config=CONFIG)
    city.events.silences.create(
        [Matcher(name="alertname", value="water_leak")],
        T0,
        T0 + timedelta(hours=3),
        author="sari",
        reason="sensor being replaced",
    )

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(60 * 60, step=60)

    asyncio.run(scenario())
    assert city.notifier.groups == []
    (inc,) = city.events.incidents.list()
    assert inc.escalation_level == 0
    city.close()


def test_restart_mid_escalation_neither_repeats_nor_loses_a_page(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    down = RecordingNotifier(outcomes=[])
    city = build_city(tmp_path, clock, notifier=down, config=CONFIG)

    async def before() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(14 * 60, step=30)
        down.outcomes[:] = [Outcome.retry("HTTP 503")]
        await city.idle(15 * 60, step=30)  # step 1 queued, its delivery failed

    asyncio.run(before())
    assert pages(city) == []
    city.close()  # the process dies with the page still pending

    city = build_city(tmp_path, clock, config=CONFIG)

    async def after() -> None:
        await city.idle(60 * 60, step=30)

    asyncio.run(after())
    assert pages(city) == [(1, ("agus",)), (2, ("kadis",))]
    (inc,) = city.events.incidents.list()
    assert inc.escalation_level == 2
    city.close()


def test_escalation_pages_reach_the_named_people_at_their_own_addresses(tmp_path: Path) -> None:
    """The secondary is paged at the secondary's own address, not at the channel's list; a
    person without one leaves the channel's recipients in place."""
    people = {
        "agus": Contact(email="agus@kominfo.sukamaju.go.id", telegram_chat_id="4242"),
        "budi": Contact(email="budi@kominfo.sukamaju.go.id"),
    }
    city = build_city(tmp_path, config=CONFIG.model_copy(update={"people": people}))

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.idle(60 * 60, step=30)

    asyncio.run(scenario())
    escalated = {g.escalation_level: g for g in city.notifier.groups if g.escalation_level}
    agus, kadis = escalated[1], escalated[2]
    assert (agus.emails, agus.telegram_chats) == (("agus@kominfo.sukamaju.go.id",), ("4242",))
    assert (kadis.emails, kadis.telegram_chats) == ((), ())
    mail = EmailConfig(
        host="127.0.0.1",
        sender="noc@sukamaju.go.id",
        recipients=("noc-team@sukamaju.go.id",),
    )
    assert build_message(mail, agus)["To"] == "agus@kominfo.sukamaju.go.id"
    assert build_message(mail, kadis)["To"] == "noc-team@sukamaju.go.id"
