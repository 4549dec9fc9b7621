"""The auditor's export: the audit chain, the catalog, and the availability figures, sealed.

One file, CSV or JSON Lines, rows in this order:

* ``meta``: the format, the period ``[start, end)``, ``as_of`` (the "now" the figures were
  computed at), the chain's entry count and head hash, and the SLA catalog (services, rules,
  policies) the figures were computed with;
* ``entry``: every audit chain entry from seq 1 (every state change, maintenance window and
  incident event, and the other actions the chain links), with ``prev_hash`` and ``hash``;
* ``figure``: per device, link, service and site: downtime, counted time, maintenance and
  outages in microseconds, and the availability;
* ``seal``: ``sha256(head_hash + "\\n".join(meta and figure rows as written))``.

Every row is written in one canonical form, so a verifier re-renders each row it reads and any
changed byte shows up (:mod:`sla.verify`). The whole chain is exported, not only the period's
part: the states at the period's start come from earlier entries, and a chain verifies only
from its genesis.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from noc.store.audit import GENESIS_HASH, canonical_json, iso_utc
from noc.store.event_models import AuditEntry
from sla.availability import evaluate
from sla.catalog import SlaCatalog
from sla.figures import Figure
from sla.replay import history_from_audit

FORMAT = "noc-sla-audit"
VERSION = 1
COLUMNS = ("kind", "seq", "ts", "actor", "action", "subject", "payload", "prev_hash", "hash")
ExportFormat = Literal["csv", "json"]


class ExportMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["noc-sla-audit"] = "noc-sla-audit"
    version: Literal[1] = 1
    period_start: str
    period_end: str
    as_of: str
    count: int
    head_hash: str
    catalog: SlaCatalog


Row = dict[str, Any]


def figure_payload(f: Figure) -> dict[str, Any]:
    return {
        "downtime_us": f.downtime_us,
        "counted_us": f.counted_us,
        "maintenance_us": f.maintenance_us,
        "outages": f.outages,
        "availability": f"{f.availability:.9f}",
    }


def meta_row(meta: ExportMeta) -> Row:
    return {"kind": "meta", "payload": meta.model_dump(mode="json")}


def entry_row(e: AuditEntry) -> Row:
    return {
        "kind": "entry",
        "seq": e.seq,
        "ts": iso_utc(e.ts),
        "actor": e.actor,
        "action": e.action,
        "subject": e.subject,
        "payload": e.payload,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def figure_row(f: Figure) -> Row:
    return {"kind": "figure", "subject": f.ref, "payload": figure_payload(f)}


def render_row(row: Row, fmt: ExportFormat) -> str:
    """The one canonical text of a row (with its line end)."""
    if fmt == "json":
        return canonical_json({k: row[k] for k in COLUMNS if k in row}) + "\n"
    buf = io.StringIO()
    cells = []
    for k in COLUMNS:
        v = row.get(k, "")
        cells.append(canonical_json(v) if k == "payload" and k in row else str(v))
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def header_text(fmt: ExportFormat) -> str:
    return "" if fmt == "json" else ",".join(COLUMNS) + "\n"


def seal(head_hash: str, sealed_texts: Iterable[str]) -> str:
    return hashlib.sha256((head_hash + "".join(sealed_texts)).encode("utf-8")).hexdigest()


def compute_figures(
    catalog: SlaCatalog,
    entries: Sequence[AuditEntry],
    start: datetime,
    end: datetime,
    as_of: datetime,
) -> list[Figure]:
    ev = evaluate(catalog, history_from_audit(entries), start, end, as_of)
    return [ev.figure(ref) for ref in sorted(ev.nodes)]


def write_sla_export(
    entries: Sequence[AuditEntry],
    catalog: SlaCatalog,
    start: datetime,
    end: datetime,
    as_of: datetime,
    fmt: ExportFormat,
) -> str:
    """The export as text (see module doc)."""
    head = entries[-1].hash if entries else GENESIS_HASH
    meta = ExportMeta(
        period_start=iso_utc(start),
        period_end=iso_utc(end),
        as_of=iso_utc(as_of),
        count=len(entries),
        head_hash=head,
        catalog=catalog,
    )
    meta_text = render_row(meta_row(meta), fmt)
    figure_texts = [
        render_row(figure_row(f), fmt) for f in compute_figures(catalog, entries, start, end, as_of)
    ]
    parts = [header_text(fmt), meta_text]
    parts += [render_row(entry_row(e), fmt) for e in entries]
    parts += figure_texts
    sealed = seal(head, [meta_text, *figure_texts])
    parts.append(render_row({"kind": "seal", "payload": {"sha256": sealed}}, fmt))
    return "".join(parts)
