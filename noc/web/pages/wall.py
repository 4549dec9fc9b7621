"""The wall and the login page. Data comes from /api/v1/wall and its SSE stream."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from noc.api.auth import RuntimeDep
from noc.api.login import open_session
from noc.web.i18n import catalog
from noc.web.pages import language, page_user, remember_language, templates

router = APIRouter(include_in_schema=False)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/wall", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, Query()] = None,
    next: Annotated[str, Query()] = "/wall",
) -> Response:
    chosen = language(request, runtime, lang)
    target = next if next.startswith("/") and not next.startswith("//") else "/wall"
    page = templates.TemplateResponse(
        request,
        "login.html",
        {"t": catalog(chosen), "lang": chosen, "next": target, "city": runtime.inventory.city},
    )
    return remember_language(page, chosen, lang)


@router.get("/wall", response_class=HTMLResponse)
async def wall_page(
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, Query()] = None,
    token: Annotated[str | None, Query()] = None,
    kiosk: Annotated[bool, Query()] = False,
    sound: Annotated[bool, Query()] = False,
) -> Response:
    """The wall. A display with no keyboard opens ``/wall?token=<viewer token>&kiosk=1``:
    the token is exchanged for a session cookie and dropped from the address."""
    chosen = language(request, runtime, lang)
    if token:
        found = await asyncio.to_thread(runtime.events.tokens.resolve, token)
        if found is None:
            raise HTTPException(status_code=401, detail="this token is unknown, expired or revoked")
        params = "&".join(
            f"{k}={v}"
            for k, v in (("lang", lang), ("kiosk", kiosk and "1"), ("sound", sound and "1"))
            if v
        )
        response: Response = RedirectResponse(
            f"/wall?{params}" if params else "/wall", status_code=303
        )
        open_session(runtime, response, found[0].username)
        return response
    user = await page_user(request, runtime)
    if user is None:
        return RedirectResponse(f"/login?next=/wall&lang={chosen}", status_code=303)
    page = templates.TemplateResponse(
        request,
        "wall.html",
        {
            "t": catalog(chosen),
            "lang": chosen,
            "user": user,
            "city": runtime.inventory.city,
            "timezone": runtime.inventory.settings.timezone,
            "kiosk": kiosk,
            "sound": sound,
        },
    )
    return remember_language(page, chosen, lang)
