"""Webhook against a real local HTTP server; the receiver verifies the HMAC signature."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from alerting.notify.base import Notifier, OutcomeKind
from alerting.notify.webhook import WebhookConfig, WebhookNotifier, verify_signature
from tests.alerting.notify_contract import NotifierContract, sample_group
from tests.alerting.peers_http import Capture, http_capture
from tests.peers import free_port

SECRET = "webhook-secret-0123456789abcdef"


class TestWebhook(NotifierContract):
    channel = "webhook"

    @pytest.fixture(autouse=True)
    def peer(self) -> Iterator[Capture]:
        with http_capture() as capture:
            self.capture = capture
            yield capture

    def delivered(self) -> list[Any]:
        return self.capture.requests

    @pytest.fixture
    def settings(self) -> dict[str, Any]:
        return {"url": f"{self.capture.url}/hook", "secret": SECRET, "timeout_seconds": 5}

    @pytest.fixture
    def secrets(self) -> list[str]:
        return [SECRET]

    @pytest.fixture
    def notifier(self, settings: dict[str, Any]) -> Notifier:
        return WebhookNotifier("hook", WebhookConfig.model_validate(settings))

    @pytest.fixture
    def dead_notifier(self) -> Notifier:
        url = f"http://127.0.0.1:{free_port()}/hook"
        return WebhookNotifier("hook", WebhookConfig(url=url, secret=SECRET, timeout_seconds=2))

    def test_signature_verifies_and_body_is_the_group(self, notifier: Notifier) -> None:
        asyncio.run(notifier.notify(sample_group()))
        (req,) = self.capture.requests
        ts, sig = req.headers["x-noc-timestamp"], req.headers["x-noc-signature"]
        assert verify_signature(SECRET, ts, req.body, sig)
        assert not verify_signature("another-secret-0123456789", ts, req.body, sig)
        assert not verify_signature(SECRET, ts, req.body + b" ", sig)
        body = json.loads(req.body)
        assert body["group_key"] == "ups_on_battery/dc"
        assert body["alerts"][0]["summary"]["id"].startswith("UPS ups-1")

    def test_server_errors_are_retryable_client_errors_are_not(self, notifier: Notifier) -> None:
        self.capture.status[:] = [503, 400]
        assert asyncio.run(notifier.notify(sample_group())).kind is OutcomeKind.retryable
        assert asyncio.run(notifier.notify(sample_group())).kind is OutcomeKind.permanent


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="16 characters"):
        WebhookConfig(url="http://127.0.0.1:1/", secret="short")


def test_notifications_reuse_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the CA bundle for every page blocked the event loop 25-150 ms (issue 6)."""
    import ssl

    with http_capture() as capture:
        notifier = WebhookNotifier(
            "hook", WebhookConfig(url=f"{capture.url}/hook", secret=SECRET, timeout_seconds=5)
        )
        built: list[object] = []
        real = ssl.create_default_context

        def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
            built.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(ssl, "create_default_context", counting)

        async def three() -> list[OutcomeKind]:
            return [(await notifier.notify(sample_group())).kind for _ in range(3)]

        assert asyncio.run(three()) == [OutcomeKind.ok] * 3
        assert len(capture.requests) == 3
    assert built == []
