"""The audit chain: exact hashing, offline verification, tamper detection, append-only tables."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.errors import StoreError
from noc.model.observations import ObjectRef, StateChange
from noc.store.audit import (
    GENESIS_HASH,
    canonical_entry,
    hash_of,
    main,
    verify_chain,
    verify_export,
)
from noc.store.events import AuditEntry, Severity
from noc.store.sqlite_events import SqliteEventStore
from tests.store.events_support import open_store


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[SqliteEventStore]:
    s = open_store(tmp_path, clock)
    yield s
    s.close()


def _fill(store: SqliteEventStore, clock: ManualClock) -> None:
    dev = ObjectRef.parse("device:core-1")
    store.state_changes.append(StateChange(object=dev, old="up", new="down", ts=clock.now()))
    inc = store.incidents.open("Core 1 mati — Dinas Kominfo", Severity.critical)
    clock.advance(120)
    store.incidents.acknowledge(inc.id, actor="budi")
    store.logbook.add("siti", "Serah terima shift pagi", handover=True)
    store.incidents.resolve(inc.id, actor="budi", root_cause=dev)


def _independent_verify(path: Path) -> int:
    """The export header's hash rule, implemented from its text alone (no noc code)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    prev = json.loads(lines[0])["genesis_prev_hash"]
    for seq, line in enumerate(lines[1:], start=1):
        entry = json.loads(line)
        body = {k: entry[k] for k in ("seq", "ts", "actor", "action", "subject", "payload")}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert entry["seq"] == seq and entry["prev_hash"] == prev
        prev = hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()
        assert entry["hash"] == prev
    return len(lines) - 1


def test_canonical_form_and_hash_are_exact() -> None:
    ts = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
    text = canonical_entry(
        1, ts, "budi", "incident.opened", "incident:1", {"title": "Gedung Ä", "id": 1}
    )
    assert text == (
        '{"action":"incident.opened","actor":"budi","payload":{"id":1,"title":"Gedung Ä"},'
        '"seq":1,"subject":"incident:1","ts":"2026-10-01T07:00:00.000000Z"}'
    )
    expected = hashlib.sha256((GENESIS_HASH + text).encode("utf-8")).hexdigest()
    entry = AuditEntry(
        seq=1,
        ts=ts,
        actor="budi",
        action="incident.opened",
        subject="incident:1",
        payload={"id": 1, "title": "Gedung Ä"},
        prev_hash=GENESIS_HASH,
        hash=expected,
    )
    assert hash_of(entry) == expected
    assert verify_chain([entry]).ok


def test_store_chain_links_and_verifies(store: SqliteEventStore, clock: ManualClock) -> None:
    _fill(store, clock)
    entries = store.audit.entries()
    assert [e.action for e in entries] == [
        "state_change.recorded",
        "incident.opened",
        "incident.acknowledged",
        "logbook.added",
        "incident.resolved",
    ]
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    for prev, entry in itertools.pairwise(entries):
        assert entry.prev_hash == prev.hash
    verdict = store.audit.verify()
    assert (verdict.ok, verdict.count, verdict.first_bad_seq) == (True, 5, None)
    assert verdict.head_hash == entries[-1].hash
    assert store.audit.entries(after_seq=3, limit=1)[0].seq == 4


def test_foreign_action_joins_the_chain(store: SqliteEventStore) -> None:
    entry = store.audit.append("inventory.reloaded", "inventory", {"devices": 42}, actor="admin")
    assert (entry.seq, entry.prev_hash, entry.payload) == (1, GENESIS_HASH, {"devices": 42})
    assert store.audit.head() == entry


def test_tampering_is_located(store: SqliteEventStore, clock: ManualClock) -> None:
    _fill(store, clock)
    entries = store.audit.entries()
    edited = [*entries[:2], entries[2].model_copy(update={"actor": "mallory"}), *entries[3:]]
    verdict = verify_chain(edited)
    assert (verdict.ok, verdict.count, verdict.first_bad_seq) == (False, 2, 3)
    assert verdict.reason == "hash does not match the entry's content"

    gap = [*entries[:1], *entries[2:]]
    verdict = verify_chain(gap)
    assert (verdict.ok, verdict.first_bad_seq, verdict.reason) == (
        False,
        2,
        "expected seq 2, found 3",
    )

    # Re-hashing an edited entry does not help: the next link breaks.
    forged = entries[1].model_copy(update={"actor": "mallory"})
    forged = forged.model_copy(update={"hash": hash_of(forged)})
    verdict = verify_chain([entries[0], forged, *entries[2:]])
    assert (verdict.ok, verdict.first_bad_seq) == (False, 3)
    assert verdict.reason == "prev_hash does not match the previous entry"


