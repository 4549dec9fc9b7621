"""User administration in the event store: enable, role, password, language, the last admin.

Every change is audited in the same transaction, without the password or its hash.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.errors import AuthError, StoreError
from noc.store.events import LastAdminError, LifecycleError, NotFoundError, Role
from noc.store.migrate import sqlite_migrations
from noc.store.sqlite_events import SqliteEventStore
from tests.store.events_support import open_store

PASSWORD = "Rahasia-Kominfo-2026"
NEW_PASSWORD = "Ganti-Sandi-Oktober-26"


@pytest.fixture
def store(tmp_path: Path, clock: ManualClock) -> Iterator[SqliteEventStore]:
    s = open_store(tmp_path, clock)
    s.users.create("andi", "Andi", Role.admin, PASSWORD)
    s.users.create("budi", "Budi", Role.operator, PASSWORD)
    yield s
    s.close()


def test_disable_then_enable_again(store: SqliteEventStore, clock: ManualClock) -> None:
    store.users.disable("budi", actor="andi")
    clock.advance(60)
    user = store.users.enable("budi", actor="andi")
    assert (user.disabled, user.disabled_at) == (False, None)
    assert store.users.authenticate("budi", PASSWORD).username == "budi"
    with pytest.raises(LifecycleError, match=r"'budi' .* is already enabled"):
        store.users.enable("budi", actor="andi")
    with pytest.raises(NotFoundError, match="'nobody' is not in the event store"):
        store.users.enable("nobody", actor="andi")
    actions = [(e.action, e.actor, e.subject) for e in store.audit.entries()[-2:]]
    assert actions == [
        ("user.disabled", "andi", "user:budi"),
        ("user.enabled", "andi", "user:budi"),
    ]


def test_role_change_is_audited_with_old_and_new(store: SqliteEventStore) -> None:
    user = store.users.set_role("budi", Role.manager, actor="andi")
    assert user.role is Role.manager and store.users.get("budi") == user
    head = store.audit.head()
    assert head is not None and head.action == "user.role_changed"
    assert head.payload == {"id": user.id, "old": "operator", "new": "manager"}
    with pytest.raises(LifecycleError, match="already has the role 'manager'"):
        store.users.set_role("budi", Role.manager, actor="andi")


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(store: SqliteEventStore) -> None:
    with pytest.raises(LastAdminError, match="'andi': it is the last enabled admin"):
        store.users.disable("andi", actor="andi")
    with pytest.raises(LastAdminError, match="Cannot demote 'andi'"):
        store.users.set_role("andi", Role.viewer, actor="andi")
    andi = store.users.get("andi")
    assert andi is not None and andi.role is Role.admin and not andi.disabled
    # A second admin that is disabled does not count; an enabled one does.
    store.users.set_role("budi", Role.admin, actor="andi")
    store.users.disable("budi", actor="andi")
    with pytest.raises(LastAdminError):
        store.users.set_role("andi", Role.operator, actor="andi")
    store.users.enable("budi", actor="andi")
    assert store.users.set_role("andi", Role.operator, actor="budi").role is Role.operator
    # Demoting a disabled admin leaves the enabled ones as they are: allowed.
    store.users.create("citra", "Citra", Role.admin, PASSWORD)
    store.users.disable("citra", actor="budi")
    assert store.users.set_role("citra", Role.auditor, actor="budi").role is Role.auditor
    assert store.audit.verify().ok


def test_a_new_password_replaces_the_old_one(store: SqliteEventStore, clock: ManualClock) -> None:
    assert [u.password_set_at for u in store.users.list()] == [None, None]
    clock.advance(90)
    user = store.users.set_password("budi", NEW_PASSWORD, actor="andi")
    assert user.password_set_at == clock.now()
    with pytest.raises(AuthError):
        store.users.authenticate("budi", PASSWORD)
    assert store.users.authenticate("budi", NEW_PASSWORD).username == "budi"
    store.users.set_password("budi", PASSWORD, actor="budi")
    payloads = [e.payload for e in store.audit.entries() if e.action == "user.password_set"]
    assert [p["by"] for p in payloads] == ["admin", "self"]
    for entry in store.audit.entries():
        assert PASSWORD not in entry.model_dump_json()
        assert NEW_PASSWORD not in entry.model_dump_json()


@pytest.mark.parametrize(
    ("password", "problem"),
    [("pendek", "at least 12 characters"), ("Budi", "at least 12"), ("budi.santoso", "")],
)
def test_weak_passwords_are_refused_without_echoing_them(
    tmp_path: Path, clock: ManualClock, password: str, problem: str
) -> None:
    with open_store(tmp_path, clock) as store:
        if not problem:  # the username itself, whatever its length
            store.users.create("budi.santoso", "Budi", Role.operator, PASSWORD)
            with pytest.raises(AuthError, match="must not be the username") as err:
                store.users.set_password("budi.santoso", "BUDI.SANTOSO", actor="x")
        else:
            with pytest.raises(AuthError, match=problem) as err:
                store.users.create("budi", "Budi", Role.operator, password)
        assert password not in str(err.value)


def test_language_is_kept_per_user(store: SqliteEventStore) -> None:
    assert [u.language for u in store.users.list()] == [None, None]
    user = store.users.set_language("budi", "en", actor="budi")
    assert user.language == "en" and store.users.get("budi") == user
    assert [u.language for u in store.users.list()] == [None, "en"]
    head = store.audit.head()
    assert head is not None and head.action == "user.language_set"
    assert head.payload == {"id": user.id, "old": None, "new": "en"}
    with pytest.raises(StoreError, match="language 'fr' cannot be stored"):
        store.users.set_language("budi", "fr", actor="budi")  # type: ignore[arg-type]
    assert store.users.set_language("budi", None, actor="budi").language is None


def test_a_version_1_store_gains_the_language_column(tmp_path: Path, clock: ManualClock) -> None:
    from noc.store.migrate import migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), clock, sqlite_migrations()[:1])
    conn.execute(
        "INSERT INTO users (username, display_name, role, password_hash, created_at)"
        " VALUES ('lama', 'Lama', 'viewer', 'scrypt$x', '2026-01-01T00:00:00.000000Z')"
    )
    conn.close()
    with open_store(tmp_path, clock, "old.db") as store:
        user = store.users.get("lama")
        assert user is not None and user.language is None
        assert store.users.set_language("lama", "id", actor="lama").language == "id"
