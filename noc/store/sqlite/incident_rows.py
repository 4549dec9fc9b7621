"""Rows of the incident tables to records and back."""

from __future__ import annotations

import builtins
import json
import sqlite3
from datetime import datetime

from noc.model.observations import ObjectRef
from noc.store.event_models import (
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    Severity,
)
from noc.store.sqlite.db import opt_ts, parse_ts, ts_text

INCIDENT_COLUMNS = (
    "id, title, severity, status, opened_at, opened_by, source_alert, acknowledged_at,"
    " acknowledged_by, assignee, escalation_level, resolved_at, resolved_by, root_cause,"
    " affected_services, symptom_alerts, updated_at"
)
EVENT_COLUMNS = "id, incident_id, kind, at, actor, text, detail"


def incident_from_row(row: sqlite3.Row | tuple[object, ...]) -> Incident:
    v = [None if x is None else str(x) for x in tuple(row)]
    return Incident(
        id=int(str(v[0])),
        title=str(v[1]),
        severity=Severity(str(v[2])),
        status=IncidentStatus(str(v[3])),
        opened_at=parse_ts(str(v[4])),
        opened_by=str(v[5]),
        source_alert=v[6],
        acknowledged_at=opt_ts(v[7]),
        acknowledged_by=v[8],
        assignee=v[9],
        escalation_level=int(str(v[10])),
        resolved_at=opt_ts(v[11]),
        resolved_by=v[12],
        root_cause=None if v[13] is None else ObjectRef.parse(v[13]),
        affected_services=tuple(json.loads(str(v[14]))),
        symptom_alerts=tuple(json.loads(str(v[15]))),
        updated_at=parse_ts(str(v[16])),
    )


def event_from_row(row: sqlite3.Row | tuple[object, ...]) -> IncidentEvent:
    id_, incident_id, kind, at, actor, text, detail = tuple(row)
    return IncidentEvent(
        id=int(str(id_)),
        incident_id=int(str(incident_id)),
        kind=IncidentEventKind(str(kind)),
        at=parse_ts(str(at)),
        actor=str(actor),
        text=str(text),
        detail=json.loads(str(detail)),
    )


def sql_value(value: object) -> object:
    if isinstance(value, datetime):
        return ts_text(value)
    if isinstance(value, ObjectRef):
        return str(value)
    if isinstance(value, tuple | builtins.list):
        return json.dumps(builtins.list(value))
    return value
