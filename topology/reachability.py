"""Device state from reachability, with the depends_on rule for root cause.

A device that does not answer is ``down`` when everything it depends on is up, and
``unreachable`` when something upstream (transitively, over ``depends_on``) is not up: the
root cause is elsewhere. This is the first, inventory-only step of topology's root cause;
redundant paths (rings, core pairs) refine it in topology's graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from noc.model import DeviceState, ObjectKind, ObjectRef, StateChange


class ReachabilityTracker:
    def __init__(self, depends_on: Mapping[str, Sequence[str]]) -> None:
        self._depends_on = {d: tuple(ups) for d, ups in depends_on.items()}
        self._answered: dict[str, bool] = {}
        self._state: dict[str, DeviceState] = dict.fromkeys(self._depends_on, DeviceState.unknown)
        self._dependents: dict[str, list[str]] = {d: [] for d in self._depends_on}
        for dev, ups in self._depends_on.items():
            for up in ups:
                self._dependents.setdefault(up, []).append(dev)

    def state(self, device: str) -> DeviceState:
        return self._state.get(device, DeviceState.unknown)

    def states(self) -> dict[str, DeviceState]:
        return dict(self._state)

    def restore(self, states: Mapping[str, DeviceState]) -> None:
        """Resume from the last recorded states (e.g. after a restart) without new changes."""
        for dev, st in states.items():
            if dev in self._state:
                self._state[dev] = st

    def observe(
        self, device: str, answered: bool, ts: datetime, cause: str = ""
    ) -> list[StateChange]:
        """Record whether ``device`` answered; return every state change this implies."""
        self._answered[device] = answered
        changes: list[StateChange] = []
        for dev in self._affected(device):
            new = self._evaluate(dev)
            old = self._state.get(dev, DeviceState.unknown)
            if new is None or new == old:
                continue
            self._state[dev] = new
            why = cause if dev == device else f"upstream {device} is {self._state[device].value}"
            if new is DeviceState.unreachable:
                why = f"root cause upstream: {', '.join(self.root_causes(dev))}"
            changes.append(
                StateChange(
                    object=ObjectRef(kind=ObjectKind.device, id=dev),
                    old=old.value,
                    new=new.value,
                    ts=ts,
                    cause=why,
                )
            )
        return changes

    def root_causes(self, device: str) -> list[str]:
        """The nearest upstream devices that are down themselves (not merely unreachable)."""
        roots: list[str] = []
        seen: set[str] = set()
        stack = list(self._depends_on.get(device, ()))
        while stack:
            up = stack.pop()
            if up in seen:
                continue
            seen.add(up)
            if self._state.get(up) is DeviceState.down:
                roots.append(up)
            elif self._state.get(up) is not DeviceState.up:
                stack.extend(self._depends_on.get(up, ()))
        return sorted(roots)

    def _affected(self, device: str) -> Iterable[str]:
        """``device`` first, then everything downstream of it, breadth first."""
        order = [device]
        seen = {device}
        i = 0
        while i < len(order):
            for dep in self._dependents.get(order[i], ()):
                if dep not in seen:
                    seen.add(dep)
                    order.append(dep)
            i += 1
        return order

    def _evaluate(self, device: str) -> DeviceState | None:
        answered = self._answered.get(device)
        if answered is None:
            return None
        if answered:
            return DeviceState.up
        upstream = [
            self._state.get(u, DeviceState.unknown) for u in self._depends_on.get(device, ())
        ]
        if any(s in (DeviceState.down, DeviceState.unreachable) for s in upstream):
            return DeviceState.unreachable
        return DeviceState.down
