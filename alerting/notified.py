"""An alert as a notification carries it."""

from __future__ import annotations

from alerting.alert import Alert
from alerting.notify.base import NotifiedAlert


def notified(alert: Alert, incident_id: int | None) -> NotifiedAlert:
    return NotifiedAlert(
        key=alert.key,
        rule=alert.rule,
        object=str(alert.object),
        state=alert.state.value,
        severity=alert.severity,
        site=alert.site,
        summary=alert.summary,
        labels=alert.labels,
        fired_at=alert.fired_at,
        resolved_at=alert.resolved_at,
        incident_id=incident_id,
    )
