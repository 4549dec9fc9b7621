"""The OpenAPI description and its Swagger page, behind a login like every other route."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from noc.api.policy import READERS, allow


def router(app: FastAPI) -> APIRouter:
    r = APIRouter(include_in_schema=False, dependencies=[allow(READERS)])

    @r.get("/openapi.json")
    async def openapi() -> dict[str, Any]:
        return app.openapi()

    @r.get("/docs")
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API")

    return r
