"""Users and API tokens: hashed at rest, never in an error, a log line or an audit payload."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.errors import AuthError, StoreError
from noc.store.events import LifecycleError, NotFoundError, Role
from noc.store.passwords import hash_password, token_digest, verify_password
from noc.store.sqlite_events import SqliteEventStore
from tests.store.events_support import open_store

PASSWORD = "Rahasia-Kominfo-2026"
LOGIN_FAILED = "The login failed: the username or password is wrong, or the account is disabled."


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[SqliteEventStore]:
    s = open_store(tmp_path, clock)
    yield s
    s.close()


def test_password_hash_is_salted_scrypt() -> None:
    a, b = hash_password(PASSWORD), hash_password(PASSWORD)
    assert a != b  # per-user salt
    assert a.startswith("scrypt$16384$8$1$")
    assert PASSWORD not in a
    assert verify_password(PASSWORD, a)
    assert not verify_password(PASSWORD + "x", a)
    assert not verify_password(PASSWORD, "md5$whatever")
    assert not verify_password(PASSWORD, "scrypt$1$2$3$!!$!!")


def test_create_authenticate_disable(store: SqliteEventStore, clock: ManualClock) -> None:
    user = store.users.create("budi", "Budi Santoso", Role.operator, PASSWORD, actor="admin")
    assert (user.id, user.username, user.display_name, user.role, user.disabled) == (
        1,
        "budi",
        "Budi Santoso",
        Role.operator,
        False,
    )
    assert store.users.authenticate("budi", PASSWORD) == user
    assert store.users.get("budi") == user
    assert store.users.get("nobody") is None

    with pytest.raises(AuthError) as wrong:
        store.users.authenticate("budi", "wrong-password")
    with pytest.raises(AuthError) as unknown:
        store.users.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == LOGIN_FAILED

    clock.advance(60)
    disabled = store.users.disable("budi", actor="admin")
    assert (disabled.disabled, disabled.disabled_at) == (True, clock.now())
    with pytest.raises(AuthError) as off:
        store.users.authenticate("budi", PASSWORD)
    assert str(off.value) == LOGIN_FAILED
    with pytest.raises(LifecycleError, match="is already disabled"):
        store.users.disable("budi", actor="admin")
    with pytest.raises(NotFoundError, match="'nobody' is not in the event store"):
        store.users.disable("nobody", actor="admin")


def test_user_rules(store: SqliteEventStore) -> None:
    store.users.create("siti", "Siti", Role.auditor, PASSWORD)
    store.users.create("andi", "Andi", Role.admin, PASSWORD)
    assert [u.username for u in store.users.list()] == ["andi", "siti"]
    with pytest.raises(
        StoreError, match=r"'siti' already exists in the event store at .*events\.db"
    ):
        store.users.create("siti", "Siti 2", Role.viewer, PASSWORD)
    with pytest.raises(AuthError, match="at least 12 characters") as short:
        store.users.create("rina", "Rina", Role.viewer, "pendek")
    assert "pendek" not in str(short.value)
    with pytest.raises(StoreError, match="use 1-64 lowercase letters"):
        store.users.create("Bad Name", "x", Role.viewer, PASSWORD)
    assert store.audit.verify().count == 2


def test_tokens(store: SqliteEventStore, clock: ManualClock) -> None:
    store.users.create("budi", "Budi", Role.oncall, PASSWORD)
    token, secret = store.tokens.create(
        "budi", "pager", actor="admin", expires_at=clock.now() + timedelta(days=1)
    )
    assert secret.startswith("noc_") and len(secret) == 47
    assert (token.id, token.username, token.name, token.revoked_at) == (1, "budi", "pager", None)
    resolved = store.tokens.resolve(secret)
    assert resolved is not None
    assert (resolved[0].username, resolved[1]) == ("budi", token)
    assert store.tokens.resolve(secret + "x") is None

    clock.advance(timedelta(days=1))
    assert store.tokens.resolve(secret) is None  # expired

    other, other_secret = store.tokens.create("budi", "cli", actor="budi")
    assert store.tokens.resolve(other_secret) is not None
    revoked = store.tokens.revoke(other.id, actor="admin")
    assert revoked.revoked_at == clock.now()
    assert store.tokens.resolve(other_secret) is None
    with pytest.raises(LifecycleError, match="is already revoked"):
        store.tokens.revoke(other.id, actor="admin")
    assert [t.name for t in store.tokens.list("budi")] == ["pager", "cli"]

    third, third_secret = store.tokens.create("budi", "wall", actor="admin")
    store.users.disable("budi", actor="admin")
    assert store.tokens.resolve(third_secret) is None  # a disabled user's tokens stop working
    with pytest.raises(NotFoundError, match="No enabled user 'budi'"):
        store.tokens.create("budi", "again", actor="admin")
    with pytest.raises(LifecycleError, match="must expire in the future"):
        store.tokens.create("nobody", "x", actor="admin", expires_at=clock.now())
    assert third.id == 3


def test_no_secret_at_rest_in_audit_or_logs(
    store: SqliteEventStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store.users.create("budi", "Budi", Role.operator, PASSWORD, actor="admin")
    token, secret = store.tokens.create("budi", "pager", actor="admin")
    store.users.authenticate("budi", PASSWORD)
    with pytest.raises(AuthError):
        store.users.authenticate("budi", secret)
    store.tokens.revoke(token.id, actor="admin")
    store.users.disable("budi", actor="admin")

    raw = sqlite3.connect(tmp_path / "events.db")
    try:
        stored_hash = raw.execute("SELECT password_hash FROM users").fetchone()[0]
        stored_digest = raw.execute("SELECT token_sha256 FROM api_tokens").fetchone()[0]
    finally:
        raw.close()
    assert stored_digest == token_digest(secret)

    forbidden = [PASSWORD, secret, stored_hash, stored_digest, stored_hash.split("$")[-1]]
    audit = store.audit.entries()
    assert [e.action for e in audit] == [
        "user.created",
        "token.created",
        "token.revoked",
        "user.disabled",
    ]
    for entry in audit:
        text = entry.model_dump_json()
        for value in forbidden:
            assert value not in text
    for value in forbidden:
        assert value not in caplog.text

    store.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("events.db")]
    blob = b"".join(p.read_bytes() for p in files)
    assert PASSWORD.encode() not in blob
    assert secret.encode() not in blob
