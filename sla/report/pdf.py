"""The monthly report as PDF, drawn with reportlab (pip only: no system library, no browser).

Why reportlab directly rather than an HTML-to-PDF converter: its wheels carry everything (no
cairo, pango or headless browser for ``make run`` to need), pages break exactly where the report
says (one summary page, a page per service), and the chart is drawn from the same geometry as
the HTML's inline SVG (:mod:`sla.report.chart`), so both show the same bars. The words and
number formats are the HTML's (:mod:`sla.report.i18n`).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sla.report import i18n
from sla.report.chart import layout
from sla.report.data import MonthlyReport, ServicePage
from sla.report.i18n import Lang
from sla.report.pdf_chart import drawing


class _Pdf:
    def __init__(self, report: MonthlyReport, lang: Lang) -> None:
        self.r, self.lang = report, lang
        self.tz = ZoneInfo(report.timezone)
        ss = getSampleStyleSheet()
        self.h1, self.h2, self.h3 = ss["Title"], ss["Heading2"], ss["Heading3"]
        self.body = ParagraphStyle("body", parent=ss["BodyText"], fontSize=9, leading=11)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=9.5)

    def t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    def pct(self, v: float, places: int = 3) -> str:
        return i18n.percent(v, self.lang, places)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.body)

    def table(
        self, header: list[str], rows: list[list[str]], widths: list[float] | None = None
    ) -> Table:
        data: list[list[Any]] = [[self.p(h, self.cell) for h in header]]
        data += [[self.p(c, self.cell) for c in row] for row in rows]
        tbl = Table(data, colWidths=widths, repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f4f7")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return tbl

    def when(self, v: Any) -> str:
        return i18n.when(v, self.lang, self.tz)

    def summary(self) -> list[Any]:
        r, t = self.r, self.t
        month = i18n.month_name(r.year, r.month, self.lang)
        out: list[Any] = [
            Paragraph(escape(f"{t('title')} - {r.city}"), self.h1),
            self.p(
                f"{t('period')}: {month} ({self.when(r.start)} - {self.when(r.end)}); "
                f"{t('generated')}: {self.when(r.generated_at)}; {t('timezone')}: {r.timezone}"
            ),
            Paragraph(escape(t("summary")), self.h2),
            self.p(
                f"{t('meeting')}: {len(r.meeting)} / {len(r.services)}; "
                f"{t('response_compliance')}: {self.pct(r.response.overall.compliance, 1)}; "
                f"{t('incidents')}: {r.response.overall.count}; "
                f"{t('breaches')}: {r.response.overall.breaches}"
            ),
            Spacer(1, 4),
            self.table(
                [
                    t("service"),
                    t("availability"),
                    t("target"),
                    t("downtime_min"),
                    t("allowed_min"),
                    t("status"),
                ],
                [
                    [
                        s.name,
                        self.pct(s.figure.availability),
                        self.pct(s.target, 1),
                        i18n.minutes(s.figure.downtime, self.lang),
                        i18n.minutes(s.budget.allowed, self.lang),
                        t("met") if s.meets else t("missed"),
                    ]
                    for s in r.services
                ],
                [62 * mm, 24 * mm, 18 * mm, 24 * mm, 24 * mm, 24 * mm],
            ),
        ]
        if r.missing:
            out.append(self.p(f"{t('missing')}: {', '.join(s.name for s in r.missing)}"))
        out.append(Paragraph(escape(t("worst_incidents")), self.h3))
        out.append(
            self.incidents(list(r.worst_incidents))
            if r.worst_incidents
            else self.p(t("no_incidents"))
        )
        out.append(Paragraph(escape(t("response_compliance")), self.h3))
        out.append(
            self.table(
                [
                    t("severity"),
                    t("count"),
                    t("compliant"),
                    t("breaches"),
                    t("response_compliance"),
                    t("mttr"),
                ],
                [
                    [
                        sev,
                        str(st.count),
                        str(st.compliant),
                        str(st.breaches),
                        self.pct(st.compliance, 1),
                        i18n.duration(st.mttr, self.lang),
                    ]
                    for sev, st in r.response.by_severity.items()
                ],
            )
        )
        out += [Spacer(1, 4), self.p(t("note_maintenance")), PageBreak()]
        return out

    def incidents(self, items: list[Any]) -> Table:
        t = self.t
        rows = [
            [
                str(i.id),
                i.severity,
                i.title,
                self.when(i.opened_at),
                i.root_cause or "-",
                (
                    i18n.duration(i.response, self.lang)
                    if i.response is not None
                    else t("not_acknowledged")
                )
                + f" ({t(str(i.verdict))})",
                i18n.duration(i.repair, self.lang),
            ]
            for i in items
        ]
        return self.table(
            [
                "#",
                t("severity"),
                t("incidents"),
                t("opened"),
                t("root_cause"),
                t("response"),
                t("repair"),
            ],
            rows,
            [8 * mm, 16 * mm, 42 * mm, 28 * mm, 28 * mm, 32 * mm, 22 * mm],
        )

    def service(self, s: ServicePage) -> list[Any]:
        t, lang = self.t, self.lang
        out: list[Any] = [
            Paragraph(escape(s.name), self.h2),
            self.table(
                [
                    t("availability"),
                    t("target"),
                    t("downtime_min"),
                    t("allowed_min"),
                    t("remaining_min"),
                    t("burn_rate"),
                ],
                [
                    [
                        self.pct(s.figure.availability),
                        self.pct(s.target, 1),
                        i18n.minutes(s.figure.downtime, lang),
                        i18n.minutes(s.budget.allowed, lang),
                        i18n.minutes(s.budget.remaining, lang),
                        i18n.number(s.budget.burn_rate, lang, 2),
                    ]
                ],
            ),
            Paragraph(escape(t("daily")), self.h3),
            drawing(layout(s.daily, s.target, lang), 0.95),
            self.table(
                [t("maintenance_min"), t("outages"), t("mttr"), t("mtbf")],
                [
                    [
                        i18n.number(s.figure.maintenance_us / 60e6, lang, 1),
                        str(s.figure.outages),
                        i18n.duration(s.figure.mttr, lang),
                        i18n.duration(s.figure.mtbf, lang),
                    ]
                ],
            ),
        ]
        if s.figure.causes:
            out.append(Paragraph(escape(t("causes")), self.h3))
            out.append(
                self.table(
                    [t("root_cause"), t("downtime_min")],
                    [[k, i18n.number(v / 60e6, lang, 1)] for k, v in s.figure.causes.items()],
                )
            )
        out.append(Paragraph(escape(t("incidents")), self.h3))
        out.append(
            self.incidents(list(s.response.incidents))
            if s.response.incidents
            else self.p(t("no_incidents"))
        )
        out.append(PageBreak())
        return out

    def ytd(self) -> list[Any]:
        t, lang = self.t, self.lang
        rows = []
        for s in self.r.services:
            budget = s.ytd.annual_budget
            used = s.ytd.consumed / budget if budget else 0.0
            ok = budget is None or s.ytd.consumed <= budget
            rows.append(
                [
                    s.name,
                    i18n.hours(s.ytd.consumed, lang),
                    i18n.hours(budget, lang) if budget else "-",
                    self.pct(used, 1),
                    i18n.hours(s.ytd.allowed, lang),
                    t("met") if ok else t("missed"),
                ]
            )
        return [
            Paragraph(escape(f"{t('ytd_title')} {self.r.year}"), self.h2),
            self.table(
                [
                    t("service"),
                    t("ytd_hours"),
                    t("annual_budget"),
                    t("used"),
                    t("annual_at_target"),
                    t("status"),
                ],
                rows,
            ),
        ]

    def capacity(self) -> list[Any]:
        t = self.t
        out: list[Any] = [
            Paragraph(escape(t("capacity")), self.h2),
            self.p(f"{t('capacity_note')} {t('limit')}: {self.pct(self.r.capacity_limit, 0)}"),
        ]
        if not self.r.capacity:
            return [*out, self.p(t("no_capacity"))]
        rows = [
            [
                c.link,
                f"{c.device}:{c.interface}",
                f"{c.capacity_bps / 1e9:g} Gbps",
                f"{self.pct(c.peak, 1)} ({self.when(c.peak_at)})",
                self.pct(c.mean, 1),
                str(c.hours_above),
            ]
            for c in self.r.capacity
        ]
        return [
            *out,
            self.table(
                [t("link"), t("interface"), t("installed"), t("peak"), t("mean"), t("hours_above")],
                rows,
            ),
        ]


def render_pdf(report: MonthlyReport, lang: Lang) -> bytes:
    doc = _Pdf(report, lang)
    buf = io.BytesIO()
    title = f"{i18n.t('title', lang)} {i18n.month_name(report.year, report.month, lang)}"

    def footer(canvas: Any, d: Any) -> None:
        canvas.setFont("Helvetica", 7)
        canvas.drawString(15 * mm, 8 * mm, f"{report.city} - {title}")
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"{i18n.t('page', lang)} {d.page}")

    pdf = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=title,
        author=report.city,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
    )
    story = doc.summary()
    for page in report.services:
        story += doc.service(page)
    story += [*doc.ytd(), Spacer(1, 10), *doc.capacity()]
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
