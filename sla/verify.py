"""Verify an auditor's export from the file alone: form, chain, seal, and every figure.

Each problem names where it is: ``line N (entry seq S)``, ``entry seq S``, or ``figure REF``.
Checks, in order: every row is in its canonical form (so a changed byte anywhere shows up,
even one that leaves the JSON meaning intact); the chain (seq, prev_hash, hash: reusing
:func:`noc.store.audit.verify_chain`); the meta's count and head hash; the seal; and the
availability figures, recomputed from the entries and the catalog the file carries.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from noc.errors import NocError
from noc.store.audit import parse_iso_utc, verify_chain
from noc.store.event_models import AuditEntry
from sla.export import (
    COLUMNS,
    ExportFormat,
    ExportMeta,
    Row,
    compute_figures,
    figure_payload,
    header_text,
    render_row,
    seal,
)


class VerifyReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ok: bool
    entries: int
    figures: int
    problems: tuple[str, ...] = ()


def _csv_rows(text: str) -> Iterator[tuple[int, Row | str]]:
    """``(offset, row or error)`` for each CSV line after the header (rows are one line each:
    payloads are JSON, whose strings escape line breaks)."""
    offset = len(header_text("csv"))
    for line in text[offset:].splitlines(keepends=True):
        cells = next(csv.reader([line]), [])
        if len(cells) != len(COLUMNS):
            yield offset, f"has {len(cells)} fields, not {len(COLUMNS)}"
        else:
            row: Row = {}
            try:
                for k, v in zip(COLUMNS, cells, strict=True):
                    if k == "payload":
                        row[k] = json.loads(v)
                    elif k == "seq" and v != "":
                        row[k] = int(v)
                    elif v != "":
                        row[k] = v
                yield offset, row
            except ValueError as e:
                yield offset, f"cannot be read: {e}"
        offset += len(line)


def _json_rows(text: str) -> Iterator[tuple[int, Row | str]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        try:
            value = json.loads(line)
            yield offset, value if isinstance(value, dict) else "is not a JSON object"
        except ValueError as e:
            yield offset, f"cannot be read: {e}"
        offset += len(line)


def _where(text: str, offset: int, row: Row | str) -> str:
    line = text.count("\n", 0, offset) + 1
    if isinstance(row, dict) and row.get("kind") == "entry":
        return f"line {line} (entry seq {row.get('seq')})"
    if isinstance(row, dict) and row.get("kind") == "figure":
        return f"line {line} (figure {row.get('subject')})"
    return f"line {line}"


def verify_text(text: str) -> VerifyReport:
    fmt: ExportFormat = "json" if text.startswith("{") else "csv"
    problems: list[str] = []
    if fmt == "csv" and not text.startswith(header_text("csv")):
        problems.append("line 1: the CSV header is not " + ",".join(COLUMNS))
    parsed = list(_json_rows(text) if fmt == "json" else _csv_rows(text))
    meta_text, figure_texts = "", []
    entries: list[AuditEntry] = []
    figures: dict[str, tuple[str, Row]] = {}
    meta: ExportMeta | None = None
    seal_value = None
    for offset, row in parsed:
        where = _where(text, offset, row)
        if isinstance(row, str):
            problems.append(f"{where} {row}")
            continue
        rendered = render_row(row, fmt)
        if text[offset : offset + len(rendered)] != rendered:
            problems.append(f"{where} was edited: it is not as the exporter wrote it")
        kind = row.get("kind")
        try:
            if kind == "meta" and meta is None:
                meta, meta_text = ExportMeta.model_validate(row.get("payload")), rendered
            elif kind == "entry":
                entries.append(_entry(row))
            elif kind == "figure":
                figures[str(row.get("subject"))] = (rendered, row)
                figure_texts.append(rendered)
            elif kind == "seal":
                seal_value = (row.get("payload") or {}).get("sha256")
            else:
                problems.append(f"{where} has an unexpected kind {kind!r}")
        except ValidationError as e:
            first = e.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "row"
            problems.append(f"{where} is not valid: {field}: {first['msg']}")
        except (KeyError, ValueError, TypeError) as e:
            problems.append(f"{where} is not valid: {type(e).__name__} {e}")
    if meta is None:
        return VerifyReport(
            ok=False,
            entries=len(entries),
            figures=len(figures),
            problems=(*problems, "the file has no meta row: not an SLA export"),
        )
    verdict = verify_chain(entries)
    if not verdict.ok:
        problems.append(f"entry seq {verdict.first_bad_seq}: {verdict.reason}")
    if meta.count != len(entries):
        problems.append(f"meta: announces {meta.count} entries, the file holds {len(entries)}")
    if entries and meta.head_hash != entries[-1].hash:
        problems.append("meta: head_hash is not the last entry's hash")
    if seal_value != seal(meta.head_hash, [meta_text, *figure_texts]):
        problems.append("seal: the meta or figure rows were changed after export")
    problems += _check_figures(meta, entries, figures)
    return VerifyReport(
        ok=not problems, entries=len(entries), figures=len(figures), problems=tuple(problems)
    )


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"],
        ts=parse_iso_utc(str(row["ts"])),
        actor=row.get("actor", ""),
        action=row["action"],
        subject=row.get("subject", ""),
        payload=row["payload"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def _check_figures(
    meta: ExportMeta, entries: list[AuditEntry], figures: dict[str, tuple[str, Row]]
) -> list[str]:
    problems: list[str] = []
    try:
        start, end, as_of = (
            parse_iso_utc(x) for x in (meta.period_start, meta.period_end, meta.as_of)
        )
        recomputed = compute_figures(meta.catalog, entries, start, end, as_of)
    except (NocError, ValueError, KeyError) as e:
        return [f"figures: cannot be recomputed from the entries: {e}"]
    seen = set()
    for f in recomputed:
        seen.add(f.ref)
        got = figures.get(f.ref)
        if got is None:
            problems.append(f"figure {f.ref}: missing from the file")
            continue
        expected = figure_payload(f)
        payload = got[1].get("payload") or {}
        for key, value in expected.items():
            if payload.get(key) != value:
                problems.append(
                    f"figure {f.ref}: {key} is {payload.get(key)!r} in the file, "
                    f"{value!r} recomputed from the entries"
                )
    problems += [
        f"figure {ref}: not an object of the catalog" for ref in figures if ref not in seen
    ]
    return problems


def period_of(meta: ExportMeta) -> tuple[datetime, datetime]:
    return parse_iso_utc(meta.period_start), parse_iso_utc(meta.period_end)
