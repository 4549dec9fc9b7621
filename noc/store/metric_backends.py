"""Open a metric store from its config, by backend name.

Backends are registered by name with the dotted path of their opener, imported only when a
store of that kind is opened (so the ``sqlite`` default never imports influxdb-client). A new
backend adds one line here, or calls :func:`register_metric_backend` from its own package.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from noc.errors import StoreError
from noc.store.metrics import MetricStore

_OPENERS: dict[str, str | Callable[..., MetricStore]] = {
    "sqlite": "noc.store.sqlite_metrics:open_store",
    "influxdb": "noc.store.influx.store:open_store",
}


def register_metric_backend(name: str, opener: str | Callable[..., MetricStore]) -> None:
    """Register ``opener(config, **kwargs) -> MetricStore`` (or its "module:function" path)."""
    _OPENERS[name] = opener


def metric_backends() -> list[str]:
    return sorted(_OPENERS)


def open_metric_store(config: Any, **kwargs: Any) -> MetricStore:
    """Open the store ``config.backend`` names; ``kwargs`` (e.g. ``clock``) go to its opener."""
    name = getattr(config, "backend", None)
    opener = _OPENERS.get(str(name))
    if opener is None:
        raise StoreError(
            f"unknown metric store backend {name!r}",
            hint="use one of: " + ", ".join(metric_backends()),
        )
    if isinstance(opener, str):
        module, _, func = opener.partition(":")
        opener = cast(Callable[..., MetricStore], getattr(importlib.import_module(module), func))
    return opener(config, **kwargs)
