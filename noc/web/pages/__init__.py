"""HTML pages of the web app: the wall, and the operator app around it.

Each module of this package is one area (wall, devices, incidents, ...) and exposes a
``router``; :func:`routers` finds them, so a new area needs no central edit. Pages are
server-rendered with jinja2 from the runtime; actions go through the JSON API with the
session's CSRF token (``static/app.js``), so the API's role checks and audit apply to both.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from noc.api.auth import current_user
from noc.api.session import COOKIE
from noc.runtime import Runtime
from noc.store.events import Role, User
from noc.web.i18n import (
    LANGUAGES,
    catalog,
    format_number,
    format_percent,
    format_time,
    pick_language,
)

LANG_COOKIE = "noc_lang"
templates = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))


def language(request: Request, runtime: Runtime, lang: str | None) -> str:
    """``?lang=`` first, then the person's remembered choice (cookie), then the settings."""
    default = runtime.inventory.settings.locale
    return pick_language(lang or request.cookies.get(LANG_COOKIE), default)


def remember_language(response: Response, lang: str, asked: str | None) -> Response:
    if asked in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict")
    return response


async def page_user(request: Request, runtime: Runtime) -> User | None:
    """The logged-in person, or None (pages redirect to the login page instead of a 401)."""
    try:
        return await current_user(request, runtime)
    except HTTPException:
        return None


# The areas of the app each role may open; the viewer sees the wall only (DESIGN.md, Roles).
# Admins may open everything. Area names match the navigation in templates/app.html.
AREA_ROLES: dict[str, frozenset[Role]] = {
    "wall": frozenset(Role),
    "inventory": frozenset({Role.operator, Role.oncall, Role.manager, Role.auditor}),
    "incidents": frozenset({Role.operator, Role.oncall, Role.manager, Role.auditor}),
    "maintenance": frozenset({Role.operator, Role.oncall, Role.manager, Role.auditor}),
    "logbook": frozenset({Role.operator, Role.oncall, Role.manager, Role.auditor}),
    "sla": frozenset({Role.manager, Role.auditor}),
    "audit": frozenset({Role.auditor}),
    "users": frozenset(),
}


def may_open(user: User, area: str) -> bool:
    return user.role is Role.admin or user.role in AREA_ROLES[area]


class PageContext:
    """What every app page needs: who, which language, the catalog and the formatters."""

    def __init__(self, request: Request, runtime: Runtime, user: User, lang: str) -> None:
        self.request = request
        self.runtime = runtime
        self.user = user
        self.lang = lang
        self.zone = runtime.inventory.settings.timezone

    def csrf(self) -> str:
        """The session's CSRF token, for the page's script to echo on actions ('' with a token)."""
        cookie = self.request.cookies.get(COOKIE)
        session = self.runtime.sessions.verify(cookie) if cookie else None
        return session.csrf if session is not None else ""

    def render(self, template: str, area: str, status_code: int = 200, **values: Any) -> Response:
        lang, zone = self.lang, self.zone
        context = {
            "csrf": self.csrf(),
            "t": catalog(lang),
            "lang": lang,
            "user": self.user,
            "city": self.runtime.inventory.city,
            "timezone": zone,
            "area": area,
            "areas": [a for a in AREA_ROLES if may_open(self.user, a)],
            "fmt_time": lambda v: format_time(v, lang, zone) if v is not None else "–",
            "fmt_number": lambda v, d=0: format_number(v, lang, d) if v is not None else "–",
            "fmt_percent": lambda v, d=2: format_percent(v, lang, d) if v is not None else "–",
            **values,
        }
        return templates.TemplateResponse(self.request, template, context, status_code=status_code)


async def open_page(
    request: Request, runtime: Runtime, area: str, lang: str | None
) -> PageContext | Response:
    """The page context for ``area``, or the response to send instead: the login page for an
    anonymous visitor, a 403 page for a role that may not open the area."""
    chosen = language(request, runtime, lang)
    user = await page_user(request, runtime)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    page = PageContext(request, runtime, user, chosen)
    if not may_open(user, area):
        return page.render("forbidden.html", area, status_code=403)
    return page


def routers() -> list[APIRouter]:
    """Every page module's ``router``, the wall's first."""
    found: list[APIRouter] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: (m.name != "wall", m.name)):
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found
