"""The inline SVG charts: gaps, thresholds, the time axis in the site's zone, units by language."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from noc.web import chart_units as u
from noc.web.charts import Chart, Line, Threshold, render, segments, time_ticks

T0 = datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
STEP = timedelta(minutes=5)


def points(minutes: list[int], value: float = 1.0) -> list[tuple[datetime, float]]:
    return [(T0 + timedelta(minutes=m), value) for m in minutes]


def test_a_missing_bucket_or_a_nan_splits_the_line() -> None:
    line = Line("in", [*points([0, 5, 10, 25, 30]), (T0 + timedelta(minutes=35), math.nan)], STEP)
    runs = segments(line)
    assert [len(r) for r in runs] == [3, 2]
    assert segments(Line("x", points([0, 5, 10]), STEP)) == [points([0, 5, 10])]


def test_time_ticks_fall_on_whole_local_hours_of_the_site() -> None:
    jakarta = ZoneInfo("Asia/Jakarta")  # UTC+7
    ticks = time_ticks(T0 + timedelta(minutes=10), T0 + timedelta(hours=6), jakarta)
    local = [t.astimezone(jakarta) for t in ticks]
    assert [t.hour for t in local] == [8, 9, 10, 11, 12, 13]
    assert all(t.minute == 0 for t in local)
    days = time_ticks(T0, T0 + timedelta(days=7), jakarta)
    assert all(t.astimezone(jakarta).hour == 0 for t in days) and len(days) == 7


def test_values_are_written_in_their_unit_and_language() -> None:
    assert u.format_value(9.5e9, u.BITS_PER_SECOND, "id") == "9,5 Gbit/s"
    assert u.format_value(950e6, u.BITS_PER_SECOND, "en") == "950 Mbit/s"
    assert u.format_value(0.7, u.RATIO, "en") == "70%"
    assert u.format_value(1800, u.SECONDS, "en") == "30 min"
    assert u.format_value(0.0042, u.SECONDS, "id") == "4,2 ms"
    assert u.format_value(23.25, u.CELSIUS, "id") == "23,2 °C"
    assert u.format_value(math.nan, u.CELSIUS, "en") == "–"
    assert u.nice_ticks(0, 10e9) == [0, 2.5e9, 5e9, 7.5e9, 10e9]
    assert u.nice_ticks(18.2, 27.9) == [17.5, 20, 22.5, 25, 27.5, 30]


def test_the_svg_draws_lines_thresholds_and_says_what_it_shows() -> None:
    chart = Chart(
        "Traffic Te1/0/1",
        u.BITS_PER_SECOND,
        [Line("in", points([0, 5, 10], 5e9), STEP), Line("out", points([0], 1e9), STEP)],
        [Threshold("capacity", 10e9, "capacity"), Threshold("limit 70%", 7e9)],
    )
    svg = str(render(chart, T0, T0 + timedelta(hours=1), "en", "Asia/Jakarta", "no data"))
    assert "<title>Traffic Te1/0/1</title>" in svg
    assert "<desc>in: 5.0 Gbit/s (max 5.0 Gbit/s); out: 1.0 Gbit/s (max 1.0 Gbit/s)</desc>" in svg
    (d,) = re.findall(r'data-series="in" d="([^"]+)"', svg)
    ys = {float(y) for y in re.findall(r",([\d.]+)", d)}
    assert len(ys) == 1 and d.count("L") == 2
    assert 'class="series s1" data-series="out" cx=' in svg  # a lone point is still drawn
    cap = float(re.findall(r'threshold capacity" [^>]*y1="([\d.]+)"', svg)[0])
    limit = float(re.findall(r'threshold limit" [^>]*y1="([\d.]+)"', svg)[0])
    zero = float(re.findall(r'class="axis"[^>]*y1="([\d.]+)"', svg)[0])
    assert abs((zero - limit) / (zero - cap) - 0.7) < 0.01
    assert abs((zero - ys.pop()) / (zero - cap) - 0.5) < 0.01
    assert ">08:00</text>" in svg  # 01:00 UTC is 08:00 WIB


def test_an_empty_chart_says_so_and_labels_are_escaped() -> None:
    chart = Chart("<b>x</b>", u.CELSIUS, [Line("a&b", [], STEP)])
    svg = str(render(chart, T0, T0 + timedelta(hours=6), "id", "Asia/Jakarta", "tidak ada data"))
    assert "tidak ada data" in svg and "<b>x</b>" not in svg and "&lt;b&gt;x" in svg
    assert "a&amp;b" in svg


def test_duration_axes_tick_on_whole_minutes() -> None:
    assert u.axis_ticks(0, 2400, u.SECONDS) == [0, 600, 1200, 1800, 2400]
    assert u.axis_ticks(0, 0.08, u.SECONDS) == [0, 0.02, 0.04, 0.06, 0.08]
