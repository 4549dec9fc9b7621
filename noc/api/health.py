"""/healthz (the one route without login) and /metrics (the NOC's own health, for Prometheus
with a bearer token: ``authorization: {credentials_file: ...}`` in its scrape config)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from noc.api.auth import CurrentUser, RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness and readiness of the NOC itself")
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    checks: dict[str, Any] = runtime.health_checks()
    ok = all(c["ok"] for c in checks.values())
    return JSONResponse(
        {"status": "ok" if ok else "degraded", "checks": checks},
        status_code=200 if ok else 503,
    )


@router.get("/metrics", summary="Prometheus metrics of the NOC's own health")
async def metrics(runtime: RuntimeDep, _user: CurrentUser) -> Response:
    return Response(generate_latest(runtime.health.registry), media_type=CONTENT_TYPE_LATEST)
