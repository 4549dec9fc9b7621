"""kill -9 during a burst of event writes loses no committed event and leaves no half record."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from noc.clock import SystemClock
from noc.store.events import IncidentStatus
from noc.store.sqlite_events import SqliteEventStore, open_sqlite_event_store

WRITER = Path(__file__).with_name("crash_writer.py")
REPO = Path(__file__).resolve().parents[2]
KILLS = 4


def _run_and_kill(db: Path, run: int, delay: float) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    ready = threading.Event()

    def pump() -> None:  # keep the pipe drained so the child never blocks on print
        assert proc.stdout is not None
        for line in proc.stdout:
            if line == "ready\n":
                ready.set()
            lines.append(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        assert ready.wait(15), f"writer did not start: {proc.stderr.read() if proc.stderr else ''}"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    reader.join(10)
    assert proc.returncode == -signal.SIGKILL, "the writer ended before it was killed"
    # A line without its newline may have been cut by the kill: it proves nothing either way.
    return [line.rstrip("\n") for line in lines if line.endswith("\n") and line != "ready\n"]


def _check_committed(store: SqliteEventStore, reported: list[str]) -> None:
    for line in reported:
        kind, ident, *rest = line.split(" ", 2)
        if kind == "sc":
            obj, new, cause = rest[0].split(" ")
            rec = store.state_changes.get(int(ident))
            assert (str(rec.object), rec.new, rec.cause or "-") == (obj, new, cause), line
        elif kind == "io":
            assert store.incidents.get(int(ident)).opened_by == "system", line
        elif kind == "ia":
            assert store.incidents.get(int(ident)).acknowledged_by == "crash-test", line
        elif kind == "ir":
            assert store.incidents.get(int(ident)).status is IncidentStatus.resolved, line
        elif kind == "lb":
            assert store.logbook.get(int(ident)).text == rest[0], line
        else:
            raise AssertionError(f"unexpected line from the writer: {line!r}")


def _check_no_half_records(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        q = conn.execute
        # Every record has exactly one audit entry and every audit entry its record.
        pairs = [
            ("SELECT id FROM state_changes", "state_change.recorded", "id"),
            ("SELECT id FROM incident_events", "incident.%", "event_id"),
            ("SELECT id FROM logbook", "logbook.added", "id"),
        ]
        for records_sql, action, key in pairs:
            records = sorted(r[0] for r in q(records_sql))
            audited = sorted(
                r[0]
                for r in q(
                    f"SELECT json_extract(payload, '$.{key}') FROM audit WHERE action LIKE ?",
                    (action,),
                )
            )
            assert records == audited, action
        # Every incident has its "opened" event; a batch of state changes is all or nothing.
        assert q(
            "SELECT count(*) FROM incidents WHERE id NOT IN"
            " (SELECT incident_id FROM incident_events WHERE kind = 'opened')"
        ).fetchone() == (0,)
        sizes = Counter(
            r[0] for r in q("SELECT cause FROM state_changes WHERE cause LIKE 'batch-%'")
        )
        assert set(sizes.values()) <= {20}, sizes
        # An incident that is resolved has its resolved event, and only then.
        assert q(
            "SELECT count(*) FROM incidents i WHERE (i.status = 'resolved') !="
            " EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id"
            " AND e.kind = 'resolved')"
        ).fetchone() == (0,)
    finally:
        conn.close()


def test_sigkill_during_burst_loses_no_committed_event(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    rng = random.Random()
    seed = rng.randrange(1_000_000)
    rng.seed(seed)
    delays = [rng.uniform(0.05 + 0.15 * i, 0.2 + 0.15 * i) for i in range(KILLS)]
    started = time.monotonic()
    total = 0
    for run, delay in enumerate(delays):
        reported = _run_and_kill(db, run, delay)
        assert reported, f"run {run} (seed {seed}) was killed before committing anything"
        total += len(reported)
        store = open_sqlite_event_store(db, SystemClock())
        try:
            verdict = store.audit.verify()
            assert verdict.ok, f"seed {seed}, run {run}: {verdict}"
            head = store.audit.head()
            assert head is not None
            assert verdict.count == head.seq
            for entry in store.audit.entries():
                assert isinstance(entry.payload, dict)
            _check_committed(store, reported)
        finally:
            store.close()
        _check_no_half_records(db)
    assert total > KILLS
    assert time.monotonic() - started < 20
