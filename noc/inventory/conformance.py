"""Warnings where the inventory departs from the city's network design (DESIGN.md)."""

from __future__ import annotations

from noc.inventory.partial import Ghosts
from noc.inventory.problems import Finding, Severity
from noc.model.base import format_bandwidth
from noc.model.devices import DeviceRole
from noc.model.inventory import Inventory
from noc.model.links import FIBER, LinkKind, Media
from noc.model.sites import SiteKind

BACKBONE_MIN_BPS = 10 * 10**9
DISTRIBUTION_MIN_BPS = 1 * 10**9
DUAL_FED_ROLES = frozenset(
    {
        DeviceRole.core_switch,
        DeviceRole.distribution_switch,
        DeviceRole.router,
        DeviceRole.firewall,
        DeviceRole.server,
    }
)


def _warn(path: tuple[str | int, ...], message: str) -> Finding:
    return Finding(path, message, Severity.warning)


def check_conformance(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    return _links(inv) + _core_pairs(inv) + _dual_power(inv, ghosts)


def _links(inv: Inventory) -> list[Finding]:
    out: list[Finding] = []
    devices = {d.id: d for d in inv.devices}
    for i, link in enumerate(inv.links):
        speed = format_bandwidth(link.capacity_bps)
        if link.kind is LinkKind.backbone and link.capacity_bps < BACKBONE_MIN_BPS:
            msg = f"a backbone link of {speed} is below the 10 Gbps the design asks for"
            out.append(_warn(("links", i, "capacity_bps"), msg))
        if link.kind is LinkKind.distribution and link.capacity_bps < DISTRIBUTION_MIN_BPS:
            msg = f"a distribution link of {speed} is below the 1 Gbps the design asks for"
            out.append(_warn(("links", i, "capacity_bps"), msg))
        if link.ring is not None and link.media not in FIBER:
            msg = f"ring {link.ring!r} runs over {link.media.value}; rings are fiber"
            out.append(_warn(("links", i, "media"), msg))
        elif link.kind is LinkKind.backbone and link.media is not Media.single_mode_fiber:
            msg = f"the backbone runs over {link.media.value}; the design asks single-mode fiber"
            out.append(_warn(("links", i, "media"), msg))
        for end_name, end in (("a", link.a), ("b", link.b)):
            dev = devices.get(end.device)
            iface = dev.interface(end.interface) if dev is not None else None
            if iface is not None and iface.speed is not None and iface.speed < link.capacity_bps:
                msg = (
                    f"the link capacity {speed} exceeds the {format_bandwidth(iface.speed)} "
                    f"of interface {end}"
                )
                out.append(_warn(("links", i, end_name), msg))
    return out


def _core_pairs(inv: Inventory) -> list[Finding]:
    out: list[Finding] = []
    dc_sites = {s.id for s in inv.sites if s.kind is SiteKind.data_center}
    roles = {d.id: d.role for d in inv.devices}
    cores = [d for d in inv.devices if d.role is DeviceRole.core_switch]
    for i, dev in enumerate(inv.devices):
        if dev.role is not DeviceRole.core_switch:
            continue
        peer = dev.redundant_peer
        if peer is not None:
            role = roles.get(peer)
            if role is not None and role is not DeviceRole.core_switch:
                msg = f"redundant peer {peer!r} is a {role.value}, not a core_switch"
                out.append(_warn(("devices", i, "redundant_peer"), msg))
            continue
        if not any(c.id != dev.id and c.site in dc_sites for c in cores):
            msg = (
                "a core switch without a redundant peer: add a second core_switch at the data "
                "center, or set redundant_peer"
            )
            out.append(_warn(("devices", i, "role"), msg))
    return out


def _dual_power(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    central = {s.id for s in inv.sites if s.kind in (SiteKind.data_center, SiteKind.drc)}
    for i, dev in enumerate(inv.devices):
        if dev.role not in DUAL_FED_ROLES or dev.site not in central or dev.id in ghosts.fed:
            continue
        if len(inv.feeds_to(dev.id)) == 1:
            msg = f"the {dev.role.value} has one power feed; the design asks for two (A and B)"
            out.append(_warn(("devices", i, "id"), msg))
    return out
