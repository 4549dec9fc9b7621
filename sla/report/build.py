"""Build and render the monthly report from the stores: what the CLI, the API and the monthly
e-mail share."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from noc.model import Inventory
from noc.store.events import EventStore
from noc.store.metrics import MetricStore
from sla.capacity import DEFAULT_METRIC, capacity_findings
from sla.catalog import catalog_of
from sla.history import history_from_store
from sla.report.data import MonthlyReport, build_monthly_report
from sla.report.i18n import Lang

ReportFormat = Literal["html", "pdf"]
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def monthly_report(
    events: EventStore,
    inventory: Inventory,
    year: int,
    month: int,
    now: datetime,
    metrics: MetricStore | None = None,
    *,
    metric: str = DEFAULT_METRIC,
) -> MonthlyReport:
    """The report of ``year-month``; capacity findings when a metric store is given."""
    catalog = catalog_of(inventory)
    report = build_monthly_report(catalog, history_from_store(events), year, month, now)
    if metrics is not None:
        found = capacity_findings(metrics, inventory, report.start, report.end, metric=metric)
        report = report.model_copy(update={"capacity": tuple(found)})
    return report


def render(report: MonthlyReport, fmt: ReportFormat, lang: Lang) -> bytes:
    if fmt == "pdf":
        from sla.report.pdf import render_pdf

        return render_pdf(report, lang)
    from sla.report.html import render_html

    return render_html(report, lang).encode("utf-8")


def filename(report: MonthlyReport, fmt: ReportFormat, lang: Lang) -> str:
    stem = "laporan-sla" if lang == "id" else "sla-report"
    return f"{stem}-{report.year:04d}-{report.month:02d}-{lang}.{fmt}"
