"""The store is thread-safe: concurrent writers keep the chain gap-free and complete."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from noc.clock import ManualClock
from noc.model.observations import ObjectRef, StateChange
from noc.store.events import Severity
from tests.store.events_support import open_store

THREADS = 8
EACH = 25


def test_concurrent_writers(tmp_path: Path, clock: ManualClock) -> None:
    store = open_store(tmp_path, clock)
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                obj = ObjectRef.parse(f"device:t{n}")
                ts = datetime(2026, 10, 1, 0, 0, i, tzinfo=UTC)
                store.state_changes.append(StateChange(object=obj, old="up", new="down", ts=ts))
                inc = store.incidents.open(f"t{n}-{i}", Severity.minor)
                store.incidents.acknowledge(inc.id, actor=f"op{n}")
                store.logbook.add(f"op{n}", f"t{n}-{i}")
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == []
        verdict = store.audit.verify()
        assert (verdict.ok, verdict.count) == (True, THREADS * EACH * 4)
        assert len(store.state_changes.list()) == THREADS * EACH
        assert len(store.incidents.list()) == THREADS * EACH
        assert len(store.logbook.list()) == THREADS * EACH
        for n in range(THREADS):
            mine = store.state_changes.list(ObjectRef.parse(f"device:t{n}"))
            assert [r.ts.second for r in mine] == list(range(EACH))
    finally:
        store.close()
