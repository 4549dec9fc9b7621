"""The simulated city: every device of the inventory, its ports, power and cooling, and faults.

:class:`LabCity` implements :class:`noc.lab.view.LabView`. It takes time from a Clock, so a
test drives it with a ManualClock. Faults are injected and cleared here; ``tick`` moves the
scheduled parts of a fault on (the genset starting, the ATS transferring) and every change a
real device would announce becomes a :class:`LabEvent` that the trap sender turns into traps.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from noc.clock import Clock
from noc.lab.faults import Fault, FaultError, parse_fault
from noc.lab.network import LinkSim, Port, build_network
from noc.lab.node import LabNode
from noc.lab.power import PowerModel
from noc.lab.thermal import ThermalModel
from noc.model import DeviceRole, Inventory

DEFAULT_GENSET_DELAY_S = 120.0
DEFAULT_TRANSFER_DELAY_S = 10.0
_UPS_LOAD_BASE = 0.30
_SELF_POWERED = frozenset({DeviceRole.ups, DeviceRole.ats, DeviceRole.genset})


@dataclass(frozen=True)
class LabEvent:
    """Something a device announces: link_down/up, cold_start, ups_on_battery, ..."""

    device: str
    kind: str
    at: float
    detail: dict[str, Any] = field(default_factory=dict)


class LabCity:
    def __init__(
        self,
        inventory: Inventory,
        clock: Clock,
        *,
        genset_delay_s: float = DEFAULT_GENSET_DELAY_S,
        transfer_delay_s: float = DEFAULT_TRANSFER_DELAY_S,
    ) -> None:
        self.inventory = inventory
        self.clock = clock
        self.genset_delay_s = genset_delay_s
        self.transfer_delay_s = transfer_delay_s
        self.lock = threading.RLock()
        self.version = 0
        t0 = self.now()
        offset = clock.now().astimezone(inventory.timezone_of("")).utcoffset()
        self.tz_offset_s = offset.total_seconds() if offset is not None else 0.0
        self.started_at = t0
        self.ports, self.links = build_network(inventory, t0, self.tz_offset_s)
        self.faults: dict[str, Fault] = {}
        self.events: deque[LabEvent] = deque(maxlen=10_000)
        self._down: set[str] = set()
        self.env_alarms: dict[str, set[str]] = {}  # room sensor -> "water-leak", "door-open"
        ups = [d.id for d in inventory.devices if d.role == DeviceRole.ups]
        self.power = PowerModel(t0, {u: _UPS_LOAD_BASE + 0.04 * (i % 3) for i, u in enumerate(ups)})
        hvac = [d.id for d in inventory.devices if d.role == DeviceRole.hvac]
        self.thermal = ThermalModel(hvac, t0, self.powered, self._power_breaks)
        self.nodes = {d.id: LabNode(self, d, t0) for d in inventory.devices}
        self._alive = {d: True for d in self.nodes}
        self._moments_done: set[tuple[float, str]] = set()
        self._reach: tuple[tuple[int, int], set[str]] | None = None

    # -- time --

    def now(self) -> float:
        return self.clock.now().timestamp()

    # -- LabView --

    def device(self, device_id: str) -> LabNode:
        return self.nodes[device_id]

    def devices(self) -> list[LabNode]:
        return list(self.nodes.values())

    # -- state queries --

    def powered(self, device_id: str, t: float) -> bool:
        """Whether the device has power (UPS, ATS and genset controllers have their own)."""
        feeds = self.inventory.feeds_to(device_id)
        node = self.nodes.get(device_id) if hasattr(self, "nodes") else None
        if not feeds or (node is not None and node.device.role in _SELF_POWERED):
            return True
        return any(self._source_live(f.from_, t) for f in feeds)

    def _source_live(self, source: str, t: float) -> bool:
        if source not in self.nodes:  # a utility feed (PLN)
            return self.power.mains_ok(t)
        role = self.nodes[source].device.role
        if source in self._down:
            return False
        if role == DeviceRole.genset:
            return self.power.genset_running(t)
        if role == DeviceRole.ats:
            return self.power.ats_source(t) is not None
        if role == DeviceRole.ups:
            return not (self.power.on_battery(t) and self.power.charge(source, t) <= 0.0)
        return self.powered(source, t)

    def _power_breaks(self, a: float, b: float) -> list[float]:
        return self.power._breaks(a, b)

    def alive(self, device_id: str, t: float) -> bool:
        return device_id not in self._down and self.powered(device_id, t)

    def link_up(self, sim: LinkSim, t: float) -> bool:
        a, b = sim.link.devices
        return not sim.admin_down and self.alive(a, t) and self.alive(b, t)

    def reachable(self, t: float) -> set[str]:
        """Devices the NOC can reach: from the live core switches over links that are up."""
        key = (self.version, int(t))
        if self._reach is None or self._reach[0] != key:
            self._reach = (key, self._reachable(t))
        return self._reach[1]

    def _reachable(self, t: float) -> set[str]:
        live = {d for d in self.nodes if self.alive(d, t)}
        seen = {d for d, n in self.nodes.items() if n.device.role == DeviceRole.core_switch}
        seen &= live
        todo = list(seen)
        while todo:
            here = todo.pop()
            for link in self.inventory.links_of(here):
                sim = self.links[link.id]
                far = link.other_end(here)
                if far and sim.up and far.device in live and far.device not in seen:
                    seen.add(far.device)
                    todo.append(far.device)
        changed = True
        while changed:  # devices without links hang off their depends_on
            changed = False
            for d, node in self.nodes.items():
                if d in seen or d not in live or self.inventory.links_of(d):
                    continue
                deps = node.device.depends_on
                if not deps or any(x in seen for x in deps):
                    seen.add(d)
                    changed = True
        return seen

    def port_link(self, port: Port) -> LinkSim | None:
        return None if port.link_id is None else self.links[port.link_id]

    # -- faults --

    def inject(self, kind: str, args: list[str]) -> Fault:
        target, params = parse_fault(kind, args)
        with self.lock:
            t = self.now()
            self._check_target(kind, target)
            fault = Fault(kind, target, t, params)
            if fault.id in self.faults:
                raise FaultError(f"fault {fault.id} is already active")
            self.faults[fault.id] = fault
            self._apply(fault, t, on=True)
            self.version += 1
            return fault

    def clear(self, fault_id: str | None = None) -> list[Fault]:
        """Clear one fault by id (``link-down:r1-2``, ``utility-fail``), or all (None)."""
        with self.lock:
            if fault_id is not None and fault_id not in self.faults:
                raise FaultError(
                    f"no active fault {fault_id!r}",
                    hint="see `noc lab status` for the active faults",
                )
            ids = [fault_id] if fault_id is not None else list(self.faults)
            t = self.now()
            cleared = [self.faults.pop(i) for i in ids]
            for fault in cleared:
                self._apply(fault, t, on=False)
            self.version += 1
            return cleared

    def _check_target(self, kind: str, target: str | None) -> None:
        if kind in ("link-down", "traffic-surge", "optic-degrade"):
            if target not in self.links:
                raise FaultError(f"no link {target!r} in the inventory")
            if kind == "optic-degrade" and not any(p.optic for p in self.links[target].ports):
                raise FaultError(f"link {target} has no optics (copper or servers only)")
        elif kind == "device-down" and target not in self.nodes:
            raise FaultError(f"no device {target!r} in the inventory")
        elif kind in ("water-leak", "door-open"):
            device = self.nodes.get(target or "")
            if device is None or device.device.role is not DeviceRole.env_sensor:
                sensors = [
                    d for d, n in self.nodes.items() if n.device.role is DeviceRole.env_sensor
                ]
                raise FaultError(
                    f"{target!r} is not a room sensor", hint="sensors: " + ", ".join(sensors)
                )
        elif kind == "hvac-fail" and target not in self.thermal.units:
            units = ", ".join(self.thermal.units) or "none"
            raise FaultError(f"{target!r} is not a cooling unit", hint=f"units: {units}")

    def _apply(self, fault: Fault, t: float, *, on: bool) -> None:
        kind, target = fault.kind, fault.target
        if kind == "utility-fail":
            if on:
                p = fault.params
                self.power.fail(
                    t,
                    p.get("genset_delay", self.genset_delay_s),
                    p.get("transfer_delay", self.transfer_delay_s),
                    p.get("genset_starts", True),
                )
                self.thermal.settle(t)
            was_on_battery = self.power.on_battery(t)
            if not on:
                self.thermal.settle(t)
                self.power.restore(t)
            if on or was_on_battery:
                for ups in self.power.ups_loads:
                    self._emit(ups, "ups_on_battery" if on else "ups_on_utility", t)
        elif kind == "hvac-fail" and target is not None:
            (self.thermal.fail if on else self.thermal.restore)(target, t)
        elif kind == "device-down" and target is not None:
            (self._down.add if on else self._down.discard)(target)
        elif kind in ("water-leak", "door-open") and target is not None:
            alarms = self.env_alarms.setdefault(target, set())
            (alarms.add if on else alarms.discard)(kind)
        elif target is not None:
            sim = self.links[target]
            if kind == "link-down":
                sim.admin_down = on
            elif kind == "traffic-surge":
                sim.surge = float(fault.params["ratio"]) if on else 1.0
            elif kind == "optic-degrade":
                sim.degraded = on
                for port in sim.ports:
                    if port.optic is not None:
                        self._emit(
                            port.device, "optic_low" if on else "optic_ok", t, ifindex=port.index
                        )
        self._sync(t, force=True)

    # -- time passing --

    def tick(self) -> list[LabEvent]:
        """Move scheduled changes on to now; return (and queue) the events they caused."""
        with self.lock:
            t = self.now()
            before = len(self.events)
            for when, what in self.power.moments():
                if when <= t and (when, what) not in self._moments_done:
                    self._moments_done.add((when, what))
                    self.version += 1
                    if what == "ats_transfer":
                        for ups in self.power.ups_loads:
                            self._emit(ups, "ups_on_utility", when)
                    for d in self.nodes.values():
                        if d.device.role in (DeviceRole.genset, DeviceRole.ats):
                            self._emit(d.device.id, what, when)
            self._sync(t)
            return list(self.events)[before:] if len(self.events) >= before else []

    def _sync(self, t: float, force: bool = False) -> None:
        for device_id, was in self._alive.items():
            now_alive = self.alive(device_id, t)
            if now_alive != was:
                self._alive[device_id] = now_alive
                self.version += 1
                if now_alive:
                    self.nodes[device_id].reboot(t)
                    self._emit(device_id, "cold_start", t)
        for sim in self.links.values():
            up = self.link_up(sim, t)
            if sim.refresh(t, up) if (force or up != sim.up) else False:
                self.version += 1
                for port in sim.ports:
                    if self.alive(port.device, t):
                        self._emit(
                            port.device, "link_up" if up else "link_down", t, ifindex=port.index
                        )

    def _emit(self, device: str, kind: str, t: float, **detail: Any) -> None:
        self.events.append(LabEvent(device, kind, t, detail))

    def drain_events(self) -> list[LabEvent]:
        with self.lock:
            out = list(self.events)
            self.events.clear()
            return out

    def status(self) -> dict[str, Any]:
        with self.lock:
            t = self.now()
            reach = self.reachable(t)
            return {
                "started_at": datetime.fromtimestamp(self.started_at).astimezone().isoformat(),
                "devices": len(self.nodes),
                "answering": sum(1 for d in self.nodes if d in reach),
                "silent": sorted(d for d in self.nodes if d not in reach),
                "links_down": sorted(k for k, s in self.links.items() if not s.up),
                "faults": [f.as_dict() for f in self.faults.values()],
            }
