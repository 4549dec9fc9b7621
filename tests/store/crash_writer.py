"""Child process of test_crash_safety: writes events as fast as it can until it is killed.

Usage: python crash_writer.py DB_PATH RUN. After each commit returns it prints (flushed) one
line naming what was committed:

    sc <id> <object> <new> <cause>     a state change
    io <id> / ia <id> / ir <id>        an incident opened / acknowledged / resolved
    lb <id> <text>                     a log book entry
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from noc.clock import SystemClock
from noc.model.observations import ObjectRef, StateChange
from noc.store.events import Severity, open_event_store

BATCH = 20
MAX_SECONDS = 30.0  # never outlive a test that forgot us


def main() -> None:
    db_path, run = sys.argv[1], int(sys.argv[2])
    store = open_event_store(db_path, SystemClock())
    out = sys.stdout
    print("ready", flush=True)
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < MAX_SECONDS:
        n += 1
        ts = datetime.now(UTC)
        obj = ObjectRef.parse(f"device:r{run}-d{n % 7}")
        rec = store.state_changes.append(StateChange(object=obj, old="up", new="down", ts=ts))
        print(f"sc {rec.id} {rec.object} {rec.new} -", file=out, flush=True)
        batch = [
            StateChange(object=obj, old="down", new="up", ts=ts, cause=f"batch-r{run}-{n}")
            for _ in range(BATCH)
        ]
        for rec in store.state_changes.append_many(batch):
            print(f"sc {rec.id} {rec.object} {rec.new} {rec.cause}", file=out, flush=True)
        inc = store.incidents.open(f"r{run} incident {n}", Severity.major)
        print(f"io {inc.id}", file=out, flush=True)
        store.incidents.acknowledge(inc.id, actor="crash-test")
        print(f"ia {inc.id}", file=out, flush=True)
        entry = store.logbook.add("crash-test", f"r{run}-entry-{n}", handover=n % 5 == 0)
        print(f"lb {entry.id} {entry.text}", file=out, flush=True)
        store.incidents.resolve(inc.id, actor="crash-test")
        print(f"ir {inc.id}", file=out, flush=True)
    store.close()


if __name__ == "__main__":
    main()
