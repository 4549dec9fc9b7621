"""The power chain runs one way: utility/genset -> ATS -> UPS -> PDU -> equipment."""

from __future__ import annotations

from noc.inventory.partial import Ghosts
from noc.inventory.problems import Finding, Severity
from noc.model.devices import POWER_ROLES, DeviceRole
from noc.model.inventory import Inventory

# Stage of each role in the chain; power flows only to a later stage.
_STAGE = {DeviceRole.genset: 0, DeviceRole.ats: 1, DeviceRole.ups: 2, DeviceRole.pdu: 3}
_LOAD = 4
_SOURCE = 0


def check_power_chain(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    roles = {d.id: d.role for d in inv.devices}
    sources = {s.id for s in inv.power.sources}
    seen: set[tuple[str, str]] = set()
    for i, feed in enumerate(inv.power.feeds):
        here = ("power", "feeds", i)
        if (feed.from_, feed.to) in seen:
            out.append(Finding(here, f"{feed.from_!r} feeds {feed.to!r} twice"))
        seen.add((feed.from_, feed.to))
        src_role = roles.get(feed.from_)
        dst_role = roles.get(feed.to)
        if feed.from_ in sources:
            src_stage = _SOURCE
        elif src_role is None:
            continue  # dangling: reported by the reference check
        elif src_role not in POWER_ROLES:
            msg = f"{feed.from_!r} is {_a(src_role)}; only ats, ups, pdu and genset feed power"
            out.append(Finding((*here, "from"), msg))
            continue
        else:
            src_stage = _STAGE[src_role]
        if dst_role is None:
            continue
        if dst_role is DeviceRole.genset:
            msg = f"{feed.to!r} is a genset, which generates power and is not fed"
            out.append(Finding((*here, "to"), msg))
        elif src_role is DeviceRole.genset and dst_role is not DeviceRole.ats:
            msg = f"a genset feeds an ats, not {_a(dst_role)} ({feed.to!r})"
            out.append(Finding((*here, "to"), msg))
        elif _STAGE.get(dst_role, _LOAD) <= src_stage:
            what = _a(src_role) if src_role is not None else "a utility source"
            msg = (
                f"{what} cannot feed {_a(dst_role)} ({feed.to!r}); power runs "
                "utility -> ATS -> UPS -> PDU -> equipment"
            )
            out.append(Finding((*here, "to"), msg))
    out += _ats_inputs(inv, ghosts)
    return out


def _a(role: DeviceRole) -> str:
    """The role with its article: ``an ats``, ``a pdu``."""
    return f"{'an' if role.value[0] in 'aeiou' else 'a'} {role.value}"


def _ats_inputs(inv: Inventory, ghosts: Ghosts) -> list[Finding]:
    out: list[Finding] = []
    supplies = {s.id for s in inv.power.sources} | {
        d.id for d in inv.devices if d.role is DeviceRole.genset
    }
    for i, dev in enumerate(inv.devices):
        if dev.role is not DeviceRole.ats or dev.id in ghosts.fed:
            continue
        inputs = inv.feeds_to(dev.id)
        if len(inputs) == 1:
            msg = "the ATS has one input; the design puts a utility feed and a genset on it"
            out.append(Finding(("devices", i, "id"), msg, Severity.warning))
        elif len(inputs) > 1 and any(f.feed is None for f in inputs if f.from_ in supplies):
            msg = (
                "say which input of the ATS is A and which is B (feed: A|B on the feeds into it); "
                "without it the NOC cannot tell the utility from the genset it runs on"
            )
            out.append(Finding(("devices", i, "id"), msg, Severity.warning))
    return out
