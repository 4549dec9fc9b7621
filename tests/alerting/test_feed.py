"""The feed hub: live events from worker threads, replay after reconnect, slow clients cut off."""

from __future__ import annotations

import asyncio

import pytest

from alerting.feed import FeedEvent, FeedHub


@pytest.mark.timeout(30)
def test_live_events_from_a_worker_thread_then_replay_after_reconnect() -> None:
    hub = FeedHub()

    async def scenario() -> tuple[list[FeedEvent | None], list[FeedEvent | None]]:
        hub.bind(asyncio.get_running_loop())
        got: list[FeedEvent | None] = []

        async def reader() -> None:
            async for e in hub.subscribe(heartbeat=5):
                got.append(e)
                if len(got) == 2:
                    return

        task = asyncio.create_task(reader())
        await asyncio.sleep(0)  # the reader subscribes
        await asyncio.to_thread(hub.publish, "incident", {"id": 1})
        await asyncio.to_thread(hub.publish, "alert", {"key": "a"})
        await asyncio.wait_for(task, 10)
        again: list[FeedEvent | None] = []
        async for e in hub.subscribe(after=1, heartbeat=0.05):
            again.append(e)
            if e is None:
                break
        return got, again

    got, again = asyncio.run(scenario())
    assert [(e.id, e.kind) for e in got if e] == [(1, "incident"), (2, "alert")]
    assert [(e.id, e.kind) for e in again if e] == [(2, "alert")]  # replayed, then a heartbeat
    assert again[-1] is None
    assert got[0] is not None and got[0].sse().startswith("id: 1\nevent: incident\ndata: ")


@pytest.mark.timeout(30)
def test_a_client_that_falls_behind_is_told_and_dropped() -> None:
    hub = FeedHub(queue_size=3)

    async def scenario() -> list[str]:
        hub.bind(asyncio.get_running_loop())
        stream = hub.subscribe(heartbeat=5)
        kinds: list[str] = []
        task = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0)
        for i in range(10):
            hub.publish("state", {"i": i})
        e = await task
        assert e is not None
        kinds.append(e.kind)
        async for e in stream:
            if e is not None:
                kinds.append(e.kind)
        return kinds

    kinds = asyncio.run(scenario())
    assert kinds[-1] == "overflow" and len(kinds) <= 4
