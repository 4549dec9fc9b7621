"""The device and link pages of the inventory area: state, facts, ports, history charts."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from noc.api.auth import RuntimeDep
from noc.model import Link, ObjectKind, ObjectRef
from noc.runtime import Runtime
from noc.web.charts import render
from noc.web.i18n import translate
from noc.web.pages import open_page, remember_language
from noc.web.pages.device_view import device_view, open_incidents_touching, recent_changes
from noc.web.pages.history import RANGES, Translate, link_chart, window
from noc.web.pages.inventory_state import StateBook
from noc.web.pages.not_found import not_found

router = APIRouter(include_in_schema=False)
AREA = "inventory"


def translator(lang: str) -> Translate:
    return partial(translate, lang=lang)


@router.get("/inventory/devices/{device_id}", response_class=HTMLResponse)
async def device_page(
    request: Request,
    runtime: RuntimeDep,
    device_id: str,
    lang: Annotated[str | None, Query()] = None,
    span: Annotated[str | None, Query(alias="range")] = None,
) -> Response:
    page = await open_page(request, runtime, AREA, lang)
    if isinstance(page, Response):
        return page
    device = next((d for d in runtime.inventory.devices if d.id == device_id), None)
    if device is None:
        return not_found(page, AREA, "inventory.kind.device", device_id, "/inventory")
    win = window(span, runtime.clock.now())
    view = await asyncio.to_thread(
        device_view, runtime, device, win, translator(page.lang), page.lang
    )
    response = page.render("inventory/device.html", AREA, view=view, win=win, ranges=list(RANGES))
    return remember_language(response, page.lang, lang)


def _link_values(runtime: Runtime, link: Link, asked: str | None, lang: str) -> dict[str, Any]:
    now = runtime.clock.now()
    book = StateBook(runtime, now)
    ref = ObjectRef(kind=ObjectKind.link, id=link.id)
    win = window(asked, now)
    t = translator(lang)
    chart = link_chart(runtime, link, win, t)
    siblings = [k for k in runtime.inventory.links if link.ring and k.ring == link.ring]
    return {
        "link": link,
        "state": book.link(link.id),
        "recorded": book.recorded(ref),
        "ends": [(end, book.device(end.device)) for end in (link.a, link.b)],
        "ring_links": [(k, book.link(k.id)) for k in siblings],
        "incidents": open_incidents_touching(runtime, ref),
        "changes": recent_changes(runtime, ref, now),
        "chart": render(
            chart,
            win.start,
            win.end,
            lang,
            runtime.inventory.settings.timezone,
            t("inventory.chart.no_data"),
        ),
        "win": win,
        "ranges": list(RANGES),
        "limit": runtime.inventory.policy(None).capacity_limit,
    }


@router.get("/inventory/links/{link_id}", response_class=HTMLResponse)
async def link_page(
    request: Request,
    runtime: RuntimeDep,
    link_id: str,
    lang: Annotated[str | None, Query()] = None,
    span: Annotated[str | None, Query(alias="range")] = None,
) -> Response:
    page = await open_page(request, runtime, AREA, lang)
    if isinstance(page, Response):
        return page
    link = next((k for k in runtime.inventory.links if k.id == link_id), None)
    if link is None:
        return not_found(page, AREA, "inventory.kind.link", link_id, "/inventory#links")
    values = await asyncio.to_thread(_link_values, runtime, link, span, page.lang)
    return remember_language(page.render("inventory/link.html", AREA, **values), page.lang, lang)
