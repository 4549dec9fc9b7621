"""Live state on the graph: what answers, which links are down, what is in maintenance.

Fed by the collectors' state changes (``apply``) or directly (``observe``, ``set_link``,
``set_maintenance``, ``set_source``, ``set_power_fault``); answers device states with their
root causes, ring states, and the impact of what has failed right now. The classification is
cached until the next input that changes something.
"""

from __future__ import annotations

from collections.abc import Mapping

from noc.model import DeviceState, Inventory, LinkState, ObjectKind, StateChange
from topology.evaluate import Failures, power
from topology.graph import TopologyGraph
from topology.impact import impact
from topology.models import DeviceStatus, Impact, RingState
from topology.rootcause import Classification, classify

_SILENT = frozenset({DeviceState.down.value, DeviceState.unreachable.value})
_LINK_OUT = frozenset({LinkState.down.value, LinkState.maintenance.value})


class LiveTopology:
    def __init__(self, graph: TopologyGraph) -> None:
        self.graph = graph
        self.answered: list[bool | None] = [None] * graph.n
        self.maintenance: set[int] = set()
        self.links_down: set[int] = set()
        self.sources_down: set[int] = set()
        self.power_faults: set[int] = set()  # answer, but deliver no power (genset not started)
        self._cache: Classification | None = None
        self._last: Classification | None = None  # the latest, kept across inputs
        self._impact: Impact | None = None

    @classmethod
    def from_inventory(cls, inventory: Inventory) -> LiveTopology:
        return cls(TopologyGraph.from_inventory(inventory))

    # -- inputs: each returns whether it changed anything --

    def observe(self, device: str, answered: bool | None) -> bool:
        d = self.graph.index.get(device)
        if d is None or self.answered[d] is answered:
            return False
        self.answered[d] = answered
        return self._dirty()

    def set_maintenance(self, device: str, on: bool) -> bool:
        d = self.graph.index.get(device)
        if d is None or (d in self.maintenance) == on:
            return False
        (self.maintenance.add if on else self.maintenance.discard)(d)
        return self._dirty()

    def set_link(self, link: str, state: LinkState | str) -> bool:
        li = self.graph.link_index.get(link)
        if li is None:
            return False
        out = str(state) in _LINK_OUT
        if (li in self.links_down) == out:
            return False
        (self.links_down.add if out else self.links_down.discard)(li)
        return self._dirty()

    def set_source(self, source: str, up: bool) -> bool:
        """A utility feed (``power.sources``) failed or came back."""
        s = self.graph.source_index.get(source)
        if s is None or (s not in self.sources_down) == up:
            return False
        (self.sources_down.discard if up else self.sources_down.add)(s)
        return self._dirty()

    def set_power_fault(self, device: str, failed: bool) -> bool:
        """A power device that still answers but delivers no power (a genset that did not
        start, a UPS with its output off), or that works again."""
        d = self.graph.index.get(device)
        if d is None or (d in self.power_faults) == failed:
            return False
        (self.power_faults.add if failed else self.power_faults.discard)(d)
        return self._dirty()

    def apply(self, change: StateChange) -> bool:
        """Take a collector's state change of a device or a link into account."""
        ref, new = change.object, change.new
        if ref.kind is ObjectKind.device:
            changed = self.set_maintenance(ref.id, new == DeviceState.maintenance.value)
            if new == DeviceState.up.value:
                changed |= self.observe(ref.id, True)
            elif new in _SILENT:
                changed |= self.observe(ref.id, False)
            elif new == DeviceState.unknown.value:
                changed |= self.observe(ref.id, None)
            return changed
        if ref.kind is ObjectKind.link:
            return self.set_link(ref.id, new)
        return False

    def load(self, devices: Mapping[str, str], links: Mapping[str, str] | None = None) -> None:
        """Set recorded states at once (``device -> up/down/...``, ``link -> up/down/...``)."""
        for dev, state in devices.items():
            self.set_maintenance(dev, state == DeviceState.maintenance.value)
            if state == DeviceState.up.value:
                self.observe(dev, True)
            elif state in _SILENT:
                self.observe(dev, False)
        for link, state in (links or {}).items():
            self.set_link(link, state)

    def _dirty(self) -> bool:
        self._cache = None
        self._impact = None
        return True

    # -- answers --

    def classification(self) -> Classification:
        if self._cache is None:
            c = classify(self.graph, self.answered, self.maintenance, self.links_down)
            held = self._still_down(c)
            if held:
                c = classify(self.graph, self.answered, self.maintenance, self.links_down, held)
            self._cache = self._last = c
        return self._cache

    def _still_down(self, c: Classification) -> set[int]:
        """Devices known down that ``c`` would now call unreachable behind their own links only.

        A dead device takes its links down with it: its neighbours report their ports to it
        down, and what hangs below it falls silent too, which takes away the answer that had
        proven the path to it. Nothing new explains its silence, so it stays down (the root
        cause) instead of turning unreachable with its own links as the cause. A failure
        elsewhere (a device down, a link not its own) re-judges it as before.
        """
        last = self._last
        if last is None:
            return set()
        held: set[int] = set()
        for d, s in enumerate(c.states):
            if s is not DeviceState.unreachable or last.states[d] is not DeviceState.down:
                continue
            own = {f"link:{self.graph.links[li]}" for _, li in self.graph.adjacency[d]}
            if c.roots[d] and set(c.roots[d]) <= own:
                held.add(d)
        return held

    def state(self, device: str) -> DeviceState:
        d = self.graph.index.get(device)
        return DeviceState.unknown if d is None else self.classification().states[d]

    def root_causes(self, device: str) -> list[str]:
        d = self.graph.index.get(device)
        return [] if d is None else list(self.classification().roots[d])

    def statuses(self) -> list[DeviceStatus]:
        c = self.classification()
        return [
            DeviceStatus(
                device=dev,
                state=c.states[i].value,
                root_causes=c.roots[i]
                or (self.power_causes(dev) if c.states[i] is DeviceState.down else []),
            )
            for i, dev in enumerate(self.graph.devices)
        ]

    def failures(self) -> Failures:
        """What has failed now: devices down or silent in maintenance, links and feeds down."""
        c = self.classification()
        devices = {
            d
            for d, s in enumerate(c.states)
            if s is DeviceState.down or (s is DeviceState.maintenance and not self.answered[d])
        }
        return Failures(
            frozenset(devices | self.power_faults),
            frozenset(self.links_down),
            frozenset(self.sources_down),
        )

    def power_causes(self, device: str) -> list[str]:
        """For a device without power now: the failed power elements upstream of it."""
        d = self.graph.index.get(device)
        if d is None:
            return []
        now = self.failures()  # as if the device itself were fine: is it fed?
        failures = Failures(now.devices - {d}, now.links, now.sources)
        working = power(self.graph, failures)
        if working[d]:
            return []
        found: set[str] = set()
        seen: set[int] = set()
        todo = [d]
        while todo:
            x = todo.pop()
            for is_source, j in self.graph.feeds[x]:
                if is_source:
                    if j in failures.sources:
                        found.add(f"source:{self.graph.sources[j]}")
                elif j in failures.devices:
                    found.add(self.graph.devices[j])
                elif not working[j] and j not in seen:
                    seen.add(j)
                    todo.append(j)
        return sorted(found)

    def impact(self) -> Impact:
        if self._impact is None:
            self._impact = impact(self.graph, self.failures())
        return self._impact

    def rings(self) -> list[RingState]:
        return list(self.impact().rings)
