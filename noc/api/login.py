"""Log in and out of the web app: a session cookie plus the CSRF token the page must echo.

A person with a stored language also gets the language cookie the web pages read.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from noc.api.auth import CurrentUser, RuntimeDep
from noc.api.lang_cookie import set_language_cookie
from noc.api.session import COOKIE, SessionData
from noc.errors import AuthError
from noc.runtime import Runtime
from noc.store.events import Language, Role, User

router = APIRouter(prefix="/auth", tags=["auth"])
ANONYMOUS = "anonymous"  # the audit actor of a failed login: nobody is logged in


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024, repr=False)


class Me(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    display_name: str
    role: Role
    language: Language | None = None  # None: the default from settings
    csrf_token: str | None = None

    @classmethod
    def of(cls, user: User, csrf_token: str | None = None) -> Me:
        return cls(
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            language=user.language,
            csrf_token=csrf_token,
        )


def open_session(runtime: Runtime, response: Response, username: str) -> SessionData:
    """Issue a session for ``username`` and set its cookie on ``response``."""
    cookie, session = runtime.sessions.issue(username)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(runtime.sessions.lifetime.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=runtime.settings.cookie_secure,
        path="/",
    )
    return session


@router.post("/login", summary="Log in; sets the session cookie")
async def login(
    body: LoginRequest, request: Request, response: Response, runtime: RuntimeDep
) -> Me:
    client = request.client.host if request.client else "unknown"
    keys = (f"user:{body.username.lower()}", f"addr:{client}")
    runtime.login_limiter.refuse_if_locked(*keys, what="failed logins")
    try:
        user = await asyncio.to_thread(
            runtime.events.users.authenticate, body.username, body.password
        )
    except AuthError as err:
        runtime.login_limiter.failed(*keys)
        # Audited for the auditors (who tried, from where); the rate limit above bounds how
        # many entries a guesser can cause. Never the password.
        await asyncio.to_thread(
            runtime.events.audit.append,
            "user.login_failed",
            f"user:{body.username}",
            {"address": client},
            actor=ANONYMOUS,
        )
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail=str(err)) from None
    runtime.login_limiter.succeeded(keys[0])
    session = open_session(runtime, response, user.username)
    if user.language is not None:
        set_language_cookie(response, user.language)
    await asyncio.to_thread(
        runtime.events.audit.append,
        "user.login",
        f"user:{user.username}",
        {"address": client},
        actor=user.username,
    )
    return Me.of(user, session.csrf)


@router.post("/logout", summary="Log out; clears the session cookie")
async def logout(user: CurrentUser, response: Response, runtime: RuntimeDep) -> dict[str, str]:
    response.delete_cookie(COOKIE, path="/")
    await asyncio.to_thread(
        runtime.events.audit.append,
        "user.logout",
        f"user:{user.username}",
        {},
        actor=user.username,
    )
    return {"status": "logged out", "username": user.username}


@router.get("/me", summary="Who is logged in")
async def me(user: CurrentUser) -> Me:
    return Me.of(user)
