"""A drop-in for :class:`~topology.reachability.ReachabilityTracker` that knows the graph.

Same API (``observe``, ``state``, ``states``, ``restore``, ``root_causes``), but root cause is
worked out over links and redundant paths, not ``depends_on`` alone: one core down with the
other up leaves the districts up; a ring cut in one place leaves every district up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from noc.model import DeviceState, Inventory, LinkState, ObjectKind, ObjectRef, StateChange
from topology.graph import TopologyGraph
from topology.live import LiveTopology
from topology.reachability import ReachabilityTracker


class GraphReachabilityTracker(ReachabilityTracker):
    def __init__(self, graph: TopologyGraph) -> None:
        super().__init__({})
        self.live = LiveTopology(graph)
        self._state = dict.fromkeys(graph.devices, DeviceState.unknown)

    @classmethod
    def from_inventory(cls, inventory: Inventory) -> GraphReachabilityTracker:
        return cls(TopologyGraph.from_inventory(inventory))

    def restore(self, states: Mapping[str, DeviceState]) -> None:
        for dev, st in states.items():
            if dev not in self._state:
                continue
            self._state[dev] = st
            if st is DeviceState.maintenance:
                self.live.set_maintenance(dev, True)
            elif st is DeviceState.up:
                self.live.observe(dev, True)
            elif st in (DeviceState.down, DeviceState.unreachable):
                self.live.observe(dev, False)

    def observe(
        self, device: str, answered: bool, ts: datetime, cause: str = ""
    ) -> list[StateChange]:
        if device not in self._state:
            return []
        if not self.live.observe(device, answered):
            return []
        return self._changes(ts, device, cause)

    def observe_link(
        self, link: str, state: LinkState, ts: datetime, cause: str = ""
    ) -> list[StateChange]:
        """A link went down or came back: devices behind it may change state."""
        if not self.live.set_link(link, state):
            return []
        return self._changes(ts, f"link:{link}", cause)

    def set_maintenance(self, device: str, on: bool, ts: datetime) -> list[StateChange]:
        if not self.live.set_maintenance(device, on):
            return []
        return self._changes(ts, device, "maintenance started" if on else "maintenance ended")

    def root_causes(self, device: str) -> list[str]:
        return self.live.root_causes(device)

    def _changes(self, ts: datetime, trigger: str, cause: str) -> list[StateChange]:
        c = self.live.classification()
        out: list[StateChange] = []
        for i, dev in enumerate(self.live.graph.devices):
            new, old = c.states[i], self._state[dev]
            if new is old:
                continue
            self._state[dev] = new
            if dev == trigger:
                why = cause
            elif new is DeviceState.unreachable:
                why = f"root cause upstream: {', '.join(c.roots[i]) or 'unknown'}"
            else:
                why = f"{trigger} changed"
            out.append(
                StateChange(
                    object=ObjectRef(kind=ObjectKind.device, id=dev),
                    old=old.value,
                    new=new.value,
                    ts=ts,
                    cause=why,
                )
            )
        if trigger in self._state:  # the trigger first, as the old tracker does
            out.sort(key=lambda ch: ch.object.id != trigger)
        return out
