"""How to reach a person the escalation names: their e-mail address and Telegram chat.

An escalation step pages people by username (``user:sari``, or whoever a rotation has on call).
A notification for such a step goes to those people's own addresses on each channel that can
reach them (e-mail, Telegram); a channel with no address for any of them falls back to its
configured recipients, so a step is never silent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    telegram_chat_id: str | None = Field(None, min_length=1)


def emails_of(people: Mapping[str, Contact], usernames: Iterable[str]) -> tuple[str, ...]:
    return tuple(c.email for u in usernames if (c := people.get(u)) and c.email)


def telegram_chats_of(people: Mapping[str, Contact], usernames: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        c.telegram_chat_id for u in usernames if (c := people.get(u)) and c.telegram_chat_id
    )
