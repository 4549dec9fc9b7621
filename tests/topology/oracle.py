"""A brute-force reachability oracle, written without topology's code, to check it against.

Fixed-point iteration straight from the inventory model: slow and obvious.
"""

from __future__ import annotations

from noc.model import DeviceRole, Inventory, ObjectKind, Service, ServiceRule, SiteKind


def working(inv: Inventory, failed: set[str], battery: bool = False) -> set[str]:
    """Devices that work: not failed, and unfed or fed by something that works."""
    fed = {f.to for f in inv.power.feeds}
    ups = {d.id for d in inv.devices if d.role is DeviceRole.ups}
    alive = {d.id for d in inv.devices if d.id not in failed}
    sources = {s.id for s in inv.power.sources if s.id not in failed}
    changed = True
    while changed:
        changed = False
        for d in sorted(alive):
            if d not in fed or (battery and d in ups):
                continue
            if not any(f.from_ in alive or f.from_ in sources for f in inv.feeds_to(d)):
                alive.discard(d)
                changed = True
    return alive


def roots(inv: Inventory) -> set[str]:
    dc = {s.id for s in inv.sites if s.kind is SiteKind.data_center}
    linked = {x for k in inv.links for x in k.devices}
    cores = {d.id for d in inv.devices if d.site in dc and d.role is DeviceRole.core_switch}
    base = cores or {d.id for d in inv.devices if d.site in dc and d.id in linked}
    return base | {d.id for d in inv.devices if d.id not in linked and not d.depends_on}


def reachable(inv: Inventory, failed: set[str], battery: bool = False) -> set[str]:
    alive = working(inv, failed, battery)
    linked = {x for k in inv.links for x in k.devices}
    seen = {r for r in roots(inv) if r in alive}
    changed = True
    while changed:
        changed = False
        for k in inv.links:
            if k.id in failed or k.a.device == k.b.device:
                continue
            a, b = k.devices
            for x, y in ((a, b), (b, a)):
                if x in seen and y in alive and y not in seen:
                    seen.add(y)
                    changed = True
        for d in inv.devices:
            free = d.id in alive and d.id not in seen and d.id not in linked
            if free and any(u in seen for u in d.depends_on):
                seen.add(d.id)
                changed = True
    return seen


def sites_cut_off(inv: Inventory, seen: set[str]) -> set[str]:
    out = set()
    for s in inv.sites:
        members = [d.id for d in inv.devices if d.site == s.id]
        if members and not any(m in seen for m in members):
            out.add(s.id)
    return out


def services_down(inv: Inventory, seen: set[str], failed: set[str]) -> set[str]:
    by_id = {s.id: s for s in inv.services}
    memo: dict[str, bool] = {}

    def up(s: Service) -> bool:
        if s.id not in memo:
            count = 0
            for c in s.components:
                if c.kind is ObjectKind.device:
                    count += c.id in seen
                elif c.kind is ObjectKind.link:
                    k = inv.link(c.id)
                    count += c.id not in failed and k.a.device in seen and k.b.device in seen
                else:
                    count += up(by_id[c.id])
            need = len(s.components) if s.rule is ServiceRule.all else s.needed()
            memo[s.id] = count >= need
        return memo[s.id]

    return {s.id for s in inv.services if not up(s)}


def elements(inv: Inventory) -> list[str]:
    return (
        [f"device:{d.id}" for d in inv.devices]
        + [f"link:{k.id}" for k in inv.links]
        + [f"source:{s.id}" for s in inv.power.sources]
    )


def brute_force_spof(inv: Inventory) -> dict[str, tuple[set[str], set[str]]]:
    """Element -> (sites it alone cuts off, services it alone takes down), batteries empty."""
    base = reachable(inv, set())
    base_sites, base_down = sites_cut_off(inv, base), services_down(inv, base, set())
    out = {}
    for e in elements(inv):
        ident = e.partition(":")[2]
        seen = reachable(inv, {ident})
        sites = sites_cut_off(inv, seen) - base_sites
        down = services_down(inv, seen, {ident}) - base_down
        if sites or down:
            out[e] = (sites, down)
    return out
