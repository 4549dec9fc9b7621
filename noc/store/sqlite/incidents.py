"""Incidents and their lifecycle: opened, acknowledged, assigned, commented, escalated, linked,
resolved, reopened. Each step updates the incident, adds an event and an audit entry, in one
transaction."""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from pydantic import JsonValue

from noc.clock import utc
from noc.model.observations import ObjectRef
from noc.store.event_models import (
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    Severity,
)
from noc.store.events import SYSTEM_ACTOR, LifecycleError, NotFoundError
from noc.store.sqlite.db import SqliteDatabase, append_audit, ts_text
from noc.store.sqlite.incident_rows import (
    EVENT_COLUMNS,
    INCIDENT_COLUMNS,
    event_from_row,
    incident_from_row,
    sql_value,
)

_LIVE = frozenset({IncidentStatus.open, IncidentStatus.acknowledged})
_ANY = frozenset(IncidentStatus)

# How a lifecycle step changes an incident's columns, given the incident and the step's time;
# None when the step has nothing to do (it then writes nothing, not even an event).
_Change = Callable[[Incident, datetime], dict[str, object] | None]


class SqliteIncidents:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def open(
        self,
        title: str,
        severity: Severity,
        *,
        actor: str = SYSTEM_ACTOR,
        at: datetime | None = None,
        source_alert: str | None = None,
        root_cause: ObjectRef | None = None,
        affected_services: Sequence[str] = (),
        symptom_alerts: Sequence[str] = (),
        text: str = "",
    ) -> Incident:
        now = self._db.now()
        opened_at = now if at is None else utc(at)
        with self._db.write("open an incident") as conn:
            cur = conn.execute(
                f"INSERT INTO incidents ({INCIDENT_COLUMNS}) VALUES"
                " (NULL, ?, ?, 'open', ?, ?, ?, NULL, NULL, NULL, 0, NULL, NULL, ?, ?, ?, ?)",
                (
                    title,
                    Severity(severity).value,
                    ts_text(opened_at),
                    actor,
                    source_alert,
                    sql_value(root_cause),
                    json.dumps(builtins.list(affected_services)),
                    json.dumps(builtins.list(symptom_alerts)),
                    ts_text(now),
                ),
            )
            incident = self._load(conn, int(cur.lastrowid or 0))
            extra: dict[str, JsonValue] = {
                "title": title,
                "severity": incident.severity.value,
                "source_alert": source_alert,
                "root_cause": None if root_cause is None else str(root_cause),
                "affected_services": builtins.list(incident.affected_services),
                "symptom_alerts": builtins.list(incident.symptom_alerts),
            }
            self._record(
                conn, incident, IncidentEventKind.opened, opened_at, actor, text, {}, extra
            )
        return incident

    def acknowledge(
        self, incident_id: int, *, actor: str, at: datetime | None = None, text: str = ""
    ) -> Incident:
        def change(inc: Incident, when: datetime) -> dict[str, object]:
            update: dict[str, object] = {"status": IncidentStatus.acknowledged.value}
            if inc.acknowledged_at is None:  # response time counts from the first one
                update |= {"acknowledged_at": when, "acknowledged_by": actor}
            return update

        return self._step(
            incident_id,
            IncidentEventKind.acknowledged,
            actor,
            at,
            text,
            frozenset({IncidentStatus.open}),
            change,
        )

    def assign(
        self, incident_id: int, assignee: str, *, actor: str, at: datetime | None = None
    ) -> Incident:
        return self._step(
            incident_id,
            IncidentEventKind.assigned,
            actor,
            at,
            "",
            _LIVE,
            lambda inc, when: {"assignee": assignee},
            {"assignee": assignee},
        )

    def comment(
        self, incident_id: int, text: str, *, actor: str, at: datetime | None = None
    ) -> IncidentEvent:
        self._step(
            incident_id, IncidentEventKind.commented, actor, at, text, _ANY, lambda inc, when: {}
        )
        return self.events(incident_id)[-1]

    def escalate(
        self,
        incident_id: int,
        *,
        actor: str,
        severity: Severity | None = None,
        text: str = "",
        at: datetime | None = None,
    ) -> Incident:
        def change(inc: Incident, when: datetime) -> dict[str, object]:
            update: dict[str, object] = {"escalation_level": inc.escalation_level + 1}
            if severity is not None:
                update["severity"] = Severity(severity).value
            return update

        detail = {} if severity is None else {"severity": Severity(severity).value}
        return self._step(
            incident_id, IncidentEventKind.escalated, actor, at, text, _LIVE, change, detail
        )

    def link_alert(
        self, incident_id: int, alert: str, *, actor: str = SYSTEM_ACTOR, at: datetime | None = None
    ) -> Incident:
        return self._step(
            incident_id,
            IncidentEventKind.linked,
            actor,
            at,
            "",
            _ANY,
            lambda inc, when: (
                None
                if alert in inc.symptom_alerts
                else {"symptom_alerts": (*inc.symptom_alerts, alert)}
            ),
            {"alert": alert},
        )

    def resolve(
        self,
        incident_id: int,
        *,
        actor: str,
        at: datetime | None = None,
        root_cause: ObjectRef | None = None,
        text: str = "",
    ) -> Incident:
        def change(inc: Incident, when: datetime) -> dict[str, object]:
            update: dict[str, object] = {
                "status": IncidentStatus.resolved.value,
                "resolved_at": when,
                "resolved_by": actor,
            }
            if root_cause is not None:
                update["root_cause"] = root_cause
            return update

        detail = {} if root_cause is None else {"root_cause": str(root_cause)}
        return self._step(
            incident_id, IncidentEventKind.resolved, actor, at, text, _LIVE, change, detail
        )

    def reopen(
        self, incident_id: int, *, actor: str, at: datetime | None = None, text: str = ""
    ) -> Incident:
        return self._step(
            incident_id,
            IncidentEventKind.reopened,
            actor,
            at,
            text,
            frozenset({IncidentStatus.resolved}),
            lambda inc, when: {
                "status": IncidentStatus.open.value,
                "resolved_at": None,
                "resolved_by": None,
            },
        )

    def get(self, incident_id: int) -> Incident:
        with self._db.read("read an incident") as conn:
            return self._load(conn, incident_id)

    def list(
        self,
        *,
        status: IncidentStatus | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> builtins.list[Incident]:
        where, args = ["1 = 1"], builtins.list[object]()
        if status is not None:
            where.append("status = ?")
            args.append(IncidentStatus(status).value)
        if since is not None:
            where.append("opened_at >= ?")
            args.append(ts_text(since))
        if until is not None:
            where.append("opened_at < ?")
            args.append(ts_text(until))
        sql = (
            f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE {' AND '.join(where)}"
            " ORDER BY opened_at, id"
        )
        with self._db.read("read incidents") as conn:
            return [incident_from_row(r) for r in conn.execute(sql, args).fetchall()]

    def events(self, incident_id: int) -> builtins.list[IncidentEvent]:
        with self._db.read("read incident events") as conn:
            self._load(conn, incident_id)
            rows = conn.execute(
                f"SELECT {EVENT_COLUMNS} FROM incident_events WHERE incident_id = ? ORDER BY id",
                (incident_id,),
            ).fetchall()
        return [event_from_row(r) for r in rows]

    # -- internals ---------------------------------------------------------------------------

    def _load(self, conn: sqlite3.Connection, incident_id: int) -> Incident:
        row = conn.execute(
            f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"Incident {incident_id} is not in the event store at {self._db.path}."
            )
        return incident_from_row(row)

    def _step(
        self,
        incident_id: int,
        kind: IncidentEventKind,
        actor: str,
        at: datetime | None,
        text: str,
        allowed: frozenset[IncidentStatus],
        change: _Change,
        detail: dict[str, str] | None = None,
    ) -> Incident:
        now = self._db.now()
        when = now if at is None else utc(at)
        with self._db.write(f"record that incident {incident_id} was {kind.value}") as conn:
            incident = self._load(conn, incident_id)
            if incident.status not in allowed:
                raise LifecycleError(
                    f"Incident {incident_id} in the event store at {self._db.path} is "
                    f"{incident.status.value}, so it cannot be {kind.value}."
                )
            if when < incident.opened_at:
                raise LifecycleError(
                    f"Incident {incident_id} in the event store at {self._db.path} was opened at "
                    f"{ts_text(incident.opened_at)}, so it cannot be {kind.value} earlier, at "
                    f"{ts_text(when)}."
                )
            changed = change(incident, when)
            if changed is None:
                return incident
            update = changed | {"updated_at": now}
            sets = ", ".join(f"{column} = ?" for column in update)
            conn.execute(
                f"UPDATE incidents SET {sets} WHERE id = ?",
                [*(sql_value(v) for v in update.values()), incident_id],
            )
            incident = self._load(conn, incident_id)
            self._record(conn, incident, kind, when, actor, text, detail or {}, {})
        return incident

    def _record(
        self,
        conn: sqlite3.Connection,
        incident: Incident,
        kind: IncidentEventKind,
        at: datetime,
        actor: str,
        text: str,
        detail: dict[str, str],
        extra: dict[str, JsonValue],
    ) -> None:
        cur = conn.execute(
            f"INSERT INTO incident_events ({EVENT_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?)",
            (incident.id, kind.value, ts_text(at), actor, text, json.dumps(detail, sort_keys=True)),
        )
        payload: dict[str, JsonValue] = {
            "incident_id": incident.id,
            "event_id": int(cur.lastrowid or 0),
            "at": ts_text(at),
            "status": incident.status.value,
            "text": text,
            "detail": dict(detail),
            **extra,
        }
        append_audit(
            conn,
            ts=self._db.now(),
            actor=actor,
            action=f"incident.{kind.value}",
            subject=f"incident:{incident.id}",
            payload=payload,
        )
