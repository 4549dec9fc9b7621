"""Who is calling: an API token (``Authorization: Bearer ...``) or a browser session cookie.

Every route but health needs a login (DESIGN.md, Roles). The wall runs with a viewer token.
A session cookie is ambient, so any state-changing request made with one must also carry
the session's CSRF token in ``X-CSRF-Token``; bearer tokens are not ambient and need none.
A session issued before the user's password was last set (reset or changed) is refused.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from noc.api.session import COOKIE, CSRF_HEADER
from noc.runtime import Runtime
from noc.store.events import Role, User

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="login required: log in, or send 'Authorization: Bearer <token>' "
    "(create one with `noc token create`)",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def _from_bearer(runtime: Runtime, token: str) -> User:
    found = await asyncio.to_thread(runtime.events.tokens.resolve, token)
    if found is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="this token is unknown, expired or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found[0]


async def _from_session(runtime: Runtime, request: Request, cookie: str) -> User:
    session = runtime.sessions.verify(cookie)
    if session is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED, detail="the session has expired: log in again"
        )
    if request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, session.csrf):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail="missing or wrong X-CSRF-Token for this session",
            )
    user = await asyncio.to_thread(runtime.events.users.get, session.username)
    if user is None or user.disabled:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED, detail="the session has expired: log in again"
        )
    if user.password_set_at is not None and session.issued_at < user.password_set_at:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="the password was changed since this login: log in again",
        )
    return user


async def current_user(request: Request, runtime: RuntimeDep) -> User:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _UNAUTHORIZED
        return await _from_bearer(runtime, token.strip())
    cookie = request.cookies.get(COOKIE)
    if cookie:
        return await _from_session(runtime, request, cookie)
    raise _UNAUTHORIZED


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through admins and the named roles only."""
    allowed = {Role.admin, *roles}

    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"role {user.role.value!r} may not do this (needs one of: {names})",
            )
        return user

    return check
