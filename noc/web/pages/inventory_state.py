"""Current state of devices, links and services for the inventory pages.

While the collectors run, the live tracker answers (the same source as the wall and
``/api/v1/devices``: ``pipeline.snapshot()``, ``root_causes``, the link tracker and the live
topology's impact). When they do not run in this process, the last state recorded in the event
store is the truth: a page then shows what was last known, not a blanket "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from noc.api.inventory import PollHealth, _polls
from noc.model import DeviceState, LinkState, ObjectKind, ObjectRef
from noc.runtime import Runtime
from noc.store.events import StateChangeRecord
from topology.models import ServiceStatus
from topology.services import ServiceEvaluator

_DEVICE_OUT = frozenset({DeviceState.down.value, DeviceState.unreachable.value})
_LINK_OUT = frozenset({LinkState.down.value, LinkState.maintenance.value})


@dataclass(frozen=True)
class Recorded:
    """The last recorded change of an object: its state, since when, and why."""

    state: str
    since: datetime | None
    cause: str


class StateBook:
    """States read once per page (synchronous: call it off the event loop)."""

    def __init__(self, runtime: Runtime, now: datetime) -> None:
        self.runtime = runtime
        self.now = now
        pipeline = runtime.pipeline
        self._live: dict[str, Any] | None = pipeline.snapshot() if pipeline is not None else None
        self._recorded: dict[str, StateChangeRecord | None] = {}

    def recorded(self, ref: ObjectRef) -> Recorded:
        key = str(ref)
        if key not in self._recorded:
            self._recorded[key] = self.runtime.events.state_changes.state_at(ref, self.now)
        rec = self._recorded[key]
        if rec is None:
            return Recorded("unknown", None, "")
        return Recorded(rec.new, rec.ts, rec.cause)

    def device(self, device_id: str) -> str:
        if self._live is not None:
            return str(self._live.get(device_id, DeviceState.unknown.value))
        return self.recorded(ObjectRef(kind=ObjectKind.device, id=device_id)).state

    def root_causes(self, device_id: str) -> list[str]:
        """The devices (or feeds) whose failure explains this one's, when the tracker runs."""
        pipeline = self.runtime.pipeline
        if pipeline is not None:
            roots = pipeline.root_causes(device_id)
            if roots:
                return roots
        topo = self.runtime.topology
        if topo is not None and self.device(device_id) == DeviceState.down.value:
            return topo.power_causes(device_id)
        return []

    def polls(self, device_id: str) -> list[PollHealth]:
        return _polls(self.runtime, device_id)

    def facts(self, device_id: str) -> dict[str, Any] | None:
        pipeline = self.runtime.pipeline
        return None if pipeline is None else pipeline.facts.get(device_id)

    def link(self, link_id: str) -> str:
        pipeline = self.runtime.pipeline
        if pipeline is not None and pipeline.link_states is not None:
            tracker = pipeline.link_states
            state = getattr(tracker, "link_state", None)
            if callable(state):
                return str(state(link_id))
        return self.recorded(ObjectRef(kind=ObjectKind.link, id=link_id)).state

    def service(self, service_id: str) -> tuple[str, list[str]]:
        """(up | degraded | down, the components that are not up)."""
        topo = self.runtime.topology
        if topo is not None:
            impact = topo.impact()
            for group in (impact.services_down, impact.services_degraded):
                for s in group:
                    if s.service == service_id:
                        return str(s.status.value), list(s.components_down)
            return ServiceStatus.up.value, []
        evaluator = ServiceEvaluator(list(self.runtime.inventory.services), self._component_up)
        status, bad = evaluator.status(service_id)
        return str(status.value), bad

    def component(self, ref: ObjectRef) -> str:
        if ref.kind is ObjectKind.device:
            return self.device(ref.id)
        if ref.kind is ObjectKind.link:
            return self.link(ref.id)
        if ref.kind is ObjectKind.service:
            return self.service(ref.id)[0]
        return self.recorded(ref).state

    def _component_up(self, ref: ObjectRef) -> bool:
        if ref.kind is ObjectKind.device:
            return self.device(ref.id) not in _DEVICE_OUT
        if ref.kind is ObjectKind.link:
            return self.link(ref.id) not in _LINK_OUT
        return True
