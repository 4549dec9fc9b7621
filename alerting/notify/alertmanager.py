"""Prometheus Alertmanager API v2: push the group's alerts to ``POST /api/v2/alerts``.

Teams that already route with an Alertmanager keep doing so. A firing alert is pushed once, with
``endsAt`` = now + ``firing_hold`` (default 24 h: Alertmanager would otherwise resolve it after its
resolve_timeout of 5 min, since it is not pushed again); a resolved one carries its real
``endsAt`` so it resolves there at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from alerting.duration import Duration
from alerting.notify.base import (
    ChannelType,
    NotificationGroup,
    NotifiedAlert,
    Outcome,
    Secret,
    http_outcome,
)
from alerting.notify.tls import client_tls


class AlertmanagerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    url: str = Field(pattern=r"^https?://", description="base URL, e.g. http://am:9093")
    bearer_token: Secret | None = None
    generator_url: str = ""
    firing_hold: Duration = timedelta(hours=24)
    timeout_seconds: float = Field(10.0, gt=0, le=120)


def am_alert(a: NotifiedAlert, generator_url: str, hold_until: datetime) -> dict[str, Any]:
    labels = {k: v for k, v in a.labels.items() if v}
    labels.update({"alertname": a.rule, "object": a.object, "severity": a.severity.value})
    if a.site:
        labels["site"] = a.site
    out: dict[str, Any] = {
        "labels": labels,
        "annotations": {
            "summary": a.summary.get("en", a.key),
            "summary_id": a.summary.get("id", ""),
            "noc_state": a.state,
        },
    }
    if a.incident_id is not None:
        out["annotations"]["incident_id"] = str(a.incident_id)
    if a.fired_at is not None:
        out["startsAt"] = a.fired_at.isoformat()
    if a.state == "resolved" and a.resolved_at is not None:
        out["endsAt"] = a.resolved_at.isoformat()
    else:
        out["endsAt"] = hold_until.isoformat()
    if generator_url:
        out["generatorURL"] = generator_url
    return out


class AlertmanagerNotifier:
    def __init__(self, name: str, config: AlertmanagerConfig) -> None:
        self.name = name
        self._config = config
        self._tls = client_tls()  # built once, not per notification

    async def notify(self, group: NotificationGroup) -> Outcome:
        c = self._config
        # Alertmanager judges endsAt by its own wall clock: hold from the delivery time.
        hold_until = datetime.now(UTC) + c.firing_hold
        body = [am_alert(a, c.generator_url, hold_until) for a in group.alerts]
        headers = {}
        if c.bearer_token is not None:
            headers["Authorization"] = f"Bearer {c.bearer_token.get_secret_value()}"
        try:
            async with httpx.AsyncClient(timeout=c.timeout_seconds, verify=self._tls) as client:
                response = await client.post(
                    f"{c.url.rstrip('/')}/api/v2/alerts", json=body, headers=headers
                )
        except httpx.TimeoutException:
            return Outcome.retry("timed out")
        except httpx.TransportError as err:
            return Outcome.retry(f"could not connect ({type(err).__name__})")
        return http_outcome(response.status_code)


CHANNEL = ChannelType("alertmanager", AlertmanagerConfig, AlertmanagerNotifier)
