"""Users: created with a scrypt password hash, authenticated, disabled and enabled, given a
role, a new password or a language. The hash never leaves this module, and no audit payload
carries a password or a hash. Every change appends its audit entry in the same transaction."""

from __future__ import annotations

import builtins
import sqlite3
from datetime import datetime

from pydantic import JsonValue

from noc.errors import AuthError, StoreError
from noc.store.event_models import LANGUAGES, Language, Role, User, valid_username
from noc.store.events import (
    SYSTEM_ACTOR,
    AlreadyExistsError,
    LastAdminError,
    LifecycleError,
    NotFoundError,
)
from noc.store.passwords import dummy_hash, hash_password, password_problem, verify_password
from noc.store.sqlite.db import SqliteDatabase, append_audit, opt_ts, parse_ts, ts_text

USER_COLUMNS = (
    "id, username, display_name, role, disabled, created_at, disabled_at, language, password_set_at"
)
LOGIN_FAILED = "The login failed: the username or password is wrong, or the account is disabled."


def user_from_row(row: sqlite3.Row | tuple[object, ...]) -> User:
    id_, username, display_name, role, disabled, created, disabled_at, language, pw_at = tuple(row)
    lang = None if language is None else str(language)
    return User(
        id=int(str(id_)),
        username=str(username),
        display_name=str(display_name),
        role=Role(str(role)),
        disabled=bool(disabled),
        created_at=parse_ts(str(created)),
        disabled_at=opt_ts(None if disabled_at is None else str(disabled_at)),
        language=lang if lang in LANGUAGES else None,
        password_set_at=opt_ts(None if pw_at is None else str(pw_at)),
    )


def check_password(username: str, password: str) -> None:
    """Raise :class:`AuthError` (naming the rule, never the password) for a weak password."""
    problem = password_problem(username, password)
    if problem is not None:
        raise AuthError(problem[0].upper() + problem[1:] + ".")


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
        if not valid_username(username):
            raise StoreError(
                f"The username {username!r} cannot be stored in the event store at "
                f"{self._db.path}: use 1-64 lowercase letters, digits, '.', '_' or '-'."
            )
        check_password(username, password)
        role = Role(role)
        password_hash = hash_password(password)  # slow on purpose: outside the lock
        now = self._db.now()
        with self._db.write(f"create user {username}") as conn:
            if self._row(conn, username) is not None:
                raise AlreadyExistsError(
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
            user = self._existing(conn, username)
            if user.disabled:
                raise LifecycleError(
                    f"The user {username!r} in the event store at {self._db.path} is already "
                    "disabled."
                )
            self._keep_an_admin(conn, user, "disable")
            conn.execute(
                "UPDATE users SET disabled = 1, disabled_at = ? WHERE username = ?",
                (ts_text(now), username),
            )
            return self._audited(conn, now, actor, "user.disabled", user, {})

    def enable(self, username: str, *, actor: str) -> User:
        now = self._db.now()
        with self._db.write(f"enable user {username}") as conn:
            user = self._existing(conn, username)
            if not user.disabled:
                raise LifecycleError(
                    f"The user {username!r} in the event store at {self._db.path} is already "
                    "enabled."
                )
            conn.execute(
                "UPDATE users SET disabled = 0, disabled_at = NULL WHERE username = ?",
                (username,),
            )
            return self._audited(conn, now, actor, "user.enabled", user, {})

    def set_role(self, username: str, role: Role, *, actor: str) -> User:
        role = Role(role)
        now = self._db.now()
        with self._db.write(f"change the role of user {username}") as conn:
            user = self._existing(conn, username)
            if user.role is role:
                raise LifecycleError(
                    f"The user {username!r} in the event store at {self._db.path} already has "
                    f"the role {role.value!r}."
                )
            if role is not Role.admin:
                self._keep_an_admin(conn, user, "demote")
            conn.execute("UPDATE users SET role = ? WHERE username = ?", (role.value, username))
            payload: dict[str, JsonValue] = {"old": user.role.value, "new": role.value}
            return self._audited(conn, now, actor, "user.role_changed", user, payload)

    def set_password(self, username: str, password: str, *, actor: str) -> User:
        check_password(username, password)
        password_hash = hash_password(password)  # slow on purpose: outside the lock
        now = self._db.now()
        with self._db.write(f"set the password of user {username}") as conn:
            user = self._existing(conn, username)
            conn.execute(
                "UPDATE users SET password_hash = ?, password_set_at = ? WHERE username = ?",
                (password_hash, ts_text(now), username),
            )
            payload: dict[str, JsonValue] = {"by": "self" if actor == username else "admin"}
            return self._audited(conn, now, actor, "user.password_set", user, payload)

    def set_language(self, username: str, language: Language | None, *, actor: str) -> User:
        if language is not None and language not in LANGUAGES:
            raise StoreError(
                f"The language {language!r} cannot be stored for {username!r} in the event "
                f"store at {self._db.path}: use one of {', '.join(LANGUAGES)}."
            )
        now = self._db.now()
        with self._db.write(f"set the language of user {username}") as conn:
            user = self._existing(conn, username)
            conn.execute("UPDATE users SET language = ? WHERE username = ?", (language, username))
            payload: dict[str, JsonValue] = {"old": user.language, "new": language}
            return self._audited(conn, now, actor, "user.language_set", user, payload)

    def list(self) -> builtins.list[User]:
        with self._db.read("read users") as conn:
            rows = conn.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY username").fetchall()
        return [user_from_row(r) for r in rows]

    def _existing(self, conn: sqlite3.Connection, username: str) -> User:
        row = self._row(conn, username)
        if row is None:
            raise NotFoundError(
                f"The user {username!r} is not in the event store at {self._db.path}."
            )
        return user_from_row(row[:-1])

    def _keep_an_admin(self, conn: sqlite3.Connection, user: User, what: str) -> None:
        """Refuse a change that would leave no enabled admin (checked inside the write)."""
        if user.role is not Role.admin or user.disabled:
            return
        others = conn.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND username != ?",
            (user.username,),
        ).fetchone()[0]
        if int(others) == 0:
            raise LastAdminError(
                f"Cannot {what} {user.username!r}: it is the last enabled admin in the event "
                f"store at {self._db.path}; make another user admin first."
            )

    def _audited(
        self,
        conn: sqlite3.Connection,
        now: datetime,
        actor: str,
        action: str,
        user: User,
        extra: dict[str, JsonValue],
    ) -> User:
        append_audit(
            conn,
            ts=now,
            actor=actor,
            action=action,
            subject=f"user:{user.username}",
            payload={"id": user.id, **extra},
        )
        return self._existing(conn, user.username)

    @staticmethod
    def _row(conn: sqlite3.Connection, username: str) -> tuple[object, ...] | None:
        row = conn.execute(
            f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?", (username,)
        ).fetchone()
        return None if row is None else tuple(row)
