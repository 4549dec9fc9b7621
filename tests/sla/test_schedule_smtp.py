"""The monthly report job: apscheduler fires on the 1st at 07:00 in the city's time zone, and the
job mails last month's PDF over SMTP with STARTTLS and a login to a real server (aiosmtpd)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("aiosmtpd", reason="test dependency aiosmtpd")
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from noc.clock import ManualClock
from noc.store.events import open_event_store
from sla.report.mail import ReportMail
from sla.report.schedule import JOB_ID, monthly_trigger, schedule_monthly_report, smtp_sender
from tests.sla.city import demo_inventory
from tests.smtp_server import Inbox, make_tls_files, starttls_server

JAKARTA = ZoneInfo("Asia/Jakarta")
PASSWORD = "report-smtp-secret-7"


def test_the_trigger_fires_on_the_first_at_seven_jakarta_time() -> None:
    trigger = monthly_trigger("Asia/Jakarta")
    after = datetime(2026, 10, 15, 12, 0, tzinfo=JAKARTA)
    first = trigger.get_next_fire_time(None, after)
    assert first == datetime(2026, 11, 1, 7, 0, tzinfo=JAKARTA)
    assert first.astimezone(UTC) == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    nxt = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
    assert nxt == datetime(2026, 12, 1, 7, 0, tzinfo=JAKARTA)
    # Late on the last day (UTC already the 1st at 06:59 WIB) it is still the same morning.
    assert trigger.get_next_fire_time(None, datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == (
        datetime(2027, 1, 1, 7, 0, tzinfo=JAKARTA)
    )


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def smtp_server(tls_files: tuple[Path, Path]) -> Iterator[tuple[int, Inbox]]:
    with starttls_server(tls_files, "noc", PASSWORD) as served:
        yield served


def test_the_scheduled_job_mails_last_months_pdf_over_smtp(
    tmp_path: Path,
    tls_files: tuple[Path, Path],
    smtp_server: tuple[int, Inbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, inbox = smtp_server
    monkeypatch.setenv("NOC_TEST_SMTP_PASSWORD", PASSWORD)
    send = smtp_sender(
        "127.0.0.1",
        port,
        from_addr="noc@sukamaju.go.id",
        username="noc",
        password_ref="env:NOC_TEST_SMTP_PASSWORD",
        ca_file=str(tls_files[0]),
        timeout=10,
    )
    clock = ManualClock(datetime(2026, 11, 1, 0, 0, 5, tzinfo=UTC))  # 07:00 WIB on the 1st
    events = open_event_store(tmp_path / "e.sqlite", clock)
    to = ["kadis@sukamaju.go.id", "sekdis@sukamaju.go.id"]

    async def scenario() -> Any:
        scheduler = AsyncIOScheduler(timezone="UTC")
        scheduler.start(paused=True)
        try:
            job = schedule_monthly_report(
                scheduler,
                events=events,
                inventory=demo_inventory(),
                clock=clock,
                metrics=None,
                send=send,
                recipients=to,
                timezone="Asia/Jakarta",
            )
            assert scheduler.get_job(JOB_ID) is job
            await job.func()  # what apscheduler runs when the trigger fires
            return job
        finally:
            scheduler.shutdown(wait=False)

    try:
        job = asyncio.run(scenario())
    finally:
        events.close()
    # Scheduled from the machine's clock: the next 1st of a month, 07:00 WIB.
    now = datetime.now(JAKARTA)
    assert job.next_run_time == monthly_trigger("Asia/Jakarta").get_next_fire_time(None, now)
    local = job.next_run_time.astimezone(JAKARTA)
    assert (local.day, local.hour, local.minute) == (1, 7, 0)
    assert now < job.next_run_time <= now + timedelta(days=31)
    assert len(inbox.messages) == 1
    mail_from, rcpt, raw = inbox.messages[0]
    assert (mail_from, rcpt) == ("noc@sukamaju.go.id", to)
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert str(msg["Subject"]).startswith("Laporan SLA Bulanan Oktober 2026")
    parts = {p.get_filename(): p for p in msg.iter_attachments()}
    pdf = parts["laporan-sla-2026-10-id.pdf"]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")
    assert parts["laporan-sla-2026-10-id.html"].get_content_type() == "text/html"


def test_a_sender_needs_a_password_with_a_login_and_tls_for_it() -> None:
    with pytest.raises(ValueError, match="both"):
        smtp_sender("h", from_addr="a@b", username="noc")
    with pytest.raises(ValueError, match="STARTTLS"):
        smtp_sender("h", from_addr="a@b", username="u", password_ref="env:X", starttls=False)


def test_no_recipients_no_job() -> None:
    sent: list[ReportMail] = []

    async def send(mail: ReportMail) -> None:
        sent.append(mail)

    with pytest.raises(ValueError, match="recipient"):
        schedule_monthly_report(
            AsyncIOScheduler(),
            events=None,  # type: ignore[arg-type]
            inventory=demo_inventory(),
            clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
            metrics=None,
            send=send,
            recipients=[],
        )
