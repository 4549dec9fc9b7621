"""The rule engine: observations in, alert transitions out. Evaluated on each observation.

``observe_samples`` and ``observe_states`` route each observation to the tracks of the rules that
read it (an index by metric name and object kind, so a sample costs only its own rules);
``tick(now)`` handles the deadlines that pass without observations (``for``, absence, the end of
flapping); ``next_deadline()`` says when to call it. Pure and synchronous: no I/O, no clock reads.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from datetime import datetime

from alerting.alert import Alert, AlertState, Transition, alert_key
from alerting.rule_model import Absent, EnumIn, Rule, RuleSet, Threshold
from alerting.templates import LANGUAGES, render
from alerting.topology_view import NoTopology, TopologyView
from alerting.track import Track
from noc.model.observations import ObjectKind, ObjectRef, Sample, StateChange, series_key


class AlertEngine:
    def __init__(self, rules: RuleSet, topology: TopologyView | None = None) -> None:
        self._rules = rules
        self._topology: TopologyView = topology or NoTopology()
        self._tracks: dict[str, Track] = {}
        self._objects: dict[str, ObjectRef] = {}
        self._by_metric: dict[str, list[tuple[Rule, int]]] = {}
        self._by_kind: dict[ObjectKind, list[Rule]] = {}
        for rule in rules.rules:
            for i, cond in enumerate(rule.conditions):
                if cond.metric is not None:
                    self._by_metric.setdefault(cond.metric, []).append((rule, i))
                if cond.state is not None:
                    self._by_kind.setdefault(cond.state.kind, []).append(rule)
        self._limit_metrics = {
            c.threshold.value_metric
            for r in rules.rules
            for c in r.conditions
            if c.threshold is not None and c.threshold.value_metric is not None
        }
        self._limits: dict[str, float] = {}  # series key of a limit metric -> latest value
        self._heap: list[tuple[datetime, int, str]] = []
        # the earliest deadline queued per alert: one heap entry per alert, not one per sample
        self._scheduled: dict[str, datetime] = {}
        self._seq = itertools.count()

    @property
    def rules(self) -> RuleSet:
        return self._rules

    def alerts(self, *, include_inactive: bool = False) -> list[Alert]:
        return [
            self._alert(k, t)
            for k, t in sorted(self._tracks.items())
            if include_inactive or t.state is not AlertState.inactive
        ]

    def alert(self, key: str) -> Alert | None:
        track = self._tracks.get(key)
        return self._alert(key, track) if track is not None else None

    def restore(self, alerts: Iterable[Alert]) -> None:
        """Resume alerts that were active before a restart: the next observation decides."""
        for a in alerts:
            try:
                rule = self._rules.by_name(a.rule)
            except KeyError:
                continue  # the rule was removed since
            track = self._track(rule, a.object, a.labels)
            track.restore(a.state, a.since, a.fired_at, a.value)

    # --- observations -------------------------------------------------------------------------

    def observe_samples(self, samples: Iterable[Sample]) -> list[Transition]:
        batch = list(samples)
        for sample in batch:  # limits first, so a threshold meets its limit of the same poll
            if sample.metric in self._limit_metrics:
                self._limits[sample.series_key()] = sample.value
        touched: dict[str, datetime] = {}
        for sample in batch:
            for rule, index in self._by_metric.get(sample.metric, ()):
                inner = rule.conditions[index].series
                if inner is None or any(sample.labels.get(k) != v for k, v in inner.match.items()):
                    continue
                labels = self._enrich(sample.labels)
                obj = _render_object(rule, labels)
                if obj is None:
                    continue
                track = self._track(rule, obj, labels)
                series, limit = self._series_and_limit(inner, sample)
                track.sample(index, series, sample.value, labels, sample.ts, limit)
                key = alert_key(rule.name, obj)
                touched[key] = max(touched.get(key, sample.ts), sample.ts)
        return self._step(touched)

    def observe_states(self, changes: Iterable[StateChange]) -> list[Transition]:
        touched: dict[str, datetime] = {}
        for change in changes:
            for rule in self._by_kind.get(change.object.kind, ()):
                labels = self._enrich(_object_labels(change.object))
                track = self._track(rule, change.object, labels)
                track.state_seen(change.new)
                key = alert_key(rule.name, change.object)
                touched[key] = max(touched.get(key, change.ts), change.ts)
        return self._step(touched)

    def tick(self, now: datetime) -> list[Transition]:
        """Handle every deadline at or before ``now``."""
        due: dict[str, datetime] = {}
        while self._heap and self._heap[0][0] <= now:
            deadline, _, key = heapq.heappop(self._heap)
            if self._scheduled.get(key) == deadline:
                del self._scheduled[key]
            due[key] = now
        return self._step(due)

    def next_deadline(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def _series_and_limit(
        self, inner: Threshold | EnumIn | Absent, sample: Sample
    ) -> tuple[str, float | None]:
        """The series identity (an enum's name label is its value, not its identity) and the
        threshold's limit from another metric, if it takes one."""
        if isinstance(inner, EnumIn):
            rest = {k: v for k, v in sample.labels.items() if k != inner.label}
            return series_key(sample.metric, rest), None
        if isinstance(inner, Threshold) and inner.value_metric is not None:
            limit = self._limits.get(series_key(inner.value_metric, sample.labels))
            return sample.series_key(), limit
        return sample.series_key(), None

    # --- internals ----------------------------------------------------------------------------

    def _step(self, touched: dict[str, datetime]) -> list[Transition]:
        out: list[Transition] = []
        for key, at in touched.items():
            track = self._tracks[key]
            old = track.step(at)
            if old is not None:
                out.append(Transition(alert=self._alert(key, track), old=old, at=at))
            deadline = track.deadline()
            queued = self._scheduled.get(key)
            # A later deadline waits behind the queued earlier one: that wake-up re-evaluates
            # the alert and queues the next deadline then (lazy, like a timer wheel).
            if deadline is not None and (queued is None or deadline < queued):
                heapq.heappush(self._heap, (deadline, next(self._seq), key))
                self._scheduled[key] = deadline
        return out

    def _track(self, rule: Rule, obj: ObjectRef, labels: dict[str, str]) -> Track:
        key = alert_key(rule.name, obj)
        track = self._tracks.get(key)
        if track is None:
            base = {**labels, **rule.labels, "alertname": rule.name, "object": str(obj)}
            site = self._topology.site_of(obj) or labels.get("site")
            if site:
                base["site"] = site
            base["severity"] = rule.severity.value
            track = self._tracks[key] = Track(rule=rule, labels=base)
            self._objects[key] = obj
        return track

    def _enrich(self, labels: dict[str, str]) -> dict[str, str]:
        if "site" in labels or "device" not in labels:
            return dict(labels)
        site = self._topology.site_of(ObjectRef(kind=ObjectKind.device, id=labels["device"]))
        return {**labels, "site": site} if site else dict(labels)

    def _alert(self, key: str, track: Track) -> Alert:
        rule, obj = track.rule, self._objects[key]
        labels = track.labels
        context = {
            "object": str(obj),
            "labels": labels,
            "value": track.value,
            "rule": rule.name,
            "site": labels.get("site", ""),
        }
        summary = {lang: render(getattr(rule.summary, lang), context) for lang in LANGUAGES}
        correlate = None
        if rule.correlate is not None:
            correlate = _format(rule.correlate, labels)
        return Alert(
            key=key,
            rule=rule.name,
            object=obj,
            state=track.state,
            severity=rule.severity,
            labels=labels,
            summary=summary,
            value=track.value,
            site=labels.get("site"),
            correlate=correlate,
            since=track.since,
            fired_at=track.fired_at,
            resolved_at=track.resolved_at,
        )


def _object_labels(obj: ObjectRef) -> dict[str, str]:
    if obj.kind is ObjectKind.device:
        return {"device": obj.id}
    if obj.kind is ObjectKind.interface:
        device, _, interface = obj.id.partition(":")
        return {"device": device, "interface": interface}
    return {obj.kind.value: obj.id}


def _format(template: str, labels: dict[str, str]) -> str | None:
    try:
        return template.format_map(labels)
    except (KeyError, ValueError, IndexError):
        return None


def _render_object(rule: Rule, labels: dict[str, str]) -> ObjectRef | None:
    text = _format(rule.object, labels)
    try:
        return ObjectRef.parse(text) if text is not None else None
    except ValueError:
        return None
