"""E-mail over SMTP with STARTTLS (and optional login), one message per group, id and en.

``smtplib`` is blocking, so delivery runs in a worker thread. Outcomes come from SMTP codes:
4xx and connection trouble are worth retrying, 5xx and a refused login are not.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pydantic import BaseModel, ConfigDict, Field, model_validator

from alerting.notify.base import ChannelType, NotificationGroup, Outcome, Secret


class EmailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    starttls: bool = True
    ca_file: str | None = Field(None, description="trust this CA instead of the system's")
    username: str | None = None
    password: Secret | None = None
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    recipients: tuple[str, ...] = Field(min_length=1)
    languages: tuple[str, ...] = ("id", "en")
    timeout_seconds: float = Field(15.0, gt=0, le=120)

    @model_validator(mode="after")
    def _login_needs_tls(self) -> EmailConfig:
        if (self.username is None) != (self.password is None):
            raise ValueError("give both username and password, or neither")
        if self.password is not None and not self.starttls:
            raise ValueError("a password is only sent over STARTTLS; set starttls: true")
        return self


def build_message(config: EmailConfig, group: NotificationGroup) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = group.title(config.languages[0])
    msg["From"] = config.sender
    msg["To"] = ", ".join(group.emails or config.recipients)  # the paged people, if known
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain="noc.local")
    msg["X-NOC-Group"] = group.group_key
    msg.set_content("\n\n".join(group.text(lang) for lang in config.languages))
    return msg


class EmailNotifier:
    def __init__(self, name: str, config: EmailConfig) -> None:
        self.name = name
        self._config = config

    async def notify(self, group: NotificationGroup) -> Outcome:
        return await asyncio.to_thread(self._send, build_message(self._config, group))

    def _send(self, msg: EmailMessage) -> Outcome:
        c = self._config
        try:
            with smtplib.SMTP(c.host, c.port, timeout=c.timeout_seconds) as smtp:
                if c.starttls:
                    context = ssl.create_default_context(cafile=c.ca_file)
                    smtp.starttls(context=context)
                if c.username is not None and c.password is not None:
                    _login(smtp, c.username, c.password.get_secret_value())
                smtp.send_message(msg)
        except smtplib.SMTPAuthenticationError as err:
            return Outcome.fail(f"SMTP {err.smtp_code}: the login was refused")
        except smtplib.SMTPRecipientsRefused:
            return Outcome.fail("SMTP: every recipient was refused")
        except smtplib.SMTPResponseException as err:
            code = int(err.smtp_code)
            what = f"SMTP {code}"
            return Outcome.retry(what) if 400 <= code < 500 else Outcome.fail(what)
        except smtplib.SMTPNotSupportedError:
            return Outcome.fail("the server does not offer STARTTLS")
        except ssl.SSLError as err:
            return Outcome.fail(f"TLS failed ({type(err).__name__})")
        except (OSError, smtplib.SMTPException) as err:
            return Outcome.retry(f"could not deliver ({type(err).__name__})")
        return Outcome.ok()


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """AUTH PLAIN when offered (one clear answer), else smtplib's own choice of mechanism."""
    smtp.ehlo_or_helo_if_needed()
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        smtp.user, smtp.password = username, password
        smtp.auth("PLAIN", smtp.auth_plain)
    else:
        smtp.login(username, password)


CHANNEL = ChannelType("email", EmailConfig, EmailNotifier)
