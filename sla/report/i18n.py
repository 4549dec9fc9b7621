"""The report's words and number formats in Indonesian (``id``) and English (``en``).

Every string exists in both languages (a test checks it). Indonesian writes decimals with a
comma and thousands with a dot ("99,95%", "1.234,5"); English the other way round. Dates and
times are shown in the city's time zone (Asia/Jakarta for the demo, "WIB").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")

MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "en": "January February March April May June July August September October November December",
}

STRINGS: dict[str, dict[Lang, str]] = {
    "title": {"id": "Laporan SLA Bulanan", "en": "Monthly SLA Report"},
    "summary": {"id": "Ringkasan", "en": "Summary"},
    "period": {"id": "Periode", "en": "Period"},
    "generated": {"id": "Dibuat", "en": "Generated"},
    "timezone": {"id": "Zona waktu", "en": "Time zone"},
    "service": {"id": "Layanan", "en": "Service"},
    "services": {"id": "Layanan", "en": "Services"},
    "availability": {"id": "Ketersediaan", "en": "Availability"},
    "target": {"id": "Target", "en": "Target"},
    "status": {"id": "Status", "en": "Status"},
    "met": {"id": "Tercapai", "en": "Met"},
    "missed": {"id": "Tidak tercapai", "en": "Missed"},
    "meeting": {"id": "Layanan memenuhi target", "en": "Services meeting target"},
    "missing": {"id": "Layanan di bawah target", "en": "Services missing target"},
    "downtime": {"id": "Waktu henti", "en": "Downtime"},
    "downtime_min": {"id": "Waktu henti (menit)", "en": "Downtime (minutes)"},
    "allowed_min": {"id": "Batas waktu henti (menit)", "en": "Allowed downtime (minutes)"},
    "maintenance_min": {
        "id": "Pemeliharaan terencana (menit)",
        "en": "Planned maintenance (minutes)",
    },
    "remaining_min": {"id": "Sisa anggaran (menit)", "en": "Budget remaining (minutes)"},
    "burn_rate": {"id": "Laju pemakaian anggaran", "en": "Budget burn rate"},
    "response": {"id": "Waktu respons", "en": "Response time"},
    "response_compliance": {"id": "Kepatuhan waktu respons", "en": "Response time compliance"},
    "response_target": {"id": "Target respons", "en": "Response target"},
    "incidents": {"id": "Insiden", "en": "Incidents"},
    "worst_incidents": {"id": "Insiden terberat", "en": "Worst incidents"},
    "no_incidents": {"id": "Tidak ada insiden.", "en": "No incidents."},
    "opened": {"id": "Dibuka", "en": "Opened"},
    "acknowledged": {"id": "Diakui", "en": "Acknowledged"},
    "resolved": {"id": "Selesai", "en": "Resolved"},
    "severity": {"id": "Tingkat", "en": "Severity"},
    "root_cause": {"id": "Akar masalah", "en": "Root cause"},
    "breach": {"id": "Melewati target", "en": "Breach"},
    "compliant": {"id": "Sesuai", "en": "Within target"},
    "pending": {"id": "Menunggu", "en": "Pending"},
    "not_acknowledged": {"id": "belum diakui", "en": "not acknowledged"},
    "count": {"id": "Jumlah", "en": "Count"},
    "repair": {"id": "Waktu pemulihan", "en": "Time to repair"},
    "breaches": {"id": "Pelanggaran", "en": "Breaches"},
    "mttr": {"id": "Rata-rata waktu pemulihan (MTTR)", "en": "Mean time to repair (MTTR)"},
    "mtbf": {
        "id": "Rata-rata waktu antar gangguan (MTBF)",
        "en": "Mean time between failures (MTBF)",
    },
    "outages": {"id": "Gangguan", "en": "Outages"},
    "daily": {"id": "Ketersediaan harian", "en": "Daily availability"},
    "causes": {"id": "Waktu henti per akar masalah", "en": "Downtime by root cause"},
    "ytd": {"id": "Sejak awal tahun", "en": "Year to date"},
    "ytd_title": {"id": "Waktu henti sejak awal tahun", "en": "Downtime year to date"},
    "annual_budget": {"id": "Anggaran tahunan (jam)", "en": "Annual budget (hours)"},
    "annual_at_target": {"id": "Batas pada target (jam)", "en": "Allowed at target (hours)"},
    "ytd_hours": {"id": "Waktu henti (jam)", "en": "Downtime (hours)"},
    "used": {"id": "Terpakai", "en": "Used"},
    "capacity": {"id": "Temuan kapasitas", "en": "Capacity findings"},
    "capacity_note": {
        "id": "Tautan dengan utilisasi di atas batas kapasitas terpasang.",
        "en": "Links whose utilization went above the limit of installed capacity.",
    },
    "no_capacity": {"id": "Tidak ada tautan di atas batas.", "en": "No link above the limit."},
    "link": {"id": "Tautan", "en": "Link"},
    "interface": {"id": "Antarmuka", "en": "Interface"},
    "installed": {"id": "Kapasitas", "en": "Capacity"},
    "limit": {"id": "Batas", "en": "Limit"},
    "peak": {"id": "Puncak", "en": "Peak"},
    "mean": {"id": "Rata-rata", "en": "Mean"},
    "hours_above": {"id": "Jam di atas batas", "en": "Hours above limit"},
    "page": {"id": "Halaman", "en": "Page"},
    "day": {"id": "Tanggal", "en": "Day"},
    "none": {"id": "-", "en": "-"},
    "note_maintenance": {
        "id": "Pemeliharaan terencana dikecualikan dari perhitungan; gangguan yang masih "
        "berlangsung dihitung sampai akhir periode.",
        "en": "Planned maintenance is excluded; outages still open are counted up to the end "
        "of the period.",
    },
}


def t(key: str, lang: Lang) -> str:
    return STRINGS[key][lang]


def _group(digits: str, sep: str) -> str:
    out = ""
    while len(digits) > 3:
        out = sep + digits[-3:] + out
        digits = digits[:-3]
    return digits + out


def number(value: float, lang: Lang, places: int = 2) -> str:
    """``1234.5`` -> ``1.234,50`` (id) or ``1,234.50`` (en)."""
    text = f"{abs(value):.{places}f}"
    whole, _, frac = text.partition(".")
    thousands, decimal = (".", ",") if lang == "id" else (",", ".")
    sign = "-" if value < 0 and float(text) != 0 else ""
    return sign + _group(whole, thousands) + (decimal + frac if frac else "")


def percent(ratio: float, lang: Lang, places: int = 3) -> str:
    """``0.99951`` -> ``99,951%`` (id) / ``99.951%`` (en); never rounds up to 100% falsely."""
    value = ratio * 100
    factor = 10**places
    floored = int(value * factor) / factor  # truncate: 99.9996% is not shown as 100%
    return number(floored, lang, places) + "%"


def minutes(value: timedelta, lang: Lang) -> str:
    return number(value.total_seconds() / 60, lang, 1)


def hours(value: timedelta, lang: Lang) -> str:
    return number(value.total_seconds() / 3600, lang, 2)


def duration(value: timedelta | None, lang: Lang) -> str:
    if value is None:
        return "-"
    total = int(value.total_seconds())
    d, rem = divmod(total, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    unit = {"id": ("h", "j", "m", "d"), "en": ("d", "h", "m", "s")}[lang]
    parts = [f"{d}{unit[0]}"] if d else []
    parts += [f"{h}{unit[1]}"] if h or d else []
    parts += [f"{m}{unit[2]}", f"{s}{unit[3]}"] if not d else [f"{m}{unit[2]}"]
    return " ".join(parts)


def zone_label(tz: ZoneInfo, at: datetime) -> str:
    names = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
    return names.get(tz.key, at.astimezone(tz).strftime("UTC%z"))


def when(value: datetime | None, lang: Lang, tz: ZoneInfo) -> str:
    if value is None:
        return "-"
    local = value.astimezone(tz)
    text = local.strftime("%d/%m/%Y %H.%M" if lang == "id" else "%Y-%m-%d %H:%M")
    return f"{text} {zone_label(tz, value)}"


def month_name(year: int, month: int, lang: Lang) -> str:
    return f"{MONTHS[lang].split()[month - 1]} {year}"


def day_label(value: datetime, lang: Lang) -> str:
    return str(value.day)
