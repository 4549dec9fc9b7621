"""Samples as InfluxDB line protocol (the layout Grafana dashboards query; docs/influx-layout.md).

``<metric>,<label>=<value>,... value=<float> <unix ms>``: measurement = metric name, tags =
labels (sorted; an empty label value is the same as no label and is left out), one field
``value``, timestamp in milliseconds (write precision ``ms``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from noc.model.observations import Sample
from noc.store.metric_agg import to_ms

FIELD = "value"
_ESCAPE_TAG = str.maketrans(
    {"\\": "\\\\", ",": "\\,", "=": "\\=", " ": "\\ ", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
)
_CACHE_LIMIT = 1_000_000


def series_prefix(metric: str, labels: dict[str, str]) -> str:
    """``metric,k=v,...`` with tag values escaped; metric and label names need no escaping."""
    tags = "".join(f",{k}={labels[k].translate(_ESCAPE_TAG)}" for k in sorted(labels) if labels[k])
    return metric + tags


class LineEncoder:
    """Encodes samples, caching each series' prefix."""

    def __init__(self) -> None:
        self._prefixes: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}

    def encode(self, samples: Sequence[Sample]) -> tuple[list[str], int]:
        """The lines of the finite samples, and how many were left out (NaN or infinite)."""
        cache = self._prefixes
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        lines: list[str] = []
        invalid = 0
        for s in samples:
            value = s.value
            if not math.isfinite(value):
                invalid += 1
                continue
            key = (s.metric, tuple(sorted(s.labels.items())))
            prefix = cache.get(key)
            if prefix is None:
                prefix = cache[key] = series_prefix(s.metric, s.labels)
            lines.append(f"{prefix} {FIELD}={value!r} {to_ms(s.ts)}")
        return lines, invalid
