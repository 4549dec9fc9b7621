"""Capacity findings from the real SQLite metric store; the monthly e-mail's content."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from noc.clock import ManualClock
from noc.model import Sample
from noc.store.events import open_event_store
from noc.store.metrics import SqliteMetricStoreConfig
from noc.store.sqlite_metrics import SqliteMetricStore
from sla.capacity import capacity_findings
from sla.report.mail import ReportMail, send_monthly_report
from tests.sla.city import demo_inventory

OCT = datetime(2026, 10, 1, tzinfo=UTC)


def test_links_above_70_percent_are_found(tmp_path: Path) -> None:
    metrics = SqliteMetricStore(SqliteMetricStoreConfig(path=tmp_path / "m.sqlite"))
    samples = []
    for h in range(48):
        ts = OCT + timedelta(days=2, hours=h)
        busy = 0.85 if 10 <= h < 13 else 0.4
        samples.append(
            Sample(
                metric="if_utilization_ratio",
                labels={"device": "dist-r1-1", "interface": "XGigabitEthernet0/0/2"},
                value=busy,
                ts=ts,
            )
        )
        samples.append(
            Sample(
                metric="if_utilization_ratio",
                labels={"device": "core-1", "interface": "TenGigabitEthernet1/0/2"},
                value=0.69,
                ts=ts,
            )
        )
    metrics.write(samples)
    metrics.flush()
    found = capacity_findings(metrics, demo_inventory(), OCT, OCT + timedelta(days=31))
    metrics.close()
    assert [(f.link, f.hours_above) for f in found] == [("r1-2", 3)]
    assert found[0].peak == 0.85 and found[0].capacity_bps == 10**10
    assert found[0].peak_at == OCT + timedelta(days=2, hours=10)


def test_the_monthly_mail_carries_last_months_report(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 1, 0, 5, tzinfo=UTC))  # 07:05 WIB on the 1st
    events = open_event_store(tmp_path / "e.sqlite", clock)
    sent: list[ReportMail] = []

    async def send(mail: ReportMail) -> None:
        sent.append(mail)

    mail = asyncio.run(
        send_monthly_report(events, demo_inventory(), clock, send, ["kadis@sukamaju.go.id"])
    )
    events.close()
    assert sent == [mail]
    assert mail.subject.startswith("Laporan SLA Bulanan Oktober 2026")
    names = [a.filename for a in mail.attachments]
    assert names == ["laporan-sla-2026-10-id.pdf", "laporan-sla-2026-10-id.html"]
    assert mail.attachments[0].content.startswith(b"%PDF")
