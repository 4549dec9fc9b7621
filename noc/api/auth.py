"""Who is calling: API tokens (``Authorization: Bearer ...``) resolved in the event store.

Every route but health needs a login (DESIGN.md, Roles). The wall runs with a viewer token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from noc.runtime import Runtime
from noc.store.events import Role, User

_UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="login required: send 'Authorization: Bearer <token>' "
    "(create one with `noc token create`)",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def current_user(request: Request, runtime: RuntimeDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _UNAUTHORIZED
    found = await asyncio.to_thread(runtime.events.tokens.resolve, token.strip())
    if found is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="this token is unknown, expired or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user, _token = found
    return user


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
