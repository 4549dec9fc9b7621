"""Telegram bot API against a real local HTTP server standing in for api.telegram.org."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from alerting.notify.base import Notifier, OutcomeKind
from alerting.notify.telegram import TelegramConfig, TelegramNotifier
from tests.alerting.notify_contract import NotifierContract, sample_group
from tests.alerting.peers_http import Capture, http_capture
from tests.peers import free_port

TOKEN = "123456:ABC-telegram-bot-token-secret"


class TestTelegram(NotifierContract):
    channel = "telegram"

    @pytest.fixture(autouse=True)
    def peer(self) -> Iterator[Capture]:
        with http_capture() as capture:
            self.capture = capture
            yield capture

    def delivered(self) -> list[Any]:
        return self.capture.requests

    @pytest.fixture
    def settings(self) -> dict[str, Any]:
        return {"bot_token": TOKEN, "chat_id": "-100200300", "base_url": self.capture.url}

    @pytest.fixture
    def secrets(self) -> list[str]:
        return [TOKEN]

    @pytest.fixture
    def notifier(self, settings: dict[str, Any]) -> Notifier:
        return TelegramNotifier("tg", TelegramConfig.model_validate(settings))

    @pytest.fixture
    def dead_notifier(self, settings: dict[str, Any]) -> Notifier:
        base = f"http://127.0.0.1:{free_port()}"
        cfg = TelegramConfig.model_validate({**settings, "base_url": base, "timeout_seconds": 2})
        return TelegramNotifier("tg", cfg)

    def test_message_goes_to_the_bot_path_in_indonesian(self, notifier: Notifier) -> None:
        asyncio.run(notifier.notify(sample_group()))
        (req,) = self.capture.requests
        assert req.path == f"/bot{TOKEN}/sendMessage"
        body = json.loads(req.body)
        assert body["chat_id"] == "-100200300"
        assert "beroperasi dengan baterai" in body["text"]

    def test_an_escalation_goes_to_each_paged_persons_own_chat(self, notifier: Notifier) -> None:
        group = sample_group().model_copy(
            update={"recipients": ("agus", "kadis"), "telegram_chats": ("4242", "5151")}
        )
        assert asyncio.run(notifier.notify(group)).kind is OutcomeKind.ok
        chats = [json.loads(r.body)["chat_id"] for r in self.capture.requests]
        assert chats == ["4242", "5151"]  # not the channel's group chat

    def test_refused_token_is_permanent_and_not_quoted(self, notifier: Notifier) -> None:
        self.capture.status[:] = [401]
        outcome = asyncio.run(notifier.notify(sample_group()))
        assert outcome.kind is OutcomeKind.permanent
        assert TOKEN not in outcome.reason
