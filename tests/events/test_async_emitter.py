from __future__ import annotations

import asyncio
import logging
from unittest.mock import AsyncMock

import pytest

from agentutils_events import AsyncEventEmitter


async def test_coroutine_listeners_run_as_tasks_and_aclose_waits():
    em = AsyncEventEmitter[str]()
    done = []
    gate = asyncio.Event()

    @em.on("saved")
    async def upload(path):
        await gate.wait()
        done.append(path)

    em.emit("saved", "a.wav")
    assert em.pending == 1
    assert done == []
    gate.set()
    await em.aclose()
    assert done == ["a.wav"]
    assert em.pending == 0


async def test_sync_and_async_listeners_mixed_in_order():
    em = AsyncEventEmitter[str]()
    order = []

    em.on("e", lambda x: order.append(("sync", x)))

    async def later(x):
        order.append(("async", x))

    em.on("e", later)
    em.emit("e", 1)
    assert order == [("sync", 1)]
    await em.aclose()
    assert order == [("sync", 1), ("async", 1)]


async def test_async_listener_error_is_logged(caplog):
    em = AsyncEventEmitter[str]()

    async def bad():
        raise ValueError("nope")

    em.on("e", bad)
    with caplog.at_level(logging.ERROR, logger="agentutils.events"):
        em.emit("e")
        await em.aclose()
    assert "error in async listener" in caplog.text
    assert "bad()" in caplog.text
    assert isinstance(caplog.records[0].exc_info[1], ValueError)


async def test_async_mock_accepted_and_awaited():
    em = AsyncEventEmitter[str]()
    mock = AsyncMock()
    em.on("e", mock)
    em.emit("e", 1, 2)
    await em.aclose()
    mock.assert_awaited_once_with(1, 2)


async def test_once_async_listener():
    em = AsyncEventEmitter[str]()
    got = []

    async def once(x):
        got.append(x)

    em.once("e", once)
    em.emit("e", 1)
    em.emit("e", 2)
    await em.aclose()
    assert got == [1]


async def test_emit_after_aclose_raises():
    em = AsyncEventEmitter[str]()
    await em.aclose()
    assert em.closed
    with pytest.raises(RuntimeError, match="cannot emit 'e': the AsyncEventEmitter is closed"):
        em.emit("e")


def test_emit_with_coroutine_listener_needs_running_loop():
    em = AsyncEventEmitter[str]()

    async def handler():
        pass

    em.on("e", handler)
    with pytest.raises(RuntimeError, match="must be called with a running event loop"):
        em.emit("e")


async def test_cancelling_aclose_cancels_outstanding_tasks():
    em = AsyncEventEmitter[str]()
    started = asyncio.Event()
    cancelled = []

    async def forever():
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    em.on("e", forever)
    em.emit("e")
    await started.wait()
    closer = asyncio.ensure_future(em.aclose())
    await asyncio.sleep(0)
    closer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closer
    await asyncio.sleep(0)
    assert cancelled == [True]


async def test_rejects_non_callable():
    em = AsyncEventEmitter[str]()
    with pytest.raises(TypeError, match="listener must be callable, got str"):
        em.on("e", "nope")  # type: ignore[call-overload]


async def test_aclose_waits_for_tasks_started_by_listener_tasks():
    # A listener task that emits (a cascade) while aclose() waits for it is part of what
    # aclose() waits for; the emits of everyone else are refused.
    em = AsyncEventEmitter[str]()
    got = []
    gate = asyncio.Event()

    @em.on("a")
    async def first(x):
        await gate.wait()
        em.emit("b", x)

    @em.on("b")
    async def second(x):
        await asyncio.sleep(0)
        em.emit("c", x + 1)

    em.on("c", got.append)
    em.emit("a", 1)
    closer = asyncio.ensure_future(em.aclose())
    await asyncio.sleep(0)
    assert em.closed
    with pytest.raises(RuntimeError, match="cannot emit 'a': the AsyncEventEmitter is closed"):
        em.emit("a", 2)  # not from a listener task
    gate.set()
    await closer
    assert got == [2]
    assert em.pending == 0
    with pytest.raises(RuntimeError, match="cannot emit 'b': the AsyncEventEmitter is closed"):
        em.emit("b", 3)


async def _settle(*tasks: asyncio.Future[object], rounds: int = 50) -> None:
    """Run the loop until ``tasks`` are done, for at most ``rounds`` turns (no clock involved)."""
    for _ in range(rounds):
        if all(task.done() for task in tasks):
            return
        await asyncio.sleep(0)


class TestAcloseFromOwnListener:
    """A listener that awaits its own emitter's aclose(): it waits for the others, not for itself."""

    async def test_returns_and_later_acloses_return_too(self):
        em = AsyncEventEmitter[str]()
        tasks: list[asyncio.Future[object]] = []

        @em.on("stop")
        async def stop():
            tasks.append(asyncio.current_task())
            await em.aclose()
            tasks.append(None)

        em.emit("stop")
        await asyncio.sleep(0)
        await _settle(tasks[0])
        assert tasks[0].done(), "aclose() awaited from its own listener never returned"
        assert len(tasks) == 2
        assert em.closed
        later = asyncio.ensure_future(em.aclose())
        again = asyncio.ensure_future(em.aclose())
        await _settle(later, again)
        assert later.done()
        assert again.done()
        assert em.pending == 0

    async def test_waits_for_the_other_listeners(self):
        em = AsyncEventEmitter[str]()
        gate = asyncio.Event()
        steps = []
        tasks: list[asyncio.Future[object]] = []

        @em.on("stop")
        async def slow():
            tasks.append(asyncio.current_task())
            await gate.wait()
            steps.append("slow done")

        @em.on("stop")
        async def stop():
            tasks.append(asyncio.current_task())
            await em.aclose()
            steps.append("closed")

        em.emit("stop")
        outer = asyncio.ensure_future(em.aclose())  # a later aclose, from outside, meanwhile
        await _settle(outer)
        assert len(tasks) == 2
        assert steps == []  # both wait for slow()
        assert not outer.done()
        gate.set()
        await _settle(*tasks, outer)
        assert steps == ["slow done", "closed"]
        assert outer.done()
        assert em.pending == 0

    async def test_several_listeners_closing_at_once_do_not_wait_for_each_other(self):
        em = AsyncEventEmitter[str]()
        closed = []
        for i in range(3):

            async def stop(i: int = i) -> None:
                await em.aclose()
                closed.append(i)

            em.on("stop", stop)
        em.emit("stop")
        outer = asyncio.ensure_future(em.aclose())
        await _settle(outer)
        assert sorted(closed) == [0, 1, 2]
        assert outer.done()
        assert em.pending == 0

    async def test_cancelled_while_closing_from_a_listener(self):
        em = AsyncEventEmitter[str]()
        cancelled = []
        closer: list[asyncio.Future[object]] = []

        @em.on("stop")
        async def forever():
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                cancelled.append("forever")
                raise

        @em.on("stop")
        async def stop():
            closer.append(asyncio.current_task())
            await em.aclose()

        em.emit("stop")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        closer[0].cancel()  # the closing listener: its aclose() cancels the outstanding one
        await _settle(closer[0])
        assert closer[0].cancelled()
        for _ in range(3):  # the cancelled listener handles its CancelledError
            await asyncio.sleep(0)
        assert cancelled == ["forever"]
        await em.aclose()
        assert em.pending == 0
