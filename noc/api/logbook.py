"""The NOC's shift log book: read by the staff and auditors, written by the people on shift.

Entries are never edited (a correction is a new entry); the author is the logged-in person and
the event store audits every entry.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from noc.api.auth import RuntimeDep, require_role
from noc.api.policy import READERS, SHIFT, allow
from noc.store.events import LogbookEntry, User

router = APIRouter(prefix="/logbook", tags=["log book"], dependencies=[allow(READERS)])
Writer = Annotated[User, Depends(require_role(*SHIFT))]


class NewEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000, description="what happened, what was done")
    handover: bool = Field(False, description="a note for the next shift")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "write something: the text is blank")
        return value


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise HTTPException(
            status_code=422,
            detail=f"query.{name}: give the time with its offset, e.g. 2026-10-01T07:00:00+07:00",
        )
    return value


@router.get("", summary="Log book entries in time order (since <= at < until)")
async def list_entries(
    runtime: RuntimeDep,
    since: Annotated[datetime | None, Query()] = None,
    until: Annotated[datetime | None, Query()] = None,
    handover_only: Annotated[bool, Query()] = False,
) -> list[LogbookEntry]:
    lo, hi = _aware(since, "since"), _aware(until, "until")
    if lo is not None and hi is not None and hi <= lo:
        raise HTTPException(
            status_code=422,
            detail="query.until: must be after since",
        )
    return await asyncio.to_thread(
        runtime.events.logbook.list, since=lo, until=hi, handover_only=handover_only
    )


@router.post("", status_code=201, summary="Write a log book entry as yourself")
async def add_entry(body: NewEntry, user: Writer, runtime: RuntimeDep) -> LogbookEntry:
    return await asyncio.to_thread(
        runtime.events.logbook.add, user.username, body.text, handover=body.handover
    )
