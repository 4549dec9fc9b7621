"""The FastAPI application factory. Nothing happens at import: call ``create_app``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

import noc
from noc.api import (
    account,
    alerts,
    docs,
    health,
    incidents,
    inventory,
    logbook,
    login,
    maintenance,
    reports,
    tokens,
    topology,
    users,
    wall,
)
from noc.api import audit as audit_api
from noc.api import (
    feed as event_feed,
)
from noc.errors import AuthError, NocError
from noc.runtime import Runtime
from noc.web.feed import WallFeed
from noc.web.pages import routers as page_routers

log = logging.getLogger(__name__)


def create_app(runtime: Runtime, *, start_background: bool = True) -> FastAPI:
    """Wire the HTTP API to a built :class:`Runtime`.

    ``start_background`` starts the scheduler and writers with the app (off in API tests that
    drive the pipeline themselves).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if start_background:
            await runtime.start()
        if runtime.alerting is not None:
            app.state.alerting = runtime.alerting
        feed.start()
        try:
            yield
        finally:
            await feed.stop()
            if start_background:
                await runtime.stop()

    app = FastAPI(
        title="NOC Command Center",
        version=noc.__version__,
        description="Monitoring of the city's network and data center: inventory, state, "
        "incidents, SLA. Every route but /healthz needs a login: a bearer token "
        "(`noc token create`) or a session from POST /api/v1/auth/login.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime
    app.state.alerting = runtime.alerting
    feed = WallFeed(runtime)
    app.state.wall_feed = feed
    app.include_router(health.router)
    app.include_router(login.router, prefix="/api/v1")
    app.include_router(inventory.router, prefix="/api/v1")
    app.include_router(topology.router, prefix="/api/v1")
    app.include_router(wall.router, prefix="/api/v1")
    app.include_router(alerts.router, prefix="/api/v1")
    app.include_router(incidents.router, prefix="/api/v1")
    app.include_router(maintenance.router, prefix="/api/v1")
    app.include_router(event_feed.router, prefix="/api/v1")
    app.include_router(reports.router, prefix="/api/v1")
    app.include_router(audit_api.router, prefix="/api/v1")
    app.include_router(logbook.router, prefix="/api/v1")
    app.include_router(account.router, prefix="/api/v1")
    app.include_router(tokens.router, prefix="/api/v1")
    app.include_router(users.router, prefix="/api/v1")
    for page_router in page_routers():
        app.include_router(page_router)
    app.include_router(docs.router(app))
    static = Path(__file__).parent / "web" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.exception_handler(NocError)
    async def _noc_error(request: Request, exc: NocError) -> JSONResponse:
        code = 401 if isinstance(exc, AuthError) else 500
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return JSONResponse({"detail": str(exc)}, status_code=code)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()
        ]
        first = problems[0] if problems else {"where": "request", "problem": "invalid"}
        return JSONResponse(
            {"detail": f"{first['where']}: {first['problem']}", "problems": problems},
            status_code=422,
        )

    return app
