"""The monthly e-mail, delivered: an apscheduler job on the 1st of each month and an SMTP sender.

The runtime calls :func:`schedule_monthly_report` with its ``AsyncIOScheduler`` (apscheduler 3)
and a sender from :func:`smtp_sender`; the job builds last month's report
(:func:`sla.report.mail.send_monthly_report`) and mails it to the managers.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from apscheduler.triggers.cron import CronTrigger
from pydantic import SecretStr

from noc.clock import Clock
from noc.model import Inventory
from noc.model.secrets import SecretRef
from noc.store.events import EventStore
from noc.store.metrics import MetricStore
from sla.report.i18n import Lang
from sla.report.mail import ReportMail, SendMail, send_monthly_report

log = logging.getLogger(__name__)
JOB_ID = "sla-monthly-report"


class JobScheduler(Protocol):
    """What is used of apscheduler's ``AsyncIOScheduler`` (``BaseScheduler.add_job``)."""

    def add_job(self, func: Any, trigger: Any = None, **kwargs: Any) -> Any: ...


def monthly_trigger(timezone: str, hour: int = 7) -> CronTrigger:
    """The 1st of each month at ``hour``:00 in ``timezone`` (the city's)."""
    return CronTrigger(day=1, hour=hour, minute=0, second=0, timezone=timezone)


def schedule_monthly_report(
    scheduler: JobScheduler,
    *,
    events: EventStore,
    inventory: Inventory,
    clock: Clock,
    metrics: MetricStore | None,
    send: SendMail,
    recipients: Sequence[str],
    timezone: str | None = None,
    hour: int = 7,
    lang: Lang | None = None,
) -> Any:
    """Add (or replace) the job that mails last month's report on the 1st; return the job.

    ``timezone`` defaults to the inventory's. A failure is logged and the next month runs
    again; a run missed while the process was down is made up within six hours.
    """
    if not recipients:
        raise ValueError("the monthly report needs at least one recipient")
    tz = timezone or inventory.settings.timezone

    async def run() -> None:
        try:
            mail = await send_monthly_report(
                events, inventory, clock, send, list(recipients), metrics=metrics, lang=lang
            )
            log.info("monthly SLA report %r sent to %d recipients", mail.subject, len(mail.to))
        except Exception:
            log.exception("the monthly SLA report could not be built or sent")

    return scheduler.add_job(
        run,
        monthly_trigger(tz, hour),
        id=JOB_ID,
        name="monthly SLA report",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )


def message_of(mail: ReportMail, from_addr: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = mail.subject
    msg["From"] = from_addr
    msg["To"] = ", ".join(mail.to)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain="noc.local")
    msg.set_content(mail.text)
    for a in mail.attachments:
        kind = a.content_type.partition(";")[0]
        maintype, _, subtype = kind.strip().partition("/")
        msg.add_attachment(a.content, maintype=maintype, subtype=subtype, filename=a.filename)
    return msg


def smtp_sender(
    host: str,
    port: int = 587,
    *,
    from_addr: str,
    username: str | None = None,
    password_ref: str | None = None,
    starttls: bool = True,
    ca_file: str | None = None,
    timeout: float = 30.0,
) -> SendMail:
    """A sender delivering a :class:`ReportMail` (attachments included) over SMTP.

    ``password_ref`` is a secret reference (``env:NOC_SMTP_PASSWORD``, ``file:PATH``), read
    now so a missing secret fails at start-up; a password is only sent after STARTTLS.
    smtplib blocks, so delivery runs in a worker thread; SMTP errors propagate.
    """
    if (username is None) != (password_ref is None):
        raise ValueError("give both the SMTP username and password_ref, or neither")
    if password_ref is not None and not starttls:
        raise ValueError("a password is only sent over STARTTLS; enable starttls")
    password: SecretStr | None = None
    if password_ref is not None:
        password = SecretRef(password_ref).resolve()

    def deliver(mail: ReportMail) -> None:
        msg = message_of(mail, from_addr)
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=ca_file))
            if username is not None and password is not None:
                smtp.login(username, password.get_secret_value())
            smtp.send_message(msg, from_addr=from_addr, to_addrs=list(mail.to))

    async def send(mail: ReportMail) -> None:
        await asyncio.to_thread(deliver, mail)

    return send
