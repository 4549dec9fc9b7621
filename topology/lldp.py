"""Cabling as documented (inventory links) against cabling as seen (LLDP/CDP neighbors).

Reports links seen but not in the inventory, inventory links not seen, and links cabled to
another port than documented. A neighbor's ``remote_system`` is matched to a device by id,
name, host name (case and domain ignored) or management address; interface names match across
abbreviations (``Te1/0/1`` is ``TenGigabitEthernet1/0/1``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from noc.model import Device, Inventory, Link, Neighbor
from topology.models import LinkMismatch, Reconciliation

_SPLIT = re.compile(r"^([a-z-]*?)-?(\d.*)?$")
_ABBREVIATIONS = {
    "xge": "xgigabitethernet",
    "ge": "gigabitethernet",
    "40ge": "fortygigabitethernet",
    "100ge": "hundredgigabitethernet",
    "eth": "ethernet",
    "et": "ethernet",
}


def interface_key(name: str) -> tuple[str, str]:
    """(type, number) in a comparable form: ``Te1/0/1`` -> ``("te", "1/0/1")``."""
    text = name.strip().lower().replace(" ", "")
    m = _SPLIT.match(text)
    if not m:
        return text, ""
    kind, num = m.group(1) or "", m.group(2) or ""
    return _ABBREVIATIONS.get(kind, kind), num


def same_interface(a: str, b: str) -> bool:
    (ka, na), (kb, nb) = interface_key(a), interface_key(b)
    if na != nb:
        return False
    return ka == kb or (bool(ka) and bool(kb) and (ka.startswith(kb) or kb.startswith(ka)))


def _host(text: str) -> str:
    return text.strip().lower().split(".")[0]


class DeviceMatcher:
    def __init__(self, devices: Iterable[Device]) -> None:
        self._exact: dict[str, str] = {}
        self._loose: dict[str, str] = {}
        self._address: dict[str, str] = {}
        for d in devices:
            self._exact.setdefault(d.id, d.id)
            self._exact.setdefault(d.name, d.id)
            self._loose.setdefault(_host(d.id), d.id)
            self._loose.setdefault(d.name.strip().lower(), d.id)
            self._address[str(d.address)] = d.id

    def match(self, system: str, address: str | None = None) -> str | None:
        found = self._exact.get(system.strip()) or self._loose.get(system.strip().lower())
        found = found or self._loose.get(_host(system))
        if found is None and address:
            found = self._address.get(address.strip())
        return found


def reconcile(inv: Inventory, neighbors: Iterable[Neighbor]) -> Reconciliation:
    matcher = DeviceMatcher(inv.devices)
    ends: dict[str, list[tuple[str, Link]]] = {}  # device -> [(its interface, link)]
    for link in inv.links:
        ends.setdefault(link.a.device, []).append((link.a.interface, link))
        ends.setdefault(link.b.device, []).append((link.b.interface, link))
    confirmed: set[str] = set()
    flagged: set[str] = set()
    reporting: set[str] = set()
    extra: dict[frozenset[tuple[str, tuple[str, str]]], LinkMismatch] = {}
    wrong: dict[tuple[str, str], LinkMismatch] = {}
    unknown: list[LinkMismatch] = []
    for nb in neighbors:
        local = matcher.match(nb.local_device) or nb.local_device
        reporting.add(local)
        remote = matcher.match(nb.remote_system, nb.remote_address)
        seen = f"{remote or nb.remote_system}:{nb.remote_port or '?'}"
        if remote is None:
            unknown.append(
                LinkMismatch(
                    device=local,
                    interface=nb.local_interface,
                    seen=f"{nb.remote_system}:{nb.remote_port or '?'}",
                    message=f"{local}:{nb.local_interface} sees {nb.remote_system!r}, "
                    "which matches no device of the inventory",
                )
            )
            continue
        here = [k for i, k in ends.get(local, []) if same_interface(i, nb.local_interface)]
        if here:
            link = here[0]
            other = link.other_end(local)
            assert other is not None
            port_ok = not nb.remote_port or same_interface(other.interface, nb.remote_port)
            if other.device == remote and port_ok:
                confirmed.add(link.id)
                continue
            flagged.add(link.id)
            wrong[(local, nb.local_interface)] = LinkMismatch(
                link=link.id,
                device=local,
                interface=nb.local_interface,
                documented=str(other),
                seen=seen,
                message=f"{local}:{nb.local_interface} should face {other} (link {link.id}) "
                f"but sees {seen}",
            )
            continue
        between = [k for _, k in ends.get(local, []) if remote in k.devices and local in k.devices]
        if between:
            # several cables between the two (core pairs): the one whose far end matches
            link = next(
                (
                    k
                    for k in between
                    if nb.remote_port
                    and same_interface(k.other_end(local).interface, nb.remote_port)  # type: ignore[union-attr]
                ),
                between[0],
            )
            documented = next(e for e in (link.a, link.b) if e.device == local)
            flagged.add(link.id)
            wrong[(local, nb.local_interface)] = LinkMismatch(
                link=link.id,
                device=local,
                interface=nb.local_interface,
                documented=str(documented),
                seen=f"{local}:{nb.local_interface}",
                message=f"link {link.id} to {remote} is documented on {documented} but is "
                f"cabled to {local}:{nb.local_interface}",
            )
            continue
        key = frozenset(
            {(local, interface_key(nb.local_interface)), (remote, interface_key(nb.remote_port))}
        )
        extra.setdefault(
            key,
            LinkMismatch(
                device=local,
                interface=nb.local_interface,
                seen=seen,
                message=f"{local}:{nb.local_interface} -- {seen} is cabled but not in the "
                "inventory",
            ),
        )
    missing = [
        LinkMismatch(
            link=k.id,
            device=k.a.device,
            interface=k.a.interface,
            documented=str(k.b),
            message=f"link {k.id} ({k.a} -- {k.b}) is in the inventory but no neighbor "
            "protocol sees it",
        )
        for k in inv.links
        if k.id not in confirmed
        and k.id not in flagged
        and (k.a.device in reporting or k.b.device in reporting)
    ]
    return Reconciliation(
        seen_not_documented=list(extra.values()),
        documented_not_seen=missing,
        wrong_port=list(wrong.values()),
        unknown_neighbors=unknown,
        confirmed=sorted(confirmed),
    )
