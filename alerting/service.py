"""The alerting service: the engine, mute stages, incidents and dispatch, fed by the runtime.

Entry points for the composition root:

- ``await service.on_samples(samples)`` and ``await service.on_states(changes)`` for every
  observation (evaluation happens right there, not on a global tick);
- ``await service.start()`` runs one timer task that wakes at the next deadline (``for``,
  absence, end of flapping, group wait, retry) and ``await service.stop()`` ends it;
- ``await service.run_due()`` does what is due now (tests call it with a ManualClock).

Store calls are blocking, so each batch is handled in a worker thread, one batch at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from alerting.alert import Alert, AlertState, Transition
from alerting.dispatch import Dispatcher
from alerting.engine import AlertEngine
from alerting.escalation import Escalator
from alerting.feed import FeedHub
from alerting.incidents import IncidentManager
from alerting.journal import AlertRecord, Journal
from alerting.links import LinkStates
from alerting.mute import Mute, MuteKind, MuteStages
from noc.clock import Clock
from noc.errors import NocError
from noc.model.observations import Sample, StateChange

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], object]
MAX_SLEEP_SECONDS = 30.0
RECHECK_MUTES = timedelta(seconds=15)  # how often ended silences and windows are noticed
MIN_SLEEP_SECONDS = 0.005  # a deadline in the past never makes the timer spin


class AlertingService:
    def __init__(
        self,
        engine: AlertEngine,
        stages: MuteStages,
        incidents: IncidentManager,
        dispatcher: Dispatcher,
        journal: Journal,
        clock: Clock,
        escalator: Escalator | None = None,
    ) -> None:
        self.engine = engine
        self.stages = stages
        self.incidents = incidents
        self.dispatcher = dispatcher
        self.journal = journal
        self._clock = clock
        self.escalator = escalator
        self._escalation_due: datetime | None = None
        self._recheck_at: datetime | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listeners: list[Listener] = []
        self.feed = FeedHub()
        # Which links are down, for ring alerts' anchors (None: the inventory is unknown).
        self.links: LinkStates | None = None

    def subscribe(self, listener: Listener) -> None:
        """``listener(kind, data)`` for every alert and incident change (the wall's feed)."""
        self._listeners.append(listener)

    def restore(self) -> int:
        """Bring back the alerts that were active before a restart; return how many."""
        records = self.journal.alerts()
        active = [r.alert for r in records if r.alert.state.active]
        self.engine.restore(active)
        now = self._clock.now()
        for r in records:
            # Told nobody yet (the process stopped inside a group wait), or told it fires but
            # not that it resolved: queue it again; the group fingerprint stops a repeat.
            untold_firing = r.alert.state.active and not r.notified and r.mute is None
            untold_resolution = not r.alert.state.active and r.notified
            if untold_firing or untold_resolution:
                self.dispatcher.add(r.alert, r.incident_id, now, was_sent=r.notified)
        return len(active)

    async def on_samples(self, samples: Sequence[Sample]) -> None:
        async with self._lock:
            transitions = self.engine.observe_samples(samples)
            await self._handle(transitions)

    async def on_states(self, changes: Sequence[StateChange]) -> None:
        for c in changes:
            self._emit("state", c.model_dump(mode="json"))
        if self.links is not None:
            self.links.observe(changes)
        async with self._lock:
            transitions = self.engine.observe_states(changes)
            await self._handle(transitions)

    async def run_due(self) -> None:
        async with self._lock:
            now = self._clock.now()
            await self._handle(self.engine.tick(now))
            if self._recheck_at is None or now >= self._recheck_at:
                self._recheck_at = now + RECHECK_MUTES
                await asyncio.to_thread(self._unmute_ended, now)
            if self.escalator is not None:
                await asyncio.to_thread(self._escalate, now)
            self.dispatcher.flush_due(now)
            await self.dispatcher.deliver_due(now)

    def _unmute_ended(self, now: datetime) -> None:
        """A silence expired or a window ended while its alert still fires: tell people now."""
        for r in self.journal.alerts():
            mute = r.mute
            if mute is None or mute.kind is MuteKind.inhibition or not r.alert.state.active:
                continue
            still = self.stages.check(r.alert, now)
            if still is not None and still.kind is not MuteKind.inhibition:
                if still != mute:
                    self.journal.save_alert(r.model_copy(update={"mute": still}), now)
                continue
            self.journal.save_alert(r.model_copy(update={"mute": None}), now)
            self.dispatcher.add(r.alert, r.incident_id, now, was_sent=False)
            if r.incident_id is not None:
                text = f"{mute.ref} ended; {r.alert.key} still fires"
                self.incidents.note(r.incident_id, text, now)
                self.emit_incident(r.incident_id, "unmuted")

    def _escalate(self, now: datetime) -> None:
        assert self.escalator is not None
        for incident_id, step in self.escalator.run_due(now):
            self.emit_incident(incident_id, f"escalation step {step}")
        self._escalation_due = self.escalator.next_deadline(now)

    def next_deadline(self) -> datetime | None:
        candidates = (
            self.engine.next_deadline(),
            self.dispatcher.next_deadline(),
            self._escalation_due,
        )
        times = [t for t in candidates if t is not None]
        return min(times) if times else None

    async def _handle(self, transitions: list[Transition]) -> None:
        if transitions:
            await asyncio.to_thread(self._apply, transitions)
            self._wake.set()

    def _apply(self, transitions: list[Transition]) -> None:
        for t in transitions:
            self._apply_one(t, self.journal.alert(t.alert.key))
            self._emit("alert", {"alert": t.alert.model_dump(mode="json"), "old": t.old.value})

    def _apply_one(self, t: Transition, before: AlertRecord | None) -> AlertRecord:
        alert = t.alert
        current = before.incident_id if before is not None else None
        was_sent = before is not None and before.notified
        mute: Mute | None = before.mute if before is not None else None
        if alert.state.active and not t.old.active:
            mute = self.stages.check(alert, t.at)
            was_sent = False
        try:
            step = self.incidents.handle(t, mute, current)
        except NocError as err:  # the incident books failed: still tell people, and say so
            log.error(
                "%s is %s, but its incident was not recorded: %s", alert.key, alert.state.value, err
            )
            step = None
        incident_id = step.incident_id if step is not None else current
        if step is not None:
            self.emit_incident(step.incident_id, step.action)
        notify = mute is None and alert.state is not AlertState.pending
        if alert.state is AlertState.inactive:
            notify = False
        if notify or (was_sent and not alert.state.active):
            self.dispatcher.add(alert, incident_id, t.at, was_sent=was_sent)
        # A new episode starts untold; otherwise the dispatcher's flag is kept.
        record = AlertRecord(alert=alert, mute=mute, incident_id=incident_id, notified=was_sent)
        self.journal.save_alert(record, t.at)
        if mute is not None and alert.state.active and not t.old.active:
            log.info(
                "%s is %s, muted by %s: %s", alert.key, alert.state.value, mute.ref, mute.reason
            )
        return record

    def emit_incident(self, incident_id: int, action: str) -> None:
        """Tell the feed an incident changed (the API calls this after a person's action)."""
        try:
            incident = self.incidents.get(incident_id).model_dump(mode="json")
        except Exception:
            incident = {"id": incident_id}
        self._emit("incident", {"action": action, "incident": incident})

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        for listener in self._listeners:
            try:
                listener(kind, data)
            except Exception as err:  # a slow or broken listener must not stop alerting
                log.error("alerting listener failed: %s", type(err).__name__)

    # --- the timer ----------------------------------------------------------------------------

    async def start(self) -> None:
        self.feed.bind(asyncio.get_running_loop())
        await asyncio.to_thread(self.restore)
        self._task = asyncio.get_running_loop().create_task(self._timer(), name="alerting-timer")

    def close(self) -> None:
        """Close the journal (after ``stop``)."""
        self.journal.close()

    async def stop(self) -> None:
        task, self._task = self._task, None
        for _ in range(100):  # bounded; cancel again should any await have swallowed it
            if task is None or task.done():
                break
            task.cancel()
            await asyncio.wait({task}, timeout=0.1)
        if task is not None and task.done() and not task.cancelled():
            with contextlib.suppress(Exception):
                task.result()

    async def _timer(self) -> None:
        while True:
            deadline = self.next_deadline()
            wait = MAX_SLEEP_SECONDS
            if deadline is not None:
                due_in = (deadline - self._clock.now()).total_seconds()
                wait = min(wait, max(due_in, MIN_SLEEP_SECONDS))
            self._wake.clear()
            # asyncio.wait, not wait_for: it never swallows our own cancellation (3.11).
            waiter = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({waiter}, timeout=wait)
            finally:
                waiter.cancel()
            try:
                await self.run_due()
            except Exception as err:
                log.error("alerting timer failed, trying again: %s", type(err).__name__)
                await asyncio.sleep(1.0)


def mute_reason(alert: Alert, mute: Mute | None) -> str:
    """A short text for lists: why this alert was not notified."""
    if mute is None:
        return ""
    label = {MuteKind.maintenance: "planned", MuteKind.silence: "silenced"}.get(
        mute.kind, "symptom"
    )
    return f"{label}: {mute.reason}"
