"""The wall's data: the current snapshot, and its live server-sent-events stream."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import StreamingResponse

from noc.api.auth import RuntimeDep
from noc.api.policy import EVERYONE, allow
from noc.web.feed import WallFeed
from noc.web.snapshot import WallSnapshot, build_snapshot, topology_summary

router = APIRouter(prefix="/wall", tags=["wall"], dependencies=[allow(EVERYONE)])


def get_feed(request: Request) -> WallFeed:
    feed: WallFeed = request.app.state.wall_feed
    return feed


@router.get("", summary="Everything the Command Center wall shows, now")
async def wall_snapshot(runtime: RuntimeDep) -> WallSnapshot:
    return await asyncio.to_thread(build_snapshot, runtime, topology_summary(runtime))


@router.get("/stream", summary="Server-sent events: `snapshot` on every change, `ping` between")
async def wall_stream(
    request: Request,
    feed: Annotated[WallFeed, Depends(get_feed)],
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    last = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0

    async def stream() -> object:
        async for chunk in feed.events(last):
            if await request.is_disconnected():
                break
            yield chunk

    return StreamingResponse(
        stream(),  # type: ignore[arg-type]
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
