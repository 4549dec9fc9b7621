"""Rebuild a :class:`History` from audit entries alone (what an auditor's export carries).

The audit payloads written by the event store carry every fact the SLA uses: state changes
(``state_change.recorded``), maintenance windows (``maintenance.created`` / ``.cancelled``)
and the incident lifecycle (``incident.*``). Other actions (users, tokens, ...) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from noc.errors import StoreError
from noc.store.audit import parse_iso_utc
from noc.store.event_models import AuditEntry
from sla.history import Change, History, IncidentFacts, windows_of
from sla.intervals import to_us


def _ts(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("timestamp is not text")
    return parse_iso_utc(value)


def history_from_audit(entries: Iterable[AuditEntry]) -> History:
    changes: list[Change] = []
    windows: dict[int, tuple[str, datetime, datetime, datetime | None, str | None]] = {}
    incidents: dict[int, IncidentFacts] = {}
    for e in entries:
        p = e.payload
        try:
            if e.action == "state_change.recorded":
                changes.append(
                    Change(
                        e.subject,
                        to_us(_ts(p["ts"])),
                        str(p["old"]),
                        str(p["new"]),
                        str(p.get("cause") or ""),
                        int(str(p["id"])),
                    )
                )
            elif e.action == "maintenance.created":
                rule = p.get("recurrence")
                windows[int(str(p["id"]))] = (
                    e.subject,
                    _ts(p["starts_at"]),
                    _ts(p["ends_at"]),
                    None,
                    None if rule is None else str(rule),
                )
            elif e.action == "maintenance.cancelled":
                target, s, end, _, rule = windows[int(str(p["id"]))]
                windows[int(str(p["id"]))] = (target, s, end, _ts(p["cancelled_at"]), rule)
            elif e.action.startswith("incident."):
                _incident_step(incidents, e.action.removeprefix("incident."), p, e.actor)
        except (KeyError, ValueError, TypeError) as err:
            raise StoreError(
                f"audit entry seq {e.seq} ({e.action}) lacks what the SLA needs: {err}"
            ) from None
    out_windows = windows_of(
        (wid, target, to_us(s), to_us(end), rule, None if cut is None else to_us(cut))
        for wid, (target, s, end, cut, rule) in sorted(windows.items())
    )
    return History(
        changes=changes,
        windows=out_windows,
        incidents=sorted(incidents.values(), key=lambda i: (i.opened_at, i.id)),
    )


def _incident_step(
    incidents: dict[int, IncidentFacts], kind: str, p: dict[str, Any], actor: str
) -> None:
    iid = int(str(p["incident_id"]))
    at = _ts(p["at"])
    detail = p.get("detail") or {}
    if kind == "opened":
        incidents[iid] = IncidentFacts(
            id=iid,
            title=str(p.get("title", "")),
            severity=str(p["severity"]),
            opened_at=at,
            root_cause=p.get("root_cause"),
            affected_services=tuple(str(s) for s in p.get("affected_services") or ()),
        )
        return
    inc = incidents[iid]
    if kind == "acknowledged" and inc.acknowledged_at is None:
        incidents[iid] = replace(inc, acknowledged_at=at, acknowledged_by=actor)
    elif kind == "resolved":
        root = detail.get("root_cause") or inc.root_cause
        incidents[iid] = replace(inc, resolved_at=at, root_cause=root)
    elif kind == "reopened":
        incidents[iid] = replace(inc, resolved_at=None)
    elif kind == "escalated" and detail.get("severity"):
        incidents[iid] = replace(inc, severity=str(detail["severity"]))
