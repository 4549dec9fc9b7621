"""E-mail received by a real SMTP server (aiosmtpd) that requires STARTTLS and a login."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aiosmtpd", reason="test dependency aiosmtpd")

from alerting.notify.base import Notifier, OutcomeKind
from alerting.notify.email import EmailConfig, EmailNotifier
from tests.alerting.notify_contract import NotifierContract, sample_group
from tests.peers import free_port
from tests.smtp_server import Inbox, make_tls_files, starttls_server

PASSWORD = "smtp-password-secret-42"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


class TestEmail(NotifierContract):
    channel = "email"

    @pytest.fixture(autouse=True)
    def peer(self, tls_files: tuple[Path, Path]) -> Iterator[Inbox]:
        with starttls_server(tls_files, "noc", PASSWORD) as (port, inbox):
            self.inbox, self.port = inbox, port
            yield inbox

    def delivered(self) -> list[Any]:
        return self.inbox.messages

    @pytest.fixture
    def settings(self, tls_files: tuple[Path, Path]) -> dict[str, Any]:
        return {
            "host": "127.0.0.1",
            "port": self.port,
            "ca_file": str(tls_files[0]),
            "username": "noc",
            "password": PASSWORD,
            "sender": "noc@pemkot.example",
            "recipients": ["oncall@pemkot.example"],
            "timeout_seconds": 5,
        }

    @pytest.fixture
    def secrets(self) -> list[str]:
        return [PASSWORD]

    @pytest.fixture
    def notifier(self, settings: dict[str, Any]) -> Notifier:
        return EmailNotifier("mail", EmailConfig.model_validate(settings))

    @pytest.fixture
    def dead_notifier(self, settings: dict[str, Any]) -> Notifier:
        return EmailNotifier("mail", EmailConfig.model_validate({**settings, "port": free_port()}))

    def test_message_arrives_over_starttls_in_both_languages(self, notifier: Notifier) -> None:
        assert asyncio.run(notifier.notify(sample_group())).kind is OutcomeKind.ok
        ((sender, rcpts, raw),) = self.inbox.messages
        assert (sender, rcpts) == ("noc@pemkot.example", ["oncall@pemkot.example"])
        msg = message_from_bytes(raw)
        assert "UPS ups-1 beroperasi dengan baterai" in msg["Subject"]
        body = msg.get_payload(decode=True)
        assert isinstance(body, bytes)
        assert b"beroperasi dengan baterai" in body and b"is on battery" in body

    def test_wrong_password_is_permanent_and_not_quoted(self, settings: dict[str, Any]) -> None:
        wrong = EmailConfig.model_validate({**settings, "password": "not-the-password"})
        outcome = asyncio.run(EmailNotifier("mail", wrong).notify(sample_group()))
        assert outcome.kind is OutcomeKind.permanent
        assert "not-the-password" not in outcome.reason and PASSWORD not in outcome.reason

    def test_untrusted_certificate_is_refused(self, settings: dict[str, Any]) -> None:
        cfg = EmailConfig.model_validate({**settings, "ca_file": None})
        outcome = asyncio.run(EmailNotifier("mail", cfg).notify(sample_group()))
        assert outcome.kind is OutcomeKind.permanent and "TLS" in outcome.reason
        assert self.inbox.messages == []


def test_password_without_starttls_is_refused() -> None:
    with pytest.raises(ValueError, match="STARTTLS"):
        EmailConfig(
            host="127.0.0.1", starttls=False, username="u", password="p" * 8,
            sender="a@b.c", recipients=("x@y.z",),
        )  # fmt: skip
