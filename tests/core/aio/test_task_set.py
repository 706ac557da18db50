"""TaskSet: fire-and-forget tasks kept alive, explicit aclose()."""

from __future__ import annotations

import asyncio
import gc

import pytest

from agentutils_core.aio import TaskSet


async def test_keeps_unreferenced_tasks_alive() -> None:
    ts = TaskSet()
    gate = asyncio.Event()
    done: list[int] = []

    async def job(i: int) -> None:
        await gate.wait()
        done.append(i)

    for i in range(10):
        ts.create_task(job(i))  # no reference kept by the caller
    gc.collect()
    assert len(ts) == 10
    gate.set()
    await asyncio.wait(ts.tasks)
    await asyncio.sleep(0)  # the done callbacks run
    assert len(ts) == 0
    assert sorted(done) == list(range(10))
    assert ts.tasks == set()


async def test_create_task_returns_named_task_with_result() -> None:
    ts = TaskSet()

    async def answer() -> int:
        return 42

    task = ts.create_task(answer(), name="answer")
    assert task.get_name() == "answer"
    assert task in ts.tasks
    assert await task == 42
    await asyncio.sleep(0)  # done callbacks run
    assert task not in ts.tasks


async def test_tasks_is_a_copy() -> None:
    ts = TaskSet()
    task = ts.create_task(asyncio.sleep(3600))
    snapshot = ts.tasks
    snapshot.clear()
    assert ts.tasks == {task}
    await ts.aclose()


async def test_aclose_cancels_and_waits() -> None:
    ts = TaskSet()
    cleaned: list[bool] = []
    started = asyncio.Event()

    async def job() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0)
            cleaned.append(True)

    task = ts.create_task(job())
    await started.wait()
    await ts.aclose()
    assert task.cancelled()
    assert cleaned == [True]
    assert ts.closed
    assert len(ts) == 0


async def test_aclose_does_not_raise_task_errors() -> None:
    ts = TaskSet()
    started = asyncio.Event()

    async def fails_on_cancel() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise RuntimeError("cleanup failed") from None

    task = ts.create_task(fails_on_cancel())
    await started.wait()
    await ts.aclose()
    assert isinstance(task.exception(), RuntimeError)


async def test_create_after_close_is_refused_without_warning() -> None:
    ts = TaskSet()
    await ts.aclose()

    async def job() -> None:
        return None

    coro = job()
    with pytest.raises(RuntimeError, match="cannot create a task: the TaskSet is closed"):
        ts.create_task(coro)
    # the coroutine was closed: no "never awaited" RuntimeWarning (warnings are errors here)
    assert coro.cr_frame is None


async def test_async_context_manager() -> None:
    async with TaskSet() as ts:
        task = ts.create_task(asyncio.sleep(3600))
    assert task.cancelled()
    assert ts.closed


def test_constructible_outside_a_loop() -> None:
    ts = TaskSet()

    async def main() -> int:
        async def seven() -> int:
            return 7

        return await ts.create_task(seven())

    assert asyncio.run(main()) == 7


def test_repr() -> None:
    assert repr(TaskSet()) == "<TaskSet tasks=0 closed=False>"
