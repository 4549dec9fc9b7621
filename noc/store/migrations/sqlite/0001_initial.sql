-- The event store, first schema. Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ'
-- (they sort as text); lists and maps are JSON text.

CREATE TABLE state_changes (
    id INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    ts TEXT NOT NULL,
    cause TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX state_changes_by_object ON state_changes (object_kind, object_id, ts, id);
CREATE INDEX state_changes_by_ts ON state_changes (ts, id);

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    severity TEXT NOT NULL
        CHECK (severity IN ('critical', 'major', 'minor', 'warning', 'info')),
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    source_alert TEXT,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    assignee TEXT,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    resolved_at TEXT,
    resolved_by TEXT,
    root_cause TEXT,
    affected_services TEXT NOT NULL DEFAULT '[]',
    symptom_alerts TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX incidents_by_opened ON incidents (opened_at, id);
CREATE INDEX incidents_by_status ON incidents (status, opened_at);

CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'acknowledged', 'assigned', 'commented',
                                       'escalated', 'linked', 'resolved', 'reopened')),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_events_by_incident ON incident_events (incident_id, id);

CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('device', 'site', 'service')),
    target_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    recurrence TEXT,
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    cancelled_by TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_by_target ON maintenance_windows (target_kind, target_id, starts_at);
CREATE INDEX maintenance_by_time ON maintenance_windows (starts_at, ends_at);

CREATE TABLE silences (
    id INTEGER PRIMARY KEY,
    matchers TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expired_at TEXT,
    expired_by TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX silences_by_end ON silences (ends_at);

CREATE TABLE logbook (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    handover INTEGER NOT NULL DEFAULT 0 CHECK (handover IN (0, 1)),
    recorded_at TEXT NOT NULL
);
CREATE INDEX logbook_by_time ON logbook (at, id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL
        CHECK (role IN ('viewer', 'operator', 'oncall', 'manager', 'auditor', 'admin')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    disabled_at TEXT
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- The audit chain: append-only, gap-free, each entry linked to the previous one's hash.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash TEXT NOT NULL CHECK (length(hash) = 64)
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused');
END;

CREATE TRIGGER audit_links_to_head BEFORE INSERT ON audit
WHEN NEW.seq IS NOT COALESCE((SELECT max(seq) FROM audit), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE(
        (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1),
        '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'audit entry does not extend the chain: wrong seq or prev_hash');
END;
