"""A year of generated history for the demo city, written into a real event store."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from noc.clock import ManualClock
from noc.inventory import load_inventory
from noc.model import Inventory, ObjectKind, ObjectRef, StateChange
from noc.store.events import EventStore, Severity, open_event_store

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)  # 1 Nov 10:00 WIB: October is complete


def demo_inventory() -> Inventory:
    return load_inventory("inventory.yaml")


def generate(path: str, seed: int = 7, outages_per_object: int = 6) -> tuple[EventStore, Inventory]:
    """State changes (outages, some unreachable behind a down upstream), maintenance windows
    and incidents from 2026-01-01 to 2026-10-31, plus an outage still open at October's end."""
    rng = random.Random(seed)
    inv = demo_inventory()
    clock = ManualClock(YEAR_START - timedelta(days=1))
    store = open_event_store(path, clock)
    changes: list[StateChange] = []
    span = (NOW - YEAR_START).total_seconds() - 86400 * 2
    refs = [ObjectRef(kind=ObjectKind.device, id=d.id) for d in inv.devices]
    refs += [ObjectRef(kind=ObjectKind.link, id=k.id) for k in inv.links]
    for ref in refs:
        t = YEAR_START
        changes.append(StateChange(object=ref, old="unknown", new="up", ts=t))
        starts = sorted(rng.uniform(0, span) for _ in range(outages_per_object))
        last_end = t
        for s in starts:
            begin = max(YEAR_START + timedelta(seconds=int(s)), last_end + timedelta(seconds=60))
            end = begin + timedelta(seconds=rng.randint(60, 3 * 3600))
            state = "down"
            cause = ""
            if (
                ref.kind is ObjectKind.device
                and inv.device(ref.id).depends_on
                and rng.random() < 0.3
            ):
                state = "unreachable"
                cause = f"root cause upstream: {', '.join(inv.device(ref.id).depends_on)}"
            changes.append(StateChange(object=ref, old="up", new=state, ts=begin, cause=cause))
            changes.append(StateChange(object=ref, old=state, new="up", ts=end))
            last_end = end
    # An outage still open at the end of October (and of the export).
    changes.append(
        StateChange(
            object=ObjectRef(kind=ObjectKind.device, id="srv-portal-1"),
            old="up",
            new="down",
            ts=datetime(2026, 10, 31, 15, 0, tzinfo=UTC),
        )
    )
    changes.sort(key=lambda c: c.ts)
    store.state_changes.append_many(changes)
    for i in range(12):
        start = YEAR_START + timedelta(days=25 * i + 3, hours=18)
        target = ObjectRef(kind=ObjectKind.device, id=rng.choice(["core-1", "fw-1", "srv-mail-1"]))
        store.maintenance.create(
            target, start, start + timedelta(hours=2), author="ops", reason="patch"
        )
    services = [s.id for s in inv.services]
    for i in range(40):
        opened = YEAR_START + timedelta(seconds=int(rng.uniform(0, span)))
        sev = rng.choice(list(Severity))
        inc = store.incidents.open(
            f"Gangguan {i}",
            sev,
            at=opened,
            affected_services=[rng.choice(services)],
            root_cause=rng.choice(refs),
        )
        if rng.random() < 0.9:
            ack = opened + timedelta(minutes=rng.randint(1, 120))
            store.incidents.acknowledge(inc.id, actor="budi", at=ack)
            store.incidents.resolve(
                inc.id, actor="budi", at=ack + timedelta(minutes=rng.randint(5, 300))
            )
    clock.set(NOW)
    return store, inv
