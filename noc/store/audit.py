"""The audit chain: how an entry is hashed, how a chain is verified, and its export file.

Each entry's hash is ``sha256(prev_hash + canonical)`` over UTF-8 text, where ``canonical`` is
the JSON object ``{"action", "actor", "payload", "seq", "subject", "ts"}`` written with sorted
keys, no spaces (``","`` and ``":"`` separators), non-ASCII characters kept as UTF-8, and ``ts``
as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``. The first entry's ``prev_hash`` is 64 zeros and
sequence numbers start at 1 with no gaps.

The export is JSON Lines: a header line describing the format, then one entry per line with
its ``prev_hash`` and ``hash``. It verifies with nothing but the file::

    python -m noc.store.audit audit-export.jsonl
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError

from noc.clock import utc
from noc.store.event_models import AuditEntry

GENESIS_HASH = "0" * 64
EXPORT_FORMAT = "noc-audit-chain"
EXPORT_VERSION = 1
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def iso_utc(value: datetime) -> str:
    """The one textual form of a timestamp in storage and in the chain."""
    return utc(value).strftime(_TS_FORMAT)


def parse_iso_utc(text: str) -> datetime:
    """Read back what :func:`iso_utc` wrote."""
    return datetime.strptime(text, _TS_FORMAT).replace(tzinfo=UTC)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_entry(
    seq: int,
    ts: datetime,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, JsonValue],
) -> str:
    """The text an entry's hash covers (everything but ``prev_hash`` and ``hash``)."""
    return canonical_json(
        {
            "seq": seq,
            "ts": iso_utc(ts),
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": payload,
        }
    )


def entry_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    """The hash ``entry`` should carry, given its ``prev_hash``."""
    body = canonical_entry(
        entry.seq, entry.ts, entry.actor, entry.action, entry.subject, entry.payload
    )
    return entry_hash(entry.prev_hash, body)


class ChainVerdict(BaseModel):
    """The result of verifying a chain: ``ok``, how many entries were checked, and where and why
    it broke. ``head_hash`` is the last good hash (compare it with a published anchor to detect
    truncation of the tail)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ok: bool
    count: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_hash: str = GENESIS_HASH


def verify_chain(entries: Iterable[AuditEntry]) -> ChainVerdict:
    """Check sequence numbers (1, 2, 3, ... with no gap), links and hashes, in order."""
    prev = GENESIS_HASH
    count = 0
    for entry in entries:
        expected_seq = count + 1
        if entry.seq != expected_seq:
            return _bad(
                count, expected_seq, prev, f"expected seq {expected_seq}, found {entry.seq}"
            )
        if entry.prev_hash != prev:
            return _bad(count, entry.seq, prev, "prev_hash does not match the previous entry")
        if hash_of(entry) != entry.hash:
            return _bad(count, entry.seq, prev, "hash does not match the entry's content")
        prev = entry.hash
        count += 1
    return ChainVerdict(ok=True, count=count, head_hash=prev)


def _bad(count: int, seq: int, prev: str, reason: str) -> ChainVerdict:
    return ChainVerdict(ok=False, count=count, first_bad_seq=seq, reason=reason, head_hash=prev)


def export_header(count: int) -> dict[str, JsonValue]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "count": count,
        "algorithm": "sha256",
        "genesis_prev_hash": GENESIS_HASH,
        "hash_rule": (
            "hash = sha256_hex(utf8(prev_hash + canonical)); canonical = JSON of "
            "{seq, ts, actor, action, subject, payload} with sorted keys, separators ',' ':', "
            "UTF-8 (not ASCII-escaped), ts as UTC YYYY-MM-DDTHH:MM:SS.ffffffZ; seq starts at 1, "
            "no gaps; each prev_hash is the previous entry's hash"
        ),
    }


def entry_line(entry: AuditEntry) -> str:
    return canonical_json(
        {
            "seq": entry.seq,
            "ts": iso_utc(entry.ts),
            "actor": entry.actor,
            "action": entry.action,
            "subject": entry.subject,
            "payload": entry.payload,
            "prev_hash": entry.prev_hash,
            "hash": entry.hash,
        }
    )


def write_export(entries: Sequence[AuditEntry], out: IO[str]) -> int:
    """Write the header and ``entries`` as JSON Lines to ``out``; return how many entries."""
    out.write(canonical_json(export_header(len(entries))) + "\n")
    for entry in entries:
        out.write(entry_line(entry) + "\n")
    return len(entries)


class _Unreadable(Exception):
    def __init__(self, line_no: int, reason: str) -> None:
        super().__init__(reason)
        self.line_no = line_no
        self.reason = reason


def _read_entries(lines: Iterator[str]) -> Iterator[AuditEntry]:
    for line_no, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        try:
            yield AuditEntry.model_validate_json(line)
        except ValidationError as e:
            raise _Unreadable(
                line_no, f"line {line_no} is not an audit entry: {e.errors()[0]['msg']}"
            ) from e


def verify_export(path: Path) -> ChainVerdict:
    """Verify an export file offline: its header, then every entry's seq, link and hash."""
    with path.open(encoding="utf-8") as f:
        lines = iter(f)
        first = next(lines, "")
        try:
            header = json.loads(first)
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
            return ChainVerdict(ok=False, count=0, reason=f"{path} is not a {EXPORT_FORMAT} file")
        if header.get("version") != EXPORT_VERSION:
            reason = f"{path} has format version {header.get('version')}, not {EXPORT_VERSION}"
            return ChainVerdict(ok=False, count=0, reason=reason)
        entries: list[AuditEntry] = []
        try:
            for entry in _read_entries(lines):
                entries.append(entry)
        except _Unreadable as e:
            verdict = verify_chain(entries)
            if not verdict.ok:
                return verdict
            return _bad(verdict.count, verdict.count + 1, verdict.head_hash, e.reason)
    verdict = verify_chain(entries)
    if verdict.ok and header.get("count") != verdict.count:
        reason = (
            f"the header announces {header.get('count')} entries but the file holds {verdict.count}"
        )
        return _bad(verdict.count, verdict.count + 1, verdict.head_hash, reason)
    return verdict


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m noc.store.audit FILE``: verify an export; exit 0 when the chain holds."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m noc.store.audit AUDIT_EXPORT.jsonl", file=sys.stderr)
        return 2
    path = Path(args[0])
    try:
        verdict = verify_export(path)
    except OSError as e:
        print(f"FAILED: cannot read {path}: {e.strerror}", file=sys.stderr)
        return 1
    if verdict.ok:
        print(f"OK: {verdict.count} entries, head {verdict.head_hash}")
        return 0
    print(f"FAILED at seq {verdict.first_bad_seq}: {verdict.reason} ({verdict.count} good entries)")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
