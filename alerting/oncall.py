"""On-call rotations: who is on call at a moment, with hand-over times.

A rotation hands over every ``shift`` starting at ``start`` (an aware datetime: the first
hand-over, e.g. Monday 08:00 Asia/Jakarta); the members take turns in order.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alerting.duration import Duration
from noc.clock import utc


class Rotation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    members: tuple[str, ...] = Field(min_length=1)
    start: datetime
    shift: Duration = timedelta(days=7)

    @field_validator("start")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("give the hand-over time with its offset, e.g. 2026-01-05T08:00+07:00")
        return utc(v)

    @field_validator("shift")
    @classmethod
    def _positive(cls, v: timedelta) -> timedelta:
        if v <= timedelta(0):
            raise ValueError("a shift lasts longer than zero")
        return v

    def on_call(self, at: datetime) -> str:
        turns = (utc(at) - self.start) // self.shift
        return self.members[int(turns) % len(self.members)]

    def next_handover(self, at: datetime) -> datetime:
        turns = (utc(at) - self.start) // self.shift
        return self.start + (int(turns) + 1) * self.shift
