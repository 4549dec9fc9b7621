"""API tokens: a random secret shown once; the store keeps only its SHA-256."""

from __future__ import annotations

import builtins
import sqlite3
from datetime import datetime

from noc.clock import utc
from noc.store.event_models import ApiToken, User
from noc.store.events import LifecycleError, NotFoundError
from noc.store.passwords import new_token, token_digest
from noc.store.sqlite.db import SqliteDatabase, append_audit, opt_ts, parse_ts, ts_text
from noc.store.sqlite.users import USER_COLUMNS, user_from_row

_COLUMNS = (
    "api_tokens.id, users.username, api_tokens.name, api_tokens.created_at,"
    " api_tokens.expires_at, api_tokens.revoked_at"
)
_FROM = "api_tokens JOIN users ON users.id = api_tokens.user_id"
_USER_COLUMNS = ", ".join("users." + c.strip() for c in USER_COLUMNS.split(","))


def _token(row: sqlite3.Row | tuple[object, ...]) -> ApiToken:
    v = [None if x is None else str(x) for x in tuple(row)]
    return ApiToken(
        id=int(str(v[0])),
        username=str(v[1]),
        name=str(v[2]),
        created_at=parse_ts(str(v[3])),
        expires_at=opt_ts(v[4]),
        revoked_at=opt_ts(v[5]),
    )


class SqliteTokens:
    def __init__(self, db: SqliteDatabase) -> None:
        self._db = db

    def create(
        self,
        username: str,
        name: str,
        *,
        actor: str,
        expires_at: datetime | None = None,
    ) -> tuple[ApiToken, str]:
        now = self._db.now()
        expires = None if expires_at is None else utc(expires_at)
        if expires is not None and expires <= now:
            raise LifecycleError(
                f"A token for {username!r} in the event store at {self._db.path} must expire "
                f"in the future, not at {ts_text(expires)}."
            )
        secret = new_token()
        with self._db.write(f"create a token for {username}") as conn:
            user = conn.execute(
                "SELECT id, disabled FROM users WHERE username = ?", (username,)
            ).fetchone()
            if user is None or user[1]:
                raise NotFoundError(
                    f"No enabled user {username!r} is in the event store at {self._db.path}."
                )
            cur = conn.execute(
                "INSERT INTO api_tokens (user_id, name, token_sha256, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user[0], name, token_digest(secret), ts_text(now), opt_text(expires)),
            )
            token = ApiToken(
                id=int(cur.lastrowid or 0),
                username=username,
                name=name,
                created_at=now,
                expires_at=expires,
            )
            append_audit(
                conn,
                ts=now,
                actor=actor,
                action="token.created",
                subject=f"user:{username}",
                payload={"token_id": token.id, "name": name, "expires_at": opt_text(expires)},
            )
        return token, secret

    def resolve(self, secret: str) -> tuple[User, ApiToken] | None:
        with self._db.read("look up a token") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS}, {_USER_COLUMNS} FROM {_FROM}"
                " WHERE api_tokens.token_sha256 = ?",
                (token_digest(secret),),
            ).fetchone()
        if row is None:
            return None
        token, user = _token(row[:6]), user_from_row(row[6:])
        if user.disabled or not token.usable_at(self._db.now()):
            return None
        return user, token

    def revoke(self, token_id: int, *, actor: str) -> ApiToken:
        now = self._db.now()
        with self._db.write(f"revoke token {token_id}") as conn:
            token = self._load(conn, token_id)
            if token.revoked_at is not None:
                raise LifecycleError(
                    f"Token {token_id} in the event store at {self._db.path} is already revoked."
                )
            conn.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (ts_text(now), token_id)
            )
            append_audit(
                conn,
                ts=now,
                actor=actor,
                action="token.revoked",
                subject=f"user:{token.username}",
                payload={"token_id": token_id, "name": token.name},
            )
            return self._load(conn, token_id)

    def get(self, token_id: int) -> ApiToken:
        with self._db.read("read a token") as conn:
            return self._load(conn, token_id)

    def list(self, username: str | None = None) -> builtins.list[ApiToken]:
        sql = f"SELECT {_COLUMNS} FROM {_FROM}"
        args: tuple[object, ...] = ()
        if username is not None:
            sql, args = sql + " WHERE users.username = ?", (username,)
        with self._db.read("read tokens") as conn:
            rows = conn.execute(sql + " ORDER BY api_tokens.id", args).fetchall()
        return [_token(r) for r in rows]

    def _load(self, conn: sqlite3.Connection, token_id: int) -> ApiToken:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE api_tokens.id = ?", (token_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"Token {token_id} is not in the event store at {self._db.path}.")
        return _token(row)


def opt_text(value: datetime | None) -> str | None:
    return None if value is None else ts_text(value)
