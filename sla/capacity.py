"""Capacity findings: links whose utilization went above the policy's limit (70%).

Reads one utilization metric (a ratio 0..1 of installed capacity) from the metric store, hourly
maxima over the period, matched to inventory links by the ``device``/``interface`` labels of
either end. The metric name is a parameter: the SNMP collector decides it; the default is
``if_utilization_ratio``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from noc.model import Inventory, Link
from noc.store.metrics import Aggregation, MetricStore

DEFAULT_METRIC = "if_utilization_ratio"


class CapacityFinding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    link: str
    device: str
    interface: str
    capacity_bps: int
    limit: float
    peak: float
    mean: float
    hours_above: int  # hours whose maximum was above the limit
    peak_at: datetime


def capacity_findings(
    metrics: MetricStore,
    inventory: Inventory,
    start: datetime,
    end: datetime,
    *,
    metric: str = DEFAULT_METRIC,
    limit: float | None = None,
) -> list[CapacityFinding]:
    """Every link end whose hourly peak utilization exceeded ``limit`` (default: the default
    policy's ``capacity_limit``), worst first."""
    limit = inventory.policy(None).capacity_limit if limit is None else limit
    ends: dict[tuple[str, str], Link] = {}
    for link in inventory.links:
        for e in (link.a, link.b):
            ends[(e.device, e.interface)] = link
    step = timedelta(hours=1)
    peaks = metrics.query_range(metric, None, start, end, step, Aggregation.max)
    means = {
        (s.labels.get("device"), s.labels.get("interface")): s
        for s in metrics.query_range(metric, None, start, end, step, Aggregation.avg)
    }
    out: list[CapacityFinding] = []
    for series in peaks:
        key = (series.labels.get("device", ""), series.labels.get("interface", ""))
        found = ends.get(key)
        points = [p for p in series.points if p.value == p.value]  # drop NaN
        if found is None or not points:
            continue
        top = max(points, key=lambda p: p.value)
        if top.value <= limit:
            continue
        avg_series = means.get(key)
        vals = [p.value for p in avg_series.points if p.value == p.value] if avg_series else []
        out.append(
            CapacityFinding(
                link=found.id,
                device=key[0],
                interface=key[1],
                capacity_bps=found.capacity_bps,
                limit=limit,
                peak=top.value,
                mean=sum(vals) / len(vals) if vals else top.value,
                hours_above=sum(p.value > limit for p in points),
                peak_at=top.ts,
            )
        )
    return sorted(out, key=lambda f: -f.peak)
