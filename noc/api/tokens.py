"""API tokens for automation and wall displays: anyone may hold their own; admins see and
revoke everyone's and create tokens for other users. The secret is shown once, at creation."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field

from noc.api.alerting_dep import store_error
from noc.api.auth import CurrentUser, RuntimeDep
from noc.api.policy import EVERYONE, allow
from noc.store.events import ApiToken, LifecycleError, NotFoundError, Role, User

router = APIRouter(prefix="/tokens", tags=["tokens"], dependencies=[allow(EVERYONE)])


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="what it is for, e.g. wall-1")
    username: str | None = Field(
        None, max_length=64, description="whose token (admins only; yourself when left out)"
    )
    expires_days: int | None = Field(None, ge=1, le=3650, description="never expires if left out")


class CreatedToken(BaseModel):
    """A new token's metadata and its secret: shown now and never again."""

    model_config = ConfigDict(extra="forbid")

    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    secret: str


def _refuse(detail: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=detail)


def _is_admin(user: User) -> bool:
    return user.role is Role.admin


@router.get("", summary="API tokens: all of them for an admin, your own otherwise")
async def list_tokens(
    user: CurrentUser,
    runtime: RuntimeDep,
    username: Annotated[str | None, Query(max_length=64)] = None,
) -> list[ApiToken]:
    if not _is_admin(user):
        if username not in (None, user.username):
            raise _refuse("only an admin may list another user's tokens")
        username = user.username
    return await asyncio.to_thread(runtime.events.tokens.list, username)


@router.post("", status_code=201, summary="Create a token; the secret is shown only now")
async def create_token(body: NewToken, user: CurrentUser, runtime: RuntimeDep) -> CreatedToken:
    owner = body.username or user.username
    if owner != user.username and not _is_admin(user):
        raise _refuse("body.username: only an admin may create a token for another user")
    name = body.name.strip()
    if not name:
        raise HTTPException(status_code=422, detail="body.name: say what the token is for")
    expires = None
    if body.expires_days is not None:
        expires = runtime.clock.now() + timedelta(days=body.expires_days)
    try:
        token, secret = await asyncio.to_thread(
            runtime.events.tokens.create, owner, name, actor=user.username, expires_at=expires
        )
    except (NotFoundError, LifecycleError) as err:
        raise store_error(err) from None
    return CreatedToken(**token.model_dump(), secret=secret)


@router.post("/{token_id}/revoke", summary="Revoke a token (your own, or any as an admin)")
async def revoke_token(token_id: int, user: CurrentUser, runtime: RuntimeDep) -> ApiToken:
    tokens = runtime.events.tokens
    try:
        token = await asyncio.to_thread(tokens.get, token_id)
        if token.username != user.username and not _is_admin(user):
            raise _refuse("only the token's owner or an admin may revoke it")
        return await asyncio.to_thread(tokens.revoke, token_id, actor=user.username)
    except (NotFoundError, LifecycleError) as err:
        raise store_error(err) from None
