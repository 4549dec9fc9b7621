"""Users: created with a scrypt password hash, authenticated, disabled. The hash never leaves
this module, and no audit payload carries a password or a hash."""

from __future__ import annotations

import builtins
import re
import sqlite3

from noc.errors import AuthError, StoreError
from noc.store.event_models import Role, User
from noc.store.events import SYSTEM_ACTOR, LifecycleError, NotFoundError
from noc.store.passwords import MIN_PASSWORD_LENGTH, dummy_hash, hash_password, verify_password
from noc.store.sqlite.db import SqliteDatabase, append_audit, opt_ts, parse_ts, ts_text

USER_COLUMNS = "id, username, display_name, role, disabled, created_at, disabled_at"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
LOGIN_FAILED = "The login failed: the username or password is wrong, or the account is disabled."


def user_from_row(row: sqlite3.Row | tuple[object, ...]) -> User:
    id_, username, display_name, role, disabled, created, disabled_at = tuple(row)
    return User(
        id=int(str(id_)),
        username=str(username),
        display_name=str(display_name),
        role=Role(str(role)),
        disabled=bool(disabled),
        created_at=parse_ts(str(created)),
        disabled_at=opt_ts(None if disabled_at is None else str(disabled_at)),
    )


class SqliteUsers:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def create(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        *,
        actor: str = SYSTEM_ACTOR,
    ) -> User:
        if not _USERNAME.match(username):
            raise StoreError(
                f"The username {username!r} cannot be stored in the event store at "
                f"{self._db.path}: use 1-64 lowercase letters, digits, '.', '_' or '-'."
            )
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AuthError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
        role = Role(role)
        password_hash = hash_password(password)  # slow on purpose: outside the lock
        now = self._db.now()
        with self._db.write(f"create user {username}") as conn:
            if self._row(conn, username) is not None:
                raise StoreError(
                    f"The user {username!r} already exists in the event store at {self._db.path}."
                )
            cur = conn.execute(
                "INSERT INTO users (username, display_name, role, password_hash, disabled,"
                " created_at) VALUES (?, ?, ?, ?, 0, ?)",
                (username, display_name, role.value, password_hash, ts_text(now)),
            )
            user = User(
                id=int(cur.lastrowid or 0),
                username=username,
                display_name=display_name,
                role=role,
                created_at=now,
            )
            append_audit(
                conn,
                ts=now,
                actor=actor,
                action="user.created",
                subject=f"user:{username}",
                payload={"id": user.id, "display_name": display_name, "role": role.value},
            )
        return user

    def get(self, username: str) -> User | None:
        with self._db.read("read a user") as conn:
            row = self._row(conn, username)
        return None if row is None else user_from_row(row[:-1])

    def authenticate(self, username: str, password: str) -> User:
        with self._db.read("read a user") as conn:
            row = self._row(conn, username)
        # An unknown user costs one scrypt too, so timing does not tell who exists.
        stored = dummy_hash() if row is None else str(row[-1])
        matched = verify_password(password, stored)
        if row is None or not matched:
            raise AuthError(LOGIN_FAILED)
        user = user_from_row(row[:-1])
        if user.disabled:
            raise AuthError(LOGIN_FAILED)
        return user

    def disable(self, username: str, *, actor: str) -> User:
        now = self._db.now()
        with self._db.write(f"disable user {username}") as conn:
            row = self._row(conn, username)
            if row is None:
                raise NotFoundError(
                    f"The user {username!r} is not in the event store at {self._db.path}."
                )
            if row[4]:
                raise LifecycleError(
                    f"The user {username!r} in the event store at {self._db.path} is already "
                    "disabled."
                )
            conn.execute(
                "UPDATE users SET disabled = 1, disabled_at = ? WHERE username = ?",
                (ts_text(now), username),
            )
            append_audit(
                conn,
                ts=now,
                actor=actor,
                action="user.disabled",
                subject=f"user:{username}",
                payload={"id": int(str(row[0]))},
            )
            new = self._row(conn, username)
            assert new is not None
        return user_from_row(new[:-1])

    def list(self) -> builtins.list[User]:
        with self._db.read("read users") as conn:
            rows = conn.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY username").fetchall()
        return [user_from_row(r) for r in rows]

    @staticmethod
    def _row(conn: sqlite3.Connection, username: str) -> tuple[object, ...] | None:
        row = conn.execute(
            f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?", (username,)
        ).fetchone()
        return None if row is None else tuple(row)
