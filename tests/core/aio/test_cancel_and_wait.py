"""cancel_and_wait / gracefully_cancel."""

from __future__ import annotations

import asyncio

import pytest

from agentutils_core.aio import cancel_and_wait, gracefully_cancel


async def test_alias() -> None:
    assert gracefully_cancel is cancel_and_wait


async def test_exposed_lazily_on_core() -> None:
    import agentutils_core

    assert agentutils_core.aio.cancel_and_wait is cancel_and_wait
    assert "aio" in agentutils_core.__all__


async def test_no_arguments_returns() -> None:
    await cancel_and_wait()


async def test_cancels_and_waits_for_cleanup() -> None:
    started = asyncio.Event()
    cleaned = []

    async def worker() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            # cleanup that itself awaits: cancel_and_wait must wait for it
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            cleaned.append(True)

    task = asyncio.create_task(worker())
    await started.wait()
    await cancel_and_wait(task)
    assert task.cancelled()
    assert cleaned == [True]


async def test_several_targets_all_finished() -> None:
    tasks = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(5)]
    fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    await cancel_and_wait(*tasks, fut)
    assert all(t.cancelled() for t in tasks)
    assert fut.cancelled()


async def test_same_task_twice() -> None:
    task = asyncio.create_task(asyncio.sleep(3600))
    await cancel_and_wait(task, task)
    assert task.cancelled()


async def test_does_not_raise_target_exception() -> None:
    started = asyncio.Event()

    async def fails_on_cancel() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise ValueError("boom during cleanup") from None

    task = asyncio.create_task(fails_on_cancel())
    await started.wait()
    await cancel_and_wait(task)
    assert isinstance(task.exception(), ValueError)


async def test_already_done_targets_are_untouched() -> None:
    async def ok() -> int:
        return 7

    async def bad() -> None:
        raise KeyError("x")

    t_ok = asyncio.create_task(ok())
    t_bad = asyncio.create_task(bad())
    await asyncio.wait({t_ok, t_bad})
    await cancel_and_wait(t_ok, t_bad)
    assert t_ok.result() == 7
    assert isinstance(t_bad.exception(), KeyError)


async def test_target_that_resists_cancellation_is_awaited() -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def stubborn() -> str:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await release.wait()  # swallows the cancellation and finishes normally
        return "done"

    task = asyncio.create_task(stubborn())
    await started.wait()
    waiter = asyncio.create_task(cancel_and_wait(task))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not waiter.done()
    release.set()
    await waiter
    assert task.result() == "done"


async def test_caller_cancellation_propagates() -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow_cleanup() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            await release.wait()

    target = asyncio.create_task(slow_cleanup())
    await started.wait()
    caller = asyncio.create_task(cancel_and_wait(target))
    for _ in range(3):
        await asyncio.sleep(0)
    assert not caller.done()
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert caller.cancelled()
    # the target was asked to cancel but is still running its cleanup
    assert not target.done()
    release.set()
    await asyncio.wait({target})
    assert target.cancelled()


async def test_cancelling_itself_raises_cancelled() -> None:
    async def self_cancel() -> None:
        me = asyncio.current_task()
        assert me is not None
        await cancel_and_wait(me)

    task = asyncio.create_task(self_cancel())
    await asyncio.wait({task})
    assert task.cancelled()


async def test_rejects_a_coroutine() -> None:
    async def nothing() -> None:
        return None

    coro = nothing()
    try:
        with pytest.raises(TypeError, match=r"expects asyncio futures or tasks, got coroutine"):
            await cancel_and_wait(coro)  # type: ignore[arg-type]
    finally:
        coro.close()


async def test_rejects_a_non_future_without_cancelling_the_others() -> None:
    task = asyncio.create_task(asyncio.sleep(3600))
    with pytest.raises(TypeError, match=r"got int: 42"):
        await cancel_and_wait(task, 42)  # type: ignore[arg-type]
    assert not task.cancelled()
    await cancel_and_wait(task)
