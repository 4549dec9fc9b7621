"""Link and ring states from what devices say about their ports.

Every ``if_oper_status`` sample (polled, or at once from a linkDown/linkUp trap) is mapped to
the inventory link on that port. A link is down when either end says its port is down, up
when an end says up and none says down. Link changes go to the live topology, which may
move devices (unreachable behind a cut) and rings (intact -> degraded -> split); all of it
comes back as state changes for the event store and alerting.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from noc.model import Inventory, LinkState, ObjectKind, ObjectRef, Sample, StateChange
from topology.ports import LinkPorts
from topology.tracker import GraphReachabilityTracker

STATUS_METRIC = "if_oper_status"
_DOWN = frozenset({"down", "lowerLayerDown", "lower_layer_down", "notPresent", "not_present"})


class LinkStateTracker:
    def __init__(self, inventory: Inventory, devices: GraphReachabilityTracker) -> None:
        self._devices = devices
        self._ports = LinkPorts(inventory)
        self._port_says: dict[tuple[str, str], bool] = {}  # (link, device) -> port up?
        self._links: dict[str, LinkState] = {}
        self._if_names: dict[tuple[str, str], str] = {}  # (device, ifIndex) -> ifName
        self._rings = {r.ring: r.status.value for r in devices.live.rings()}

    def link_for(self, sample: Sample) -> str | None:
        """The inventory link on the port a status sample speaks of (by ifName, or by the
        ifIndex a poll has named before: traps often carry only the index)."""
        device = sample.labels.get("device", "")
        name = sample.labels.get("interface")
        index = sample.labels.get("if_index")
        if name and index:
            self._if_names[(device, index)] = name
        elif index:
            name = self._if_names.get((device, index))
        return self._ports.link_of(device, name) if name else None

    def link_state(self, link: str) -> LinkState:
        return self._links.get(link, LinkState.unknown)

    def observe(self, samples: Iterable[Sample], ts: datetime) -> list[StateChange]:
        touched: list[str] = []
        for s in samples:
            if s.metric != STATUS_METRIC or "state" not in s.labels:
                continue
            device = s.labels.get("device", "")
            link = self.link_for(s)
            if link is None:
                continue
            self._port_says[(link, device)] = s.labels["state"] not in _DOWN
            touched.append(link)
        changes: list[StateChange] = []
        for link in dict.fromkeys(touched):
            changes += self._update(link, ts)
        return changes + self.ring_changes(ts) if changes else changes

    def _update(self, link: str, ts: datetime) -> list[StateChange]:
        ends = [up for (lk, _dev), up in self._port_says.items() if lk == link]
        new = LinkState.down if not all(ends) else LinkState.up
        old = self._links.get(link, LinkState.unknown)
        if new is old:
            return []
        self._links[link] = new
        cause = "a port of the link reports down" if new is LinkState.down else ""
        own = StateChange(
            object=ObjectRef(kind=ObjectKind.link, id=link),
            old=old.value,
            new=new.value,
            ts=ts,
            cause=cause,
        )
        if old is LinkState.unknown and new is LinkState.up:
            return [own]  # first word about a healthy link: nothing moves in the topology
        return [own, *self._devices.observe_link(link, new, ts, cause)]

    def ring_changes(self, ts: datetime) -> list[StateChange]:
        """Rings whose state moved since last asked (after link or device changes)."""
        out = []
        for ring in self._devices.live.rings():
            new, old = ring.status.value, self._rings.get(ring.ring, "intact")
            if new != old:
                self._rings[ring.ring] = new
                out.append(
                    StateChange(
                        object=ObjectRef(kind=ObjectKind.ring, id=ring.ring),
                        old=old,
                        new=new,
                        ts=ts,
                        cause=ring.message,
                    )
                )
        return out
