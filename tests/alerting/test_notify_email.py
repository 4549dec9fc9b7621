"""E-mail received by a real SMTP server (aiosmtpd) that requires STARTTLS and a login."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aiosmtpd", reason="test dependency aiosmtpd")
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from alerting.notify.base import Notifier, OutcomeKind
from alerting.notify.email import EmailConfig, EmailNotifier
from tests.alerting.notify_contract import NotifierContract, sample_group
from tests.peers import free_port, require_binary

PASSWORD = "smtp-password-secret-42"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = require_binary("openssl")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"noc"
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


class TestEmail(NotifierContract):
    channel = "email"

    @pytest.fixture(autouse=True)
    def peer(self, tls_files: tuple[Path, Path]) -> Iterator[Inbox]:
        cert, key = tls_files
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.inbox = Inbox()
        self.port = free_port()
        controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            authenticator=authenticator,
            auth_required=True,
        )
        controller.start()
        try:
            yield self.inbox
        finally:
            controller.stop()

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
