"""The inventory area: devices (filtered by site, role, state), sites, links, services;
one page per site (its devices and power chain) and per service (components and its SLA so far).
Device and link pages are in :mod:`noc.web.pages.device_page`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from noc.api.auth import RuntimeDep
from noc.model import DeviceRole, DeviceState, ObjectKind, ObjectRef, Site
from noc.runtime import Runtime
from noc.web.pages import open_page, remember_language
from noc.web.pages.device_view import (
    open_incidents_touching,
    recent_changes,
    unresolved_incidents,
)
from noc.web.pages.inventory_state import StateBook
from noc.web.pages.not_found import not_found
from sla.live import month_to_date

router = APIRouter(include_in_schema=False)
AREA = "inventory"
_STATE_ORDER = {"down": 0, "unreachable": 1, "unknown": 2, "maintenance": 3, "up": 4}


@dataclass(frozen=True)
class PowerNode:
    id: str
    state: str | None  # None for a utility feed
    feed: str | None
    children: list[PowerNode]
    repeated: bool = False  # drawn out above already (a second feed into it)


def _device_rows(runtime: Runtime, book: StateBook) -> list[dict[str, Any]]:
    sites = {s.id: s.name for s in runtime.inventory.sites}
    rows = []
    for d in runtime.inventory.devices:
        polls = book.polls(d.id)
        rows.append(
            {
                "device": d,
                "site_name": sites.get(d.site, d.site),
                "state": book.device(d.id),
                "last_poll": max((p.at for p in polls), default=None),
                "polls_ok": sum(p.ok for p in polls),
                "polls_failed": [p.collector for p in polls if not p.ok],
            }
        )
    return rows


def _list_values(
    runtime: Runtime, site: str | None, role: str | None, state: str | None
) -> dict[str, Any]:
    book = StateBook(runtime, runtime.clock.now())
    inv = runtime.inventory
    rows = _device_rows(runtime, book)
    counts = {s.value: 0 for s in DeviceState}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    shown = [
        r
        for r in rows
        if (not site or r["device"].site == site)
        and (not role or r["device"].role.value == role)
        and (not state or r["state"] == state)
    ]
    shown.sort(key=lambda r: (_STATE_ORDER.get(r["state"], 9), r["device"].site, r["device"].id))
    by_site: dict[str, list[str]] = {}
    for r in rows:
        by_site.setdefault(r["device"].site, []).append(r["state"])
    return {
        "rows": shown,
        "total": len(rows),
        "counts": counts,
        "filters": {"site": site or "", "role": role or "", "state": state or ""},
        "sites": [(s, by_site.get(s.id, [])) for s in inv.sites],
        "roles": [r.value for r in DeviceRole],
        "states": [s.value for s in DeviceState],
        "links": [(k, book.link(k.id)) for k in inv.links],
        "services": [(s, book.service(s.id)[0]) for s in inv.services],
    }


@router.get("/inventory", response_class=HTMLResponse)
async def inventory_page(
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, Query()] = None,
    site: Annotated[str | None, Query()] = None,
    role: Annotated[str | None, Query()] = None,
    state: Annotated[str | None, Query()] = None,
) -> Response:
    page = await open_page(request, runtime, AREA, lang)
    if isinstance(page, Response):
        return page
    values = await asyncio.to_thread(_list_values, runtime, site, role, state)
    return remember_language(page.render("inventory/list.html", AREA, **values), page.lang, lang)


def power_chain(runtime: Runtime, site: Site, book: StateBook) -> list[PowerNode]:
    """The site's power as trees: utility feeds and unfed power devices first, then what each
    feeds (ATS -> UPS -> PDU -> devices)."""
    inv = runtime.inventory
    here = {d.id for d in inv.devices_at(site.id)}
    sources = [s.id for s in inv.power.sources if s.site == site.id]
    fed = {f.to for f in inv.power.feeds}
    tops = sources + sorted(d for d in here if d not in fed and inv.power.feeds_from(d))

    expanded: set[str] = set()  # an ATS fed by utility and genset is drawn out once

    def node(ident: str, feed: str | None) -> PowerNode:
        state = None if ident in sources else book.device(ident)
        below = inv.power.feeds_from(ident)
        if ident in expanded and below:
            return PowerNode(ident, state, feed, [], repeated=True)
        expanded.add(ident)
        kids = [node(f.to, f.feed) for f in below if f.to != ident]
        return PowerNode(ident, state, feed, kids)

    return [node(t, None) for t in tops]


def _site_values(runtime: Runtime, site: Site) -> dict[str, Any]:
    now = runtime.clock.now()
    book = StateBook(runtime, now)
    devices = [(d, book.device(d.id)) for d in runtime.inventory.devices_at(site.id)]
    devices.sort(key=lambda x: (_STATE_ORDER.get(x[1], 9), x[0].id))
    ids = {d.id for d, _s in devices}
    incidents = [
        i
        for d in ids
        for i in open_incidents_touching(runtime, ObjectRef(kind=ObjectKind.device, id=d))
    ]
    return {
        "site": site,
        "devices": devices,
        "power": power_chain(runtime, site, book),
        "services": [
            (s, book.service(s.id)[0]) for s in runtime.inventory.services if s.site == site.id
        ],
        "incidents": list({i.id: i for i in incidents}.values()),
        "changes": recent_changes(runtime, ObjectRef(kind=ObjectKind.site, id=site.id), now),
    }


@router.get("/inventory/sites/{site_id}", response_class=HTMLResponse)
async def site_page(
    request: Request,
    runtime: RuntimeDep,
    site_id: str,
    lang: Annotated[str | None, Query()] = None,
) -> Response:
    page = await open_page(request, runtime, AREA, lang)
    if isinstance(page, Response):
        return page
    site = next((s for s in runtime.inventory.sites if s.id == site_id), None)
    if site is None:
        return not_found(page, AREA, "inventory.kind.site", site_id, "/inventory#sites")
    values = await asyncio.to_thread(_site_values, runtime, site)
    return remember_language(page.render("inventory/site.html", AREA, **values), page.lang, lang)


def _service_values(runtime: Runtime, service_id: str) -> dict[str, Any]:
    now = runtime.clock.now()
    book = StateBook(runtime, now)
    service = runtime.inventory.service(service_id)
    status, bad = book.service(service_id)
    standing = next(
        (
            s
            for s in month_to_date(runtime.events, runtime.inventory, now)
            if s.service == service_id
        ),
        None,
    )
    incidents = [i for i in unresolved_incidents(runtime) if service_id in i.affected_services]
    return {
        "service": service,
        "status": status,
        "bad": bad,
        "components": [(ref, book.component(ref)) for ref in service.components],
        "standing": standing,
        "policy": runtime.inventory.policy(service.policy),
        "incidents": incidents,
        "changes": recent_changes(runtime, ObjectRef(kind=ObjectKind.service, id=service_id), now),
    }


@router.get("/inventory/services/{service_id}", response_class=HTMLResponse)
async def service_page(
    request: Request,
    runtime: RuntimeDep,
    service_id: str,
    lang: Annotated[str | None, Query()] = None,
) -> Response:
    page = await open_page(request, runtime, AREA, lang)
    if isinstance(page, Response):
        return page
    if not any(s.id == service_id for s in runtime.inventory.services):
        return not_found(page, AREA, "inventory.kind.service", service_id, "/inventory#services")
    values = await asyncio.to_thread(_service_values, runtime, service_id)
    return remember_language(page.render("inventory/service.html", AREA, **values), page.lang, lang)
