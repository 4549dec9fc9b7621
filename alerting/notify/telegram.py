"""Telegram bot API: ``sendMessage`` to a chat. ``base_url`` is configurable (tests, proxies).

The bot token is part of the request path, so no URL and no exception text ever leaves here.
"""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, Field

from alerting.notify.base import (
    ChannelType,
    NotificationGroup,
    Outcome,
    OutcomeKind,
    Secret,
    http_outcome,
)
from alerting.notify.tls import client_tls


class TelegramConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    bot_token: Secret
    chat_id: str = Field(min_length=1)
    base_url: str = Field("https://api.telegram.org", pattern=r"^https?://")
    language: str = Field("id", pattern=r"^(id|en)$")
    timeout_seconds: float = Field(10.0, gt=0, le=120)


class TelegramNotifier:
    def __init__(self, name: str, config: TelegramConfig) -> None:
        self.name = name
        self._config = config
        self._tls = client_tls()  # built once, not per notification

    async def notify(self, group: NotificationGroup) -> Outcome:
        """To the paged people's own chats when the escalation names them, else the channel's."""
        worst: Outcome | None = None
        for chat in group.telegram_chats or (self._config.chat_id,):
            outcome = await self._send(chat, group)
            if outcome.kind is not OutcomeKind.ok and (
                worst is None or outcome.kind is OutcomeKind.permanent
            ):
                worst = outcome
        return worst or Outcome.ok()

    async def _send(self, chat_id: str, group: NotificationGroup) -> Outcome:
        c = self._config
        url = f"{c.base_url.rstrip('/')}/bot{c.bot_token.get_secret_value()}/sendMessage"
        payload = {
            "chat_id": chat_id,
            "text": group.text(c.language)[:4000],
            "disable_web_page_preview": True,
        }
        try:
            async with httpx.AsyncClient(timeout=c.timeout_seconds, verify=self._tls) as client:
                response = await client.post(url, json=payload)
        except httpx.TimeoutException:
            return Outcome.retry("timed out")
        except httpx.TransportError as err:
            return Outcome.retry(f"could not connect ({type(err).__name__})")
        outcome = http_outcome(response.status_code)
        if response.status_code == 401:
            return Outcome.fail("HTTP 401: the bot token was refused")
        return outcome


CHANNEL = ChannelType("telegram", TelegramConfig, TelegramNotifier)
