"""WaitGroup."""

from __future__ import annotations

import asyncio

import pytest

from agentutils_core.aio import WaitGroup


async def test_wait_returns_at_once_when_zero() -> None:
    wg = WaitGroup()
    await wg.wait()
    assert wg.counter == 0


async def test_waits_for_every_job() -> None:
    wg = WaitGroup()
    finished: list[int] = []

    async def job(i: int) -> None:
        for _ in range(i):
            await asyncio.sleep(0)
        finished.append(i)
        wg.done()

    wg.add(5)
    tasks = [asyncio.create_task(job(i)) for i in range(5)]
    await wg.wait()
    assert sorted(finished) == list(range(5))
    await asyncio.gather(*tasks)


async def test_several_waiters_are_woken() -> None:
    wg = WaitGroup()
    wg.add(2)
    waiters = [asyncio.create_task(wg.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    wg.done()
    await asyncio.sleep(0)
    assert not any(w.done() for w in waiters)
    wg.done()
    await asyncio.gather(*waiters)


async def test_reusable_after_reaching_zero() -> None:
    wg = WaitGroup()
    wg.add()
    wg.done()
    wg.add(2)
    waiter = asyncio.create_task(wg.wait())
    await asyncio.sleep(0)
    assert not waiter.done()
    wg.add(-2)
    await waiter


async def test_cancelled_wait_leaves_no_waiter() -> None:
    wg = WaitGroup()
    wg.add()
    waiter = asyncio.create_task(wg.wait())
    await asyncio.sleep(0)
    assert "waiters=1" in repr(wg)
    waiter.cancel()
    await asyncio.wait({waiter})
    assert "waiters=0" in repr(wg)
    wg.done()


def test_negative_counter_is_value_error() -> None:
    wg = WaitGroup()
    with pytest.raises(ValueError, match="cannot go negative: it is 0, adding -1 gives -1"):
        wg.done()
    wg.add(2)
    with pytest.raises(ValueError, match="it is 2, adding -3 gives -1"):
        wg.add(-3)
    assert wg.counter == 2


def test_delta_must_be_int() -> None:
    wg = WaitGroup()
    with pytest.raises(TypeError, match=r"delta must be an int, got float: 1\.0"):
        wg.add(1.0)  # type: ignore[arg-type]


def test_constructible_outside_a_loop() -> None:
    wg = WaitGroup()
    wg.add()

    async def main() -> None:
        asyncio.get_running_loop().call_soon(wg.done)
        await wg.wait()

    asyncio.run(main())
    assert repr(wg) == "<WaitGroup counter=0 waiters=0>"
