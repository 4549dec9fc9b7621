"""The runtime schedules the monthly SLA report when recipients and SMTP are set."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc.errors import ConfigError
from noc.runtime import Runtime
from noc.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent


def test_the_report_job_fires_on_the_1st_at_7_in_the_city_time_zone(tmp_path: Path) -> None:
    settings = Settings(
        inventory=REPO / "inventory.yaml",
        data_dir=tmp_path,
        report_recipients=["kadis@sukamaju.go.id"],
        smtp_host="127.0.0.1",
        smtp_from="noc@sukamaju.go.id",
        trap_port=0,
    )
    runtime = Runtime.build(settings)

    async def run() -> datetime:
        await runtime.start()
        try:
            assert runtime.reports is not None
            job = runtime.reports.get_job("sla-monthly-report")
            assert job is not None
            return job.next_run_time  # type: ignore[no-any-return]
        finally:
            await runtime.stop()

    try:
        when = asyncio.run(run())
    finally:
        runtime.close()
    assert when.day == 1 and (when.hour, when.minute) == (7, 0)
    assert when.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert when.astimezone(UTC).hour == 0


def test_no_mail_without_recipients(tmp_path: Path) -> None:
    runtime = Runtime.build(
        Settings(inventory=REPO / "inventory.yaml", data_dir=tmp_path, trap_port=0)
    )
    try:
        runtime._schedule_reports()
        assert runtime.reports is None
    finally:
        runtime.close()


def test_recipients_without_a_mail_server_are_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOC_REPORT_RECIPIENTS", '["kadis@sukamaju.go.id"]')
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "NOC_REPORT_RECIPIENTS needs NOC_SMTP_HOST" in str(err.value)
