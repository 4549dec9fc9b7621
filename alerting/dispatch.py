"""Grouping, dedup and retry between alerts and notifiers (Alertmanager's pipeline, small).

Alerts to notify are grouped by rule and site. A new group waits ``group.wait`` for company, a
changed group is sent at most every ``group.interval``. Sending is two steps, both in the
journal: the group becomes one ``pending`` row per channel (with the group's fingerprint, so the
same content is never queued twice), then each row is delivered and marked ``sent``, retried with
exponential backoff when the notifier says ``retryable``, or marked ``failed``. A restart finds
the pending rows and delivers them; the fingerprints stop a repeat.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from alerting.alert import Alert, AlertState
from alerting.config import SEVERITY_RANK, Grouping, Retry
from alerting.journal import Journal
from alerting.notified import notified
from alerting.notify.base import NotificationGroup, NotifiedAlert, Notifier, Outcome, OutcomeKind
from noc.store.events import Severity

log = logging.getLogger(__name__)


@dataclass
class _Group:
    rule: str
    site: str | None
    alerts: dict[str, NotifiedAlert] = field(default_factory=dict)
    due: datetime | None = None
    last_flush: datetime | None = None


def group_key(alert: Alert) -> str:
    return f"{alert.rule}/{alert.site or '-'}"


class Dispatcher:
    def __init__(
        self,
        journal: Journal,
        notifiers: Mapping[str, Notifier],
        *,
        grouping: Grouping | None = None,
        retry: Retry | None = None,
        min_severity: Mapping[str, Severity] | None = None,
        timeout_seconds: float = 60.0,
    ) -> None:
        self._journal = journal
        self._notifiers = dict(notifiers)
        self._grouping = grouping or Grouping()
        self._retry = retry or Retry()
        self._min_severity = dict(min_severity or {})
        self._timeout = timeout_seconds
        self._groups: dict[str, _Group] = {}

    def add(self, alert: Alert, incident_id: int | None, at: datetime, *, was_sent: bool) -> None:
        """Queue a change of ``alert`` for notification (``was_sent``: its firing was notified)."""
        key = group_key(alert)
        g = self._groups.get(key)
        if not alert.state.active:
            if g is not None and alert.key in g.alerts and not was_sent:
                del g.alerts[alert.key]  # resolved before anybody was told: nothing to say
                return
            if not was_sent:
                return
        if g is None:
            g = self._groups[key] = _Group(alert.rule, alert.site, due=at + self._grouping.wait)
        g.alerts[alert.key] = notified(alert, incident_id)
        if g.due is None:
            earliest = (g.last_flush or at) + self._grouping.interval
            g.due = max(at, earliest)

    def next_deadline(self) -> datetime | None:
        times = [g.due for g in self._groups.values() if g.due is not None and g.alerts]
        pending = self._journal.next_attempt()
        if pending is not None:
            times.append(pending)
        return min(times) if times else None

    def flush_due(self, at: datetime) -> list[str]:
        """Turn every due group into pending rows; return the group keys queued."""
        queued: list[str] = []
        for key, g in list(self._groups.items()):
            if g.due is None or g.due > at:
                continue
            g.due, g.last_flush = None, at
            if not g.alerts:
                del self._groups[key]
                continue
            group = self._build(key, g, at)
            fingerprint = _fingerprint(group)
            if fingerprint != self._journal.last_fingerprint(key):
                channels = self._channels_for(group.severity)
                self._journal.enqueue(channels, key, fingerprint, group.model_dump_json(), at)
                queued.append(key)
            self._journal.mark_notified(
                {a.key: a.state != AlertState.resolved.value for a in g.alerts.values()}
            )
            for k in [k for k, a in g.alerts.items() if a.state == AlertState.resolved.value]:
                del g.alerts[k]
            if not g.alerts:
                del self._groups[key]
        return queued

    async def deliver_due(self, at: datetime) -> int:
        """Deliver every pending row that is due; return how many were sent."""
        sent = 0
        for row in self._journal.due(at):
            notifier = self._notifiers.get(row.channel)
            if notifier is None:
                self._journal.mark(row.id, "failed", at=at, error="channel no longer configured")
                continue
            group = NotificationGroup.model_validate_json(row.payload)
            try:
                # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation.
                async with asyncio.timeout(self._timeout):
                    outcome = await notifier.notify(group)
            except TimeoutError:
                outcome = Outcome.retry("timed out")
            except Exception as err:  # a notifier bug must not stop the others
                outcome = Outcome.retry(f"notifier error ({type(err).__name__})")
            attempts = row.attempts + 1
            if outcome.kind is OutcomeKind.ok:
                self._journal.mark(row.id, "sent", at=at)
                sent += 1
            elif outcome.kind is OutcomeKind.retryable and attempts < self._retry.attempts:
                retry_at = at + self._retry.delay(attempts)
                self._journal.mark(
                    row.id, "pending", at=at, error=outcome.reason, next_attempt_at=retry_at
                )
                log.warning(
                    "notification %s via %s failed (%s); retry at %s",
                    row.group_key,
                    row.channel,
                    outcome.reason,
                    retry_at.isoformat(),
                )
            else:
                self._journal.mark(row.id, "failed", at=at, error=outcome.reason)
                log.error(
                    "notification %s via %s failed for good: %s",
                    row.group_key,
                    row.channel,
                    outcome.reason,
                )
        return sent

    def _channels_for(self, severity: Severity) -> list[str]:
        rank = SEVERITY_RANK[severity]
        return [
            name
            for name in self._notifiers
            if rank >= SEVERITY_RANK[self._min_severity.get(name, Severity.warning)]
        ]

    def _build(self, key: str, g: _Group, at: datetime) -> NotificationGroup:
        alerts = tuple(sorted(g.alerts.values(), key=lambda a: a.key))
        active = [a for a in alerts if a.state != AlertState.resolved.value]
        severity = max((a.severity for a in alerts), key=lambda s: SEVERITY_RANK[s])
        return NotificationGroup(
            group_key=key,
            rule=g.rule,
            site=g.site,
            status="firing" if active else "resolved",
            severity=severity,
            alerts=alerts,
            created_at=at,
        )


def _fingerprint(group: NotificationGroup) -> str:
    # fired_at: a fault that comes back after it resolved is a new episode with its own page;
    # without it the episode's fingerprint equals the first one's and the notification log
    # (unique per channel, group and fingerprint) silently dropped it.
    text = "|".join(f"{a.key}={a.state}@{a.fired_at}" for a in group.alerts)
    return hashlib.sha256(text.encode()).hexdigest()
