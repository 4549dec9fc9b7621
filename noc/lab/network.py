"""The lab's ports and links: counters, optics and LLDP neighbours, built from the inventory."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from noc.lab.traffic import Curve, FlowCounter, LinearCounter, surge_factor
from noc.model import Device, Inventory, Link, LinkKind
from noc.model.links import FIBER, Media

OPTIC_ROLES = frozenset(
    {"core_switch", "distribution_switch", "access_switch", "router", "firewall"}
)
# Utilisation ranges (mean of the daily curve) by link kind; a few links run busier.
_UTIL = {
    LinkKind.backbone: (0.12, 0.22),
    LinkKind.distribution: (0.10, 0.25),
    LinkKind.access: (0.05, 0.30),
    LinkKind.wan: (0.20, 0.40),
}
_BUSY = (0.30, 0.38)
NO_LIGHT_DBM = -40.0
OPTIC_ERRORS_PER_S = 25.0
DEFAULT_SPEED = 1_000_000_000


@dataclass(frozen=True)
class OpticProfile:
    name: str
    tx_dbm: float
    rx_high_alarm: float
    rx_high_warning: float
    rx_low_warning: float
    rx_low_alarm: float


LR = OpticProfile("10GBASE-LR", -2.2, 2.5, 0.5, -14.4, -18.4)
SR = OpticProfile("10GBASE-SR", -2.5, 2.0, -1.0, -9.9, -11.9)


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def _unit(*parts: str) -> float:
    """A deterministic number in [0, 1) from a few strings."""
    return _digest(*parts) / 2**64


@dataclass
class Port:
    """One interface of one device, as the lab keeps it."""

    device: str
    index: int
    name: str
    description: str
    speed_bps: int
    link_id: str | None
    rx: FlowCounter  # octets received by this port
    tx: FlowCounter  # octets sent
    errors: LinearCounter
    optic: OpticProfile | None = None
    rx_offset_db: float = 0.0
    optic_temperature_c: float = 35.0
    bias_ma: float = 7.0
    changed_at: float = 0.0  # epoch seconds of the last oper status change


@dataclass
class LinkSim:
    link: Link
    ab: FlowCounter  # a -> b octets
    ba: FlowCounter
    a_errors: LinearCounter  # errors seen by the receiver at a / b
    b_errors: LinearCounter
    admin_down: bool = False
    surge: float = 1.0
    degraded: bool = False
    up: bool = True
    changed_at: float = 0.0
    ports: list[Port] = field(default_factory=list)

    def refresh(self, t: float, up: bool) -> bool:
        """Set the rates for the current faults; True when the oper state changed."""
        changed = up != self.up
        self.up = up
        for counter in (self.ab, self.ba):
            counter.rebase(t, surge_factor(counter.curve, self.surge) if up else 0.0)
        err = OPTIC_ERRORS_PER_S if (up and self.degraded) else 0.0
        self.a_errors.rebase(t, err)
        self.b_errors.rebase(t, err)
        if changed:
            self.changed_at = t
            for port in self.ports:
                port.changed_at = t
        return changed


def rx_power(port: Port, link: LinkSim | None, t: float) -> float | None:
    if port.optic is None:
        return None
    if link is None or not link.up:
        return NO_LIGHT_DBM
    if link.degraded:
        return round(port.optic.rx_low_warning - 1.1 + 0.1 * math.sin(t / 97.0), 2)
    loss = 0.35 * (link.link.length_km or 0.5) + 0.8
    value = port.optic.tx_dbm - loss + port.rx_offset_db + 0.05 * math.sin(t / 131.0)
    return round(max(-7.5, min(-3.0, value)), 2)


def build_network(
    inventory: Inventory, t0: float, tz_offset_s: float
) -> tuple[dict[str, list[Port]], dict[str, LinkSim]]:
    """Ports per device (ifIndex in inventory order) and link simulations per link id."""
    ends: dict[tuple[str, str], tuple[Link, str]] = {}
    for link in inventory.links:
        ends[(link.a.device, link.a.interface)] = (link, "a")
        ends[(link.b.device, link.b.interface)] = (link, "b")
    links: dict[str, LinkSim] = {}
    for link in inventory.links:
        low, high = _BUSY if _unit("busy", link.id) < 0.15 else _UTIL[link.kind]
        links[link.id] = LinkSim(
            link=link,
            ab=FlowCounter(
                Curve.seeded(f"{link.id}>", low, high, tz_offset_s),
                link.capacity_bps,
                _start(link.id, "ab"),
                t0,
            ),
            ba=FlowCounter(
                Curve.seeded(f"{link.id}<", low * 0.7, high * 0.8, tz_offset_s),
                link.capacity_bps,
                _start(link.id, "ba"),
                t0,
            ),
            a_errors=LinearCounter(_digest(link.id, "ea") % 40, t0),
            b_errors=LinearCounter(_digest(link.id, "eb") % 40, t0),
        )
    ports: dict[str, list[Port]] = {}
    for device in inventory.devices:
        ports[device.id] = [
            _port(device, i, ends.get((device.id, iface.name)), links, t0, tz_offset_s)
            for i, iface in enumerate(device.interfaces, start=1)
        ]
        for port in ports[device.id]:
            if port.link_id is not None:
                links[port.link_id].ports.append(port)
    return ports, links


def _start(*parts: str) -> int:
    return 10**11 + _digest("start", *parts) % 10**13


def _port(
    device: Device,
    index: int,
    end: tuple[Link, str] | None,
    links: dict[str, LinkSim],
    t0: float,
    tz_offset_s: float,
) -> Port:
    iface = device.interfaces[index - 1]
    key = f"{device.id}:{iface.name}"
    if end is None and device.role.value not in OPTIC_ROLES:
        # a management card (UPS, PDU, CRAC, sensor, server NIC without a link): a trickle
        speed = iface.speed or 100_000_000
        low, high, start = 2e-6, 2e-5, 10**6 + _digest(key) % 10**9
        curve_in = Curve.seeded(key + "<", low, high, tz_offset_s)
        curve_out = Curve.seeded(key + ">", low, high, tz_offset_s)
        return Port(
            device.id,
            index,
            iface.name,
            iface.description,
            speed,
            None,
            FlowCounter(curve_in, speed, start, t0),
            FlowCounter(curve_out, speed, start // 2, t0),
            LinearCounter(0, t0),
        )
    if end is None:  # an edge port: users behind it, no far end in the inventory
        speed = iface.speed or DEFAULT_SPEED
        curve_in = Curve.seeded(key + "<", 0.03, 0.2, tz_offset_s)
        curve_out = Curve.seeded(key + ">", 0.05, 0.3, tz_offset_s)
        return Port(
            device.id,
            index,
            iface.name,
            iface.description,
            speed,
            None,
            FlowCounter(curve_in, speed, _start(key, "in"), t0),
            FlowCounter(curve_out, speed, _start(key, "out"), t0),
            LinearCounter(_digest(key) % 20, t0),
        )
    link, side = end
    sim = links[link.id]
    rx, tx = (sim.ba, sim.ab) if side == "a" else (sim.ab, sim.ba)
    optic = None
    if link.media in FIBER and device.role.value in OPTIC_ROLES:
        optic = LR if link.media == Media.single_mode_fiber else SR
    return Port(
        device.id,
        index,
        iface.name,
        iface.description or f"ke {link.other_end(device.id)}",
        iface.speed or link.capacity_bps,
        link.id,
        rx,
        tx,
        sim.a_errors if side == "a" else sim.b_errors,
        optic,
        rx_offset_db=(_unit(key, "rx") - 0.5),
        optic_temperature_c=round(31.0 + 8 * _unit(key, "temp"), 1),
        bias_ma=round(6.0 + 2 * _unit(key, "bias"), 2),
    )
