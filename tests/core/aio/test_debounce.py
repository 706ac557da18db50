"""Debounced / debounced (on the virtual clock)."""

from __future__ import annotations

import asyncio

import pytest

from agentutils_core.aio import Debounced, debounced


def make_recorder(clock: object) -> tuple[list[float], Debounced[int]]:
    calls: list[float] = []

    async def func() -> int:
        calls.append(clock.elapsed())  # type: ignore[attr-defined]
        return len(calls)

    return calls, Debounced(func, 2)


async def test_schedule_runs_after_delay(clock) -> None:
    calls, d = make_recorder(clock)
    task = d.schedule()
    assert d.is_running()
    assert await task == 1
    assert calls == pytest.approx([2])
    assert not d.is_running()


async def test_burst_of_schedules_runs_once_after_the_last(clock) -> None:
    calls, d = make_recorder(clock)
    tasks = []
    for _ in range(5):
        tasks.append(d.schedule())
        await asyncio.sleep(1)  # less than the delay: each call replaces the previous one
    await tasks[-1]
    assert calls == pytest.approx([6])  # last schedule at t=4, + 2 s
    assert all(t.cancelled() for t in tasks[:-1])


async def test_run_now_replaces_pending(clock) -> None:
    calls, d = make_recorder(clock)
    pending = d.schedule()
    task = d()  # __call__ is run()
    assert await task == 1
    assert pending.cancelled()
    assert calls == pytest.approx([0])
    task = d.run()
    assert await task == 2


async def test_cancel(clock) -> None:
    calls, d = make_recorder(clock)
    task = d.schedule()
    d.cancel()
    assert not d.is_running()
    await asyncio.wait({task})
    assert task.cancelled()
    await asyncio.sleep(10)
    assert calls == []
    d.cancel()  # nothing scheduled: no-op


async def test_schedule_cancels_a_running_call(clock) -> None:
    started = asyncio.Event()
    finished: list[bool] = []

    async def slow() -> None:
        started.set()
        await asyncio.sleep(100)
        finished.append(True)

    d = Debounced(slow, 0)
    first = d.run()
    await started.wait()
    second = d.schedule()
    await asyncio.wait({first})
    assert first.cancelled()
    await second
    assert finished == [True]


async def test_decorator(clock) -> None:
    calls: list[float] = []

    @debounced(3)
    async def save() -> str:
        calls.append(clock.elapsed())
        return "saved"

    assert isinstance(save, Debounced)
    assert save.delay == 3
    assert await save.schedule() == "saved"
    assert calls == pytest.approx([3])


async def test_is_running_false_after_failure(clock) -> None:
    async def boom() -> None:
        raise ValueError("x")

    d = Debounced(boom, 1)
    task = d.schedule()
    with pytest.raises(ValueError, match="x"):
        await task
    assert not d.is_running()


def test_bad_arguments() -> None:
    async def f() -> None:
        return None

    with pytest.raises(TypeError, match="func must be a coroutine function, got int: 3"):
        Debounced(3, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"delay must be >= 0 seconds, got -0\.5"):
        Debounced(f, -0.5)
    with pytest.raises(TypeError, match="delay must be a number of seconds, got str"):
        Debounced(f, "1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="delay must be >= 0 seconds, got -1"):
        debounced(-1)
    with pytest.raises(ValueError, match="got nan"):
        debounced(float("nan"))


def test_repr_and_outside_loop() -> None:
    async def f() -> None:
        return None

    d = Debounced(f, 1)
    assert repr(d).startswith("<Debounced func=<function ")
    assert repr(d).endswith("delay=1.0 running=False>")
