"""My account (every logged-in role, the viewer too): my language for the web app and the
reports (PUT /api/v1/me/language), my password (POST /api/v1/me/password) and my own API
tokens for scripts (/api/v1/tokens: the secret is shown once, in the reply to its creation)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from noc.api.auth import RuntimeDep
from noc.store.passwords import MIN_PASSWORD_LENGTH
from noc.web.i18n import LANGUAGES
from noc.web.pages import PageContext, open_page, remember_language
from noc.web.pages.desk import token_state

router = APIRouter(include_in_schema=False)


@router.get("/account", response_class=HTMLResponse)
async def account_page(
    request: Request, runtime: RuntimeDep, lang: Annotated[str | None, Query()] = None
) -> Response:
    # Everyone who may see the wall may open their own account: the wall's roles are all roles.
    page = await open_page(request, runtime, "wall", lang)
    if not isinstance(page, PageContext):
        return page
    tokens = await asyncio.to_thread(runtime.events.tokens.list, page.user.username)
    now = runtime.clock.now()
    response = page.render(
        "account/index.html",
        "account",
        languages=LANGUAGES,
        stored_language=page.user.language,
        default_language=runtime.inventory.settings.locale,
        min_password=MIN_PASSWORD_LENGTH,
        tokens=[(t, token_state(t, t.usable_at(now))) for t in reversed(tokens)],
    )
    return remember_language(response, page.lang, lang)
