"""Sleep / sleep: a resettable sleep (on the virtual clock: no real waiting, no flakiness)."""

from __future__ import annotations

import asyncio

import pytest

from agentutils_core.aio import Sleep, SleepFinished, sleep


async def _await(s: Sleep) -> None:
    await s


async def test_sleeps_for_delay(clock) -> None:
    await sleep(5)
    assert clock.elapsed() == pytest.approx(5)


async def test_factory_returns_sleep() -> None:
    s = sleep(1.5)
    assert isinstance(s, Sleep)
    assert s.delay == 1.5
    assert not s.done()


async def test_zero_and_negative_delay_yield_once(clock) -> None:
    ran: list[float] = []

    async def other(delay: float) -> None:
        ran.append(delay)

    for delay in (0, -3):
        task = asyncio.create_task(other(delay))
        await Sleep(delay)
        # like asyncio.sleep(0), the sleep yields, so the other task got to run
        assert ran[-1] == delay
        await task
    assert clock.elapsed() == pytest.approx(0)


async def test_reset_extends_from_now(clock) -> None:
    s = Sleep(10)
    task = asyncio.create_task(_await(s))
    await asyncio.sleep(6)
    assert not task.done()
    s.reset()  # 10 s from now: ends at t=16
    await asyncio.sleep(9)  # t=15
    assert not task.done()
    await task
    assert clock.elapsed() == pytest.approx(16)


async def test_reset_with_new_delay_shortens(clock) -> None:
    s = Sleep(100)
    task = asyncio.create_task(_await(s))
    await asyncio.sleep(1)
    s.reset(2)  # ends at t=3
    assert s.delay == 2
    await task
    assert clock.elapsed() == pytest.approx(3)


async def test_reset_before_await_changes_delay(clock) -> None:
    s = Sleep(100)
    s.reset(4)
    await asyncio.sleep(50)  # the timer starts only when awaited
    await s
    assert clock.elapsed() == pytest.approx(54)


async def test_reset_after_finish_raises(clock) -> None:
    s = Sleep(1)
    await s
    assert s.done()
    with pytest.raises(SleepFinished, match="cannot reset: the sleep has already finished"):
        s.reset()
    with pytest.raises(SleepFinished, match="already finished"):
        s.reset(5)
    assert s.delay == 1


async def test_zero_delay_reset_after_finish_raises() -> None:
    # The reference never armed a timer for delay <= 0, so reset() after it was silent.
    s = Sleep(0)
    await s
    with pytest.raises(SleepFinished):
        s.reset()


async def test_cancel_makes_await_raise(clock) -> None:
    s = Sleep(10)
    task = asyncio.create_task(_await(s))
    await asyncio.sleep(1)
    s.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert s.done()
    with pytest.raises(SleepFinished, match="cannot reset: the sleep has already cancelled"):
        s.reset()
    s.cancel()  # again: nothing
    with pytest.raises(asyncio.CancelledError):
        await s


async def test_cancel_before_await() -> None:
    s = Sleep(10)
    s.cancel()
    with pytest.raises(asyncio.CancelledError):
        await s


async def test_cancel_after_finish_is_noop(clock) -> None:
    s = Sleep(1)
    await s
    s.cancel()
    await s  # still finished: returns at once
    assert clock.elapsed() == pytest.approx(1)


async def test_await_again_returns_at_once(clock) -> None:
    s = Sleep(2)
    await s
    await s
    assert clock.elapsed() == pytest.approx(2)


async def test_two_waiters_share_the_deadline(clock) -> None:
    s = Sleep(3)
    a = asyncio.create_task(_await(s))
    b = asyncio.create_task(_await(s))
    await asyncio.sleep(1)
    a.cancel()  # one waiter leaving does not end the sleep for the other
    await asyncio.wait({a})
    assert not s.done()
    await b
    assert clock.elapsed() == pytest.approx(3)


async def test_cancelling_the_only_waiter_cancels_the_sleep(clock) -> None:
    s = Sleep(3)
    a = asyncio.create_task(_await(s))
    await asyncio.sleep(1)
    a.cancel()
    await asyncio.wait({a})
    assert a.cancelled()
    assert s.done()
    with pytest.raises(SleepFinished):
        s.reset()


async def test_can_be_used_with_wait_for(clock) -> None:
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(_await(Sleep(10)), timeout=1)
    assert clock.elapsed() == pytest.approx(1)


def test_bad_delay() -> None:
    with pytest.raises(TypeError, match="delay must be a number of seconds, got str: '1'"):
        Sleep("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got bool"):
        sleep(True)
    with pytest.raises(ValueError, match="delay must be a number of seconds, got nan"):
        Sleep(float("nan"))
    s = Sleep(1)
    with pytest.raises(TypeError, match=r"new_delay must be a number of seconds, got list: \[1\]"):
        s.reset([1])  # type: ignore[arg-type]
    assert s.delay == 1


def test_constructible_outside_a_loop() -> None:
    s = Sleep(0.001)
    asyncio.run(_await(s))
    assert s.done()


def test_repr() -> None:
    assert repr(Sleep(2)) == "<Sleep delay=2.0 state=idle>"