def test_export_verifies_offline_and_detects_edits(
    store: SqliteEventStore, clock: ManualClock, tmp_path: Path
) -> None:
    _fill(store, clock)
    buf = io.StringIO()
    assert store.audit.export(buf) == 5
    export = tmp_path / "audit.jsonl"
    export.write_text(buf.getvalue(), encoding="utf-8")
    store.close()
    (tmp_path / "events.db").unlink()  # nothing but the file

    verdict = verify_export(export)
    assert (verdict.ok, verdict.count) == (True, 5)
    lines = export.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == "noc-audit-chain"
    assert "Dinas Kominfo" in lines[2]  # UTF-8 kept as is

    record = json.loads(lines[4])
    record["payload"]["text"] = "Serah terima shift malam"
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join([*lines[:4], json.dumps(record), *lines[5:]]) + "\n", "utf-8")
    verdict = verify_export(tampered)
    assert (verdict.ok, verdict.count, verdict.first_bad_seq) == (False, 3, 4)

    truncated = tmp_path / "truncated.jsonl"
    truncated.write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    verdict = verify_export(truncated)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 5)
    assert verdict.reason == "the header announces 5 entries but the file holds 4"

    garbled = tmp_path / "garbled.jsonl"
    garbled.write_text("\n".join([*lines[:3], "{not json", *lines[4:]]) + "\n", "utf-8")
    verdict = verify_export(garbled)
    assert (verdict.ok, verdict.count, verdict.first_bad_seq) == (False, 2, 3)
    assert verdict.reason.startswith("line 4 is not an audit entry")

    assert _independent_verify(export) == 5
    assert main([str(export)]) == 0
    assert main([str(tampered)]) == 1
    assert main([str(tmp_path / "missing.jsonl")]) == 1


def test_audit_rows_cannot_be_updated_or_deleted(store: SqliteEventStore, tmp_path: Path) -> None:
    store.logbook.add("siti", "Shift pagi mulai")
    raw = sqlite3.connect(tmp_path / "events.db")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE refused"):
            raw.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE refused"):
            raw.execute("DELETE FROM audit")
        with pytest.raises(sqlite3.IntegrityError, match="does not extend the chain"):
            raw.execute(
                "INSERT INTO audit VALUES (3, 'x', 'a', 'b', 'c', '{}', ?, ?)",
                (GENESIS_HASH, GENESIS_HASH),
            )
        raw.rollback()
    finally:
        raw.close()
    assert store.audit.verify().count == 1


def test_verify_finds_an_edit_made_behind_the_triggers(
    store: SqliteEventStore, clock: ManualClock, tmp_path: Path
) -> None:
    _fill(store, clock)
    raw = sqlite3.connect(tmp_path / "events.db")
    try:
        raw.execute("DROP TRIGGER audit_no_update")
        raw.execute('UPDATE audit SET payload = \'{"id":1,"new":"up"}\' WHERE seq = 1')
        raw.commit()
    finally:
        raw.close()
    verdict = store.audit.verify()
    assert (verdict.ok, verdict.count, verdict.first_bad_seq) == (False, 0, 1)


def test_a_failed_write_leaves_neither_record_nor_audit_entry(
    store: SqliteEventStore, clock: ManualClock
) -> None:
    inc = store.incidents.open("UPS ruang server", Severity.major)
    store.incidents.resolve(inc.id, actor="budi")
    with pytest.raises(StoreError, match="is resolved, so it cannot be acknowledged"):
        store.incidents.acknowledge(inc.id, actor="budi")
    assert [e.kind.value for e in store.incidents.events(inc.id)] == ["opened", "resolved"]
    assert store.audit.verify().count == 2
