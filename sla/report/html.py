"""The monthly report as one self-contained HTML page (inline CSS and SVG, no external asset)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from sla.report import i18n
from sla.report.chart import layout, svg
from sla.report.data import MonthlyReport, ServicePage
from sla.report.i18n import Lang

TEMPLATES = Path(__file__).parent / "templates"


def helpers(report: MonthlyReport, lang: Lang) -> dict[str, Any]:
    """The names templates use: words, and numbers and dates in the report's locale."""
    tz = ZoneInfo(report.timezone)

    def chart(page: ServicePage) -> Markup:
        title = f"{i18n.t('daily', lang)}: {page.name}"
        return Markup(svg(layout(page.daily, page.target, lang), title))  # noqa: S704

    return {
        "r": report,
        "lang": lang,
        "t": lambda key: i18n.t(key, lang),
        "pct": lambda v, places=3: i18n.percent(v, lang, places),
        "num": lambda v, places=1: i18n.number(v, lang, places),
        "minutes": lambda d: i18n.minutes(d, lang),
        "hours": lambda d: i18n.hours(d, lang),
        "dur": lambda d: i18n.duration(d, lang),
        "when": lambda d: i18n.when(d, lang, tz),
        "month": i18n.month_name(report.year, report.month, lang),
        "zone": i18n.zone_label(tz, report.start),
        "chart": chart,
        "verdict": lambda v: i18n.t(str(v), lang),
        "bps": lambda b: f"{b / 1e9:g} Gbps" if b >= 1e9 else f"{b / 1e6:g} Mbps",
    }


def render_html(report: MonthlyReport, lang: Lang) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("monthly.html").render(**helpers(report, lang))
