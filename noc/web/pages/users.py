"""User and API token administration (admins): who may log in with which role, and the tokens
that wall displays and scripts use. Changes go through /api/v1/users and /api/v1/tokens, which
audit them; a token's secret is shown once, in the reply to its creation."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from noc.api.auth import RuntimeDep
from noc.store.events import Role, User
from noc.web.pages import PageContext, open_page, remember_language
from noc.web.pages.desk import token_state

router = APIRouter(include_in_schema=False)


@router.get("/users", response_class=HTMLResponse)
async def users_page(
    request: Request, runtime: RuntimeDep, lang: Annotated[str | None, Query()] = None
) -> Response:
    page = await open_page(request, runtime, "users", lang)
    if not isinstance(page, PageContext):
        return page
    users, tokens = await asyncio.gather(
        asyncio.to_thread(runtime.events.users.list),
        asyncio.to_thread(runtime.events.tokens.list),
    )
    now = runtime.clock.now()
    by_name: dict[str, User] = {u.username: u for u in users}
    rows = [(t, token_state(t, t.usable_at(now)), by_name.get(t.username)) for t in tokens]
    rows.sort(key=lambda r: (r[1] != "active", -r[0].id))
    response = page.render(
        "users/index.html",
        "users",
        users=sorted(users, key=lambda u: (u.disabled, u.username)),
        tokens=rows,
        roles=list(Role),
    )
    return remember_language(response, page.lang, lang)
