"""Cross-references: unique ids, and every name that points somewhere points at something."""

from __future__ import annotations

from noc.inventory.partial import Ghosts
from noc.inventory.problems import Finding
from noc.model.credentials import SshCredentials
from noc.model.inventory import Inventory
from noc.model.observations import ObjectKind


def check_references(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    out += _duplicates(inv)
    out += _devices(inv, ghosts)
    out += _links(inv, ghosts)
    out += _power(inv, ghosts)
    out += _services(inv, ghosts)
    return out


def _duplicates(inv: Inventory) -> list[Finding]:
    out: list[Finding] = []
    sections: list[tuple[tuple[str, ...], str, list[str]]] = [
        (("sites",), "site", [s.id for s in inv.sites]),
        (("devices",), "device", [d.id for d in inv.devices]),
        (("links",), "link", [k.id for k in inv.links]),
        (("services",), "service", [s.id for s in inv.services]),
    ]
    for where, what, ids in sections:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                out.append(Finding((*where, i, "id"), f"duplicate {what} id {ident!r}"))
            seen.add(ident)
    devices = {d.id for d in inv.devices}
    seen = set()
    for i, source in enumerate(inv.power.sources):
        if source.id in devices or source.id in seen:
            out.append(
                Finding(
                    ("power", "sources", i, "id"),
                    f"duplicate id {source.id!r}: power sources and devices share one name space",
                )
            )
        seen.add(source.id)
    return out


def _devices(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    sites = {s.id for s in inv.sites}
    devices = {d.id for d in inv.devices}
    for i, dev in enumerate(inv.devices):
        here = ("devices", i)
        if dev.site not in sites and not ghosts.has("sites", dev.site):
            out.append(Finding((*here, "site"), f"there is no site {dev.site!r}"))
        for j, up in enumerate(dev.depends_on):
            if up == dev.id:
                out.append(Finding((*here, "depends_on", j), "a device cannot depend on itself"))
            elif up not in devices and not ghosts.has("devices", up):
                out.append(Finding((*here, "depends_on", j), f"there is no device {up!r}"))
        peer = dev.redundant_peer
        if peer == dev.id:
            out.append(Finding((*here, "redundant_peer"), "a device cannot be its own peer"))
        elif peer is not None and peer not in devices and not ghosts.has("devices", peer):
            out.append(Finding((*here, "redundant_peer"), f"there is no device {peer!r}"))
        policy = dev.policy
        if policy is not None and policy not in inv.policies and not ghosts.has("policies", policy):
            out.append(Finding((*here, "policy"), f"there is no policy {dev.policy!r}"))
        for access, want_ssh in ((dev.snmp, False), (dev.ssh, True)):
            if access is None:
                continue
            key = (*here, "ssh" if want_ssh else "snmp", "credentials")
            cred = inv.credentials.get(access.credentials)
            if cred is None:
                if not ghosts.has("credentials", access.credentials):
                    msg = f"there is no credential set {access.credentials!r}"
                    out.append(Finding(key, msg))
            elif isinstance(cred, SshCredentials) != want_ssh:
                kind = "an SSH" if want_ssh else "an SNMP"
                msg = f"credential set {access.credentials!r} is {cred.type}, not {kind} one"
                out.append(Finding(key, msg))
        names: set[str] = set()
        for j, iface in enumerate(dev.interfaces):
            if iface.name in names:
                msg = f"interface {iface.name!r} is listed twice"
                out.append(Finding((*here, "interfaces", j), msg))
            names.add(iface.name)
    return out


def _links(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    devices = {d.id: d for d in inv.devices}
    used: dict[tuple[str, str], str] = {}
    for i, link in enumerate(inv.links):
        if str(link.a) == str(link.b):
            out.append(Finding(("links", i, "b"), "both ends of the link are the same interface"))
            continue
        for end_name, end in (("a", link.a), ("b", link.b)):
            key = ("links", i, end_name)
            dev = devices.get(end.device)
            if dev is None:
                if not ghosts.has("devices", end.device):
                    out.append(Finding(key, f"there is no device {end.device!r}"))
                continue
            if dev.interface(end.interface) is None:
                listed = "" if dev.interfaces else " (it lists no interfaces)"
                msg = f"device {dev.id!r} has no interface {end.interface!r}{listed}"
                out.append(Finding(key, msg))
                continue
            other = used.setdefault((end.device, end.interface), link.id)
            if other != link.id:
                msg = f"interface {end} is already used by link {other!r}"
                out.append(Finding(key, msg))
    return out


def _power(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    sites = {s.id for s in inv.sites}
    devices = {d.id for d in inv.devices}
    sources = {s.id for s in inv.power.sources}
    for i, source in enumerate(inv.power.sources):
        if source.site not in sites and not ghosts.has("sites", source.site):
            msg = f"there is no site {source.site!r}"
            out.append(Finding(("power", "sources", i, "site"), msg))
    for i, feed in enumerate(inv.power.feeds):
        here = ("power", "feeds", i)
        if feed.from_ not in devices | sources and not ghosts.has("devices", feed.from_):
            msg = f"there is no power source or device {feed.from_!r}"
            out.append(Finding((*here, "from"), msg))
        if feed.to in sources:
            msg = f"{feed.to!r} is a power source; a source cannot be fed"
            out.append(Finding((*here, "to"), msg))
        elif feed.to not in devices and not ghosts.has("devices", feed.to):
            out.append(Finding((*here, "to"), f"there is no device {feed.to!r}"))
    return out


def _services(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    sites = {s.id for s in inv.sites}
    known = {
        ObjectKind.device: ("devices", {d.id for d in inv.devices}),
        ObjectKind.link: ("links", {k.id for k in inv.links}),
        ObjectKind.service: ("services", {s.id for s in inv.services}),
    }
    for i, svc in enumerate(inv.services):
        here = ("services", i)
        if svc.site is not None and svc.site not in sites and not ghosts.has("sites", svc.site):
            out.append(Finding((*here, "site"), f"there is no site {svc.site!r}"))
        if svc.policy not in inv.policies and not ghosts.has("policies", svc.policy):
            out.append(Finding((*here, "policy"), f"there is no policy {svc.policy!r}"))
        for j, ref in enumerate(svc.components):
            section, ids = known[ref.kind]
            if ref.kind is ObjectKind.service and ref.id == svc.id:
                out.append(Finding((*here, "components", j), "a service cannot contain itself"))
            elif ref.id not in ids and not ghosts.has(section, ref.id):
                msg = f"component {ref} does not exist: there is no {ref.kind.value} {ref.id!r}"
                out.append(Finding((*here, "components", j), msg))
    return out
