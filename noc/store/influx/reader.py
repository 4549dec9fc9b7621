"""Reads for the ``influxdb`` backend through a Prometheus-compatible export API.

InfluxDB-compatible engines differ in how they are queried (Flux, SQL, PromQL). The engine this
project ships with, VictoriaMetrics, serves ``/api/v1/export`` (JSON lines of raw samples),
which gives back exactly what was written; aggregation then runs here, as in the embedded store.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import httpx

from noc.errors import StoreError
from noc.store.metric_agg import Folder, from_ms, step_ms, to_ms
from noc.store.metrics import Aggregation, Point, Series, SeriesValue

RawSeries = tuple[dict[str, str], list[int], list[float]]


def _selector(name: str, matchers: dict[str, str] | None) -> str:
    def quote(v: str) -> str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    parts = [f"__name__={quote(name)}"]
    parts += [f"{k}={quote(v)}" for k, v in sorted((matchers or {}).items())]
    return "{" + ",".join(parts) + "}"


class ExportReader:
    def __init__(self, url: str, suffix: str, timeout: timedelta) -> None:
        self._url = url + "/api/v1/export"
        self._suffix = suffix
        self._timeout = timeout.total_seconds()

    def export(
        self, metric: str, matchers: dict[str, str] | None, start_ms: int, end_ms: int
    ) -> list[RawSeries]:
        """Raw samples of the matching series with ``start_ms <= ts < end_ms``."""
        params = {
            "match[]": _selector(metric + self._suffix, matchers),
            "start": f"{start_ms / 1000:.3f}",
            "end": f"{(end_ms - 1) / 1000:.3f}",
        }
        try:
            resp = httpx.get(self._url, params=params, timeout=self._timeout)
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot read metrics from {self._url}: {exc}") from exc
        out: list[RawSeries] = []
        for line in resp.text.splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            labels = {k: v for k, v in item["metric"].items() if k != "__name__"}
            pairs = [
                (int(t), float(v))
                for t, v in zip(item["timestamps"], item["values"], strict=True)
                if start_ms <= int(t) < end_ms
            ]
            pairs.sort(key=lambda p: p[0])
            out.append((labels, [t for t, _ in pairs], [v for _, v in pairs]))
        return out

    def latest(
        self, metric: str, matchers: dict[str, str] | None, now: datetime, lookback: timedelta
    ) -> list[SeriesValue]:
        end = to_ms(now) + 1
        found = self.export(metric, matchers, end - step_ms(lookback), end)
        return [
            SeriesValue(metric=metric, labels=labels, value=values[-1], ts=from_ms(times[-1]))
            for labels, times, values in sorted(found, key=lambda s: sorted(s[0].items()))
            if times
        ]

    def query_range(
        self,
        metric: str,
        matchers: dict[str, str] | None,
        start: datetime,
        end: datetime,
        step: timedelta,
        agg: Aggregation,
    ) -> list[Series]:
        step_v = step_ms(step)
        raw = self.export(metric, matchers, to_ms(start), to_ms(end))
        out: list[Series] = []
        for labels, times, values in sorted(raw, key=lambda s: sorted(s[0].items())):
            folder = Folder(step_v)
            for t, v in zip(times, values, strict=True):
                folder.add_raw(0, t, v)
            pts = folder.series_points(agg).get(0, [])
            if pts:
                out.append(
                    Series(
                        metric=metric,
                        labels=labels,
                        step=timedelta(milliseconds=step_v),
                        points=[Point(ts=from_ms(b), value=v) for b, v in pts],
                    )
                )
        return out
