"""Users administration (admins only): list, create, disable, enable, change role, reset a
password. The event store audits every change with the admin as actor, and refuses to
disable or demote the last enabled admin (409)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from noc.api.alerting_dep import store_error
from noc.api.auth import RuntimeDep, require_role
from noc.api.policy import ADMINS, allow
from noc.store.event_models import USERNAME_RULE, valid_username
from noc.store.events import AlreadyExistsError, LifecycleError, NotFoundError, Role, User
from noc.store.passwords import password_problem

router = APIRouter(prefix="/users", tags=["users"], dependencies=[allow(ADMINS)])
Admin = Annotated[User, Depends(require_role(*ADMINS))]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewUser(_Body):
    username: str = Field(max_length=64, description=USERNAME_RULE)
    display_name: str = Field("", max_length=200, description="the username when left empty")
    role: Role
    password: str = Field(max_length=1024, repr=False)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not valid_username(value):
            raise PydanticCustomError("username", USERNAME_RULE)
        return value


class RoleChange(_Body):
    role: Role


class PasswordReset(_Body):
    password: str = Field(max_length=1024, repr=False)


def _weak(username: str, password: str) -> None:
    problem = password_problem(username, password)
    if problem is not None:
        raise HTTPException(status_code=422, detail=f"body.password: {problem}")


async def _change(call: Callable[[], User]) -> User:
    try:
        return await asyncio.to_thread(call)
    except (NotFoundError, LifecycleError, AlreadyExistsError) as err:
        raise store_error(err) from None


@router.get("", summary="Every user, with role and status (never a password)")
async def list_users(runtime: RuntimeDep) -> list[User]:
    return await asyncio.to_thread(runtime.events.users.list)


@router.post("", status_code=201, summary="Create a user")
async def create_user(body: NewUser, admin: Admin, runtime: RuntimeDep) -> User:
    _weak(body.username, body.password)
    users = runtime.events.users
    name = body.display_name.strip() or body.username
    return await _change(
        lambda: users.create(body.username, name, body.role, body.password, actor=admin.username)
    )


@router.post("/{username}/disable", summary="Disable a user: their sessions and tokens stop")
async def disable_user(username: str, admin: Admin, runtime: RuntimeDep) -> User:
    users = runtime.events.users
    return await _change(lambda: users.disable(username, actor=admin.username))


@router.post("/{username}/enable", summary="Enable a disabled user again")
async def enable_user(username: str, admin: Admin, runtime: RuntimeDep) -> User:
    users = runtime.events.users
    return await _change(lambda: users.enable(username, actor=admin.username))


@router.post("/{username}/role", summary="Give a user another role")
async def set_role(username: str, body: RoleChange, admin: Admin, runtime: RuntimeDep) -> User:
    users = runtime.events.users
    return await _change(lambda: users.set_role(username, body.role, actor=admin.username))


@router.post("/{username}/password", summary="Reset a user's password")
async def reset_password(
    username: str, body: PasswordReset, admin: Admin, runtime: RuntimeDep
) -> User:
    _weak(username, body.password)
    users = runtime.events.users
    return await _change(lambda: users.set_password(username, body.password, actor=admin.username))
