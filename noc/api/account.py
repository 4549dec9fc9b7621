"""A person's own account: their language and their password. Every role may do this."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from noc.api.auth import CurrentUser, RuntimeDep
from noc.api.lang_cookie import set_language_cookie
from noc.api.login import Me, open_session
from noc.api.policy import EVERYONE, allow
from noc.api.session import COOKIE
from noc.errors import AuthError
from noc.store.passwords import password_problem

router = APIRouter(prefix="/me", tags=["my account"], dependencies=[allow(EVERYONE)])


class LanguageChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["id", "en"] = Field(description="Bahasa Indonesia (id) or English (en)")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1024, repr=False)
    new_password: str = Field(min_length=1, max_length=1024, repr=False)


@router.put("/language", summary="Choose my language; remembered for every page and report")
async def set_language(
    body: LanguageChoice, user: CurrentUser, runtime: RuntimeDep, response: Response
) -> Me:
    changed = await asyncio.to_thread(
        runtime.events.users.set_language, user.username, body.language, actor=user.username
    )
    set_language_cookie(response, body.language)
    return Me.of(changed)


@router.post("/password", summary="Change my password (needs the current one)")
async def change_password(
    body: PasswordChange,
    user: CurrentUser,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> Me:
    """Other browser sessions of this person end; this one gets a fresh cookie (and CSRF
    token) so the person stays logged in here. API tokens are not touched: revoke them."""
    key = f"user:{user.username.lower()}"
    runtime.login_limiter.refuse_if_locked(key, what="wrong passwords")
    try:
        await asyncio.to_thread(
            runtime.events.users.authenticate, user.username, body.current_password
        )
    except AuthError:
        runtime.login_limiter.failed(key)
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="body.current_password: this is not your current password",
        ) from None
    problem = password_problem(user.username, body.new_password)
    if problem is None and body.new_password == body.current_password:
        problem = "the new password must differ from the current one"
    if problem is not None:
        raise HTTPException(status_code=422, detail=f"body.new_password: {problem}")
    changed = await asyncio.to_thread(
        runtime.events.users.set_password, user.username, body.new_password, actor=user.username
    )
    if request.cookies.get(COOKIE) and not request.headers.get("authorization"):
        return Me.of(changed, open_session(runtime, response, user.username).csrf)
    return Me.of(changed)
