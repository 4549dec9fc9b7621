"""The monthly e-mail: on the 1st of each month, last month's report to the managers.

The runtime schedules :func:`send_monthly_report` (apscheduler, cron ``day=1``) and passes the
mail-sending callable (SMTP): this module builds the message, it does not deliver it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from noc.clock import Clock
from noc.model import Inventory
from noc.store.events import EventStore
from noc.store.metrics import MetricStore
from sla.periods import previous_month
from sla.report import i18n
from sla.report.build import CONTENT_TYPES, filename, monthly_report, render
from sla.report.i18n import Lang


class Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    filename: str
    content_type: str
    content: bytes


class ReportMail(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    to: tuple[str, ...]
    subject: str
    text: str
    attachments: tuple[Attachment, ...]


SendMail = Callable[[ReportMail], Awaitable[None]]


async def send_monthly_report(
    events: EventStore,
    inventory: Inventory,
    clock: Clock,
    send: SendMail,
    recipients: Sequence[str],
    *,
    metrics: MetricStore | None = None,
    lang: Lang | None = None,
) -> ReportMail:
    """Build last month's report (PDF and HTML) and hand it to ``send``; return the message.

    The month is the one before ``clock.now()`` in the city's time zone. The report is built
    off the event loop (the stores are synchronous).
    """
    now = clock.now()
    language: Lang = lang or inventory.settings.locale
    year, month = previous_month(now, ZoneInfo(inventory.settings.timezone))
    report = await asyncio.to_thread(monthly_report, events, inventory, year, month, now, metrics)
    pdf = await asyncio.to_thread(render, report, "pdf", language)
    html = await asyncio.to_thread(render, report, "html", language)
    title = f"{i18n.t('title', language)} {i18n.month_name(year, month, language)} - {report.city}"
    missing = ", ".join(s.name for s in report.missing) or "-"
    text = (
        f"{title}\n\n{i18n.t('meeting', language)}: {len(report.meeting)} / "
        f"{len(report.services)}\n{i18n.t('missing', language)}: {missing}\n"
        f"{i18n.t('response_compliance', language)}: "
        f"{i18n.percent(report.response.overall.compliance, language, 1)}\n"
    )
    mail = ReportMail(
        to=tuple(recipients),
        subject=title,
        text=text,
        attachments=(
            Attachment(
                filename=filename(report, "pdf", language),
                content_type=CONTENT_TYPES["pdf"],
                content=pdf,
            ),
            Attachment(
                filename=filename(report, "html", language),
                content_type=CONTENT_TYPES["html"],
                content=html,
            ),
        ),
    )
    await send(mail)
    return mail
