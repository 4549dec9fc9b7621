"""``GET /api/v1/feed``: server-sent events of alert, incident and state changes, for the wall.

Each event has an ``id``; a client that reconnects with ``Last-Event-ID`` gets what it missed
(from a bounded backlog). A comment line every 15 s keeps proxies from closing the stream.
``?limit=N`` ends the stream after N events (scripts, tests).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from noc.api.alerting_dep import AlertingDep
from noc.api.policy import READERS, allow

router = APIRouter(tags=["feed"], dependencies=[allow(READERS)])


@router.get(
    "/feed",
    response_class=StreamingResponse,
    summary="Server-sent events: alert, incident and state changes",
)
async def feed(
    alerting: AlertingDep,
    last_event_id: Annotated[int | None, Header()] = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    heartbeat: Annotated[float, Query(ge=0.05, le=60)] = 15.0,
) -> StreamingResponse:
    async def stream() -> AsyncIterator[str]:
        yield "retry: 3000\n\n"
        sent = 0
        async for event in alerting.feed.subscribe(last_event_id, heartbeat=heartbeat):
            if event is None:
                yield ": keep-alive\n\n"
                continue
            yield event.sse()
            sent += 1
            if limit is not None and sent >= limit:
                return

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
