"""A year of generated history for the demo city: report, export, verify, PDF in both languages."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from noc.model import Inventory
from noc.store.events import EventStore
from sla.catalog import catalog_of
from sla.export import write_sla_export
from sla.history import history_from_store
from sla.report.data import MonthlyReport, build_monthly_report
from sla.report.html import render_html
from sla.report.i18n import STRINGS
from sla.report.pdf import render_pdf
from sla.verify import verify_text
from tests.peers import require_binary
from tests.sla.city import NOW, generate
from tests.sla.recompute import recompute

ARTIFACTS = Path(os.environ.get("NOC_ARTIFACTS_DIR", "/tmp/noc-artifacts")) / "sla-report"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EventStore, Inventory]]:
    store, inv = generate(str(tmp_path_factory.mktemp("city") / "events.sqlite"))
    yield store, inv
    store.close()


@pytest.fixture(scope="module")
def report(city: tuple[EventStore, Inventory]) -> MonthlyReport:
    store, inv = city
    return build_monthly_report(catalog_of(inv), history_from_store(store), 2026, 10, NOW)


@pytest.fixture(scope="module")
def export_csv(city: tuple[EventStore, Inventory], report: MonthlyReport) -> str:
    store, inv = city
    return write_sla_export(
        store.audit.entries(), catalog_of(inv), report.start, report.end, NOW, "csv"
    )


def test_report_numbers_equal_an_independent_recomputation_from_the_csv(
    report: MonthlyReport, export_csv: str
) -> None:
    want = recompute(export_csv, report.start, report.end)
    assert want, "no service recomputed"
    got = {p.ref: (p.figure.downtime_us, p.figure.counted_us) for p in report.services}
    assert got == {k: (d * 10**6, c * 10**6) for k, (d, c) in want.items()}
    # The outage still open at the end of October counts (portal server down since 22:00 WIB).
    portal = next(p for p in report.services if p.ref == "service:portal-egov")
    assert portal.figure.downtime_us >= 2 * 3600 * 10**6
    assert any(p.figure.downtime_us for p in report.services)


def test_the_export_verifies_and_any_changed_byte_fails_naming_the_entry(export_csv: str) -> None:
    ok = verify_text(export_csv)
    assert ok.ok, ok.problems
    assert ok.entries > 1000 and ok.figures > 50
    rng = random.Random(3)
    lines = export_csv.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    positions = rng.sample(range(len(export_csv)), 30)
    positions += [0, len(export_csv) - 2, offsets[2] + 3]  # header, seal, first entry
    for pos in positions:
        ch = export_csv[pos]
        if ch == "\n":
            continue
        bad = export_csv[:pos] + ("x" if ch != "x" else "y") + export_csv[pos + 1 :]
        verdict = verify_text(bad)
        assert not verdict.ok, f"changing byte {pos} went unnoticed"
        line_no = export_csv.count("\n", 0, pos) + 1
        row = lines[line_no - 1]
        named = " ".join(verdict.problems)
        if row.startswith("entry,"):
            seq = row.split(",")[1]
            assert f"seq {seq}" in named, (pos, verdict.problems)
        elif row.startswith("figure,"):
            assert f"line {line_no}" in named or row.split(",")[5] in named
        else:
            assert f"line {line_no}" in named or "seal" in named or "meta" in named


def test_a_tampered_figure_is_named_by_its_object(export_csv: str) -> None:
    lines = export_csv.splitlines(keepends=True)
    i = next(i for i, x in enumerate(lines) if x.startswith("figure,,,,,service:siak,"))
    lines[i] = lines[i].replace('""downtime_us"":', '""downtime_us"":1', 1)
    verdict = verify_text("".join(lines))
    assert not verdict.ok
    assert any("figure service:siak" in p or "(figure service:siak)" in p for p in verdict.problems)


def test_every_string_exists_in_both_languages() -> None:
    for key, texts in STRINGS.items():
        assert set(texts) == {"id", "en"} and all(texts.values()), key


def test_html_in_the_locale(report: MonthlyReport) -> None:
    html_id, html_en = render_html(report, "id"), render_html(report, "en")
    assert "Laporan SLA Bulanan" in html_id and "Oktober 2026" in html_id
    assert "Monthly SLA Report" in html_en and "October 2026" in html_en
    assert "99,9%" in html_id and "99.9%" in html_en and "WIB" in html_id
    assert "<svg" in html_id and "http" not in html_id.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pdf_renders_and_turns_into_png_pages(report: MonthlyReport, lang: str) -> None:
    pdftoppm = require_binary("pdftoppm")
    out = ARTIFACTS / lang
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    pdf = out / f"report-{lang}.pdf"
    pdf.write_bytes(render_pdf(report, lang))  # type: ignore[arg-type]
    subprocess.run(
        [pdftoppm, "-r", "70", "-png", str(pdf), str(out / "page")], check=True, timeout=60
    )
    pages = sorted(out.glob("page-*.png"))
    # Summary, one page per service, then year to date and capacity.
    assert len(pages) == 1 + len(report.services) + 1
    assert all(p.stat().st_size > 5000 for p in pages)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert ("Ringkasan" if lang == "id" else "Summary") in text
