"""Interval / interval: periodic ticks (on the virtual clock)."""

from __future__ import annotations

import asyncio

import pytest

from agentutils_core.aio import Interval, interval


async def test_tick_zero_is_immediate_then_periodic(clock) -> None:
    it = interval(2)
    times = []
    for expected in range(4):
        assert await it.tick() == expected
        times.append(clock.elapsed())
    assert times == pytest.approx([0, 2, 4, 6])


async def test_async_for(clock) -> None:
    got = []
    async for i in Interval(0.5):
        got.append((i, clock.elapsed()))
        if i == 3:
            break
    assert [i for i, _ in got] == [0, 1, 2, 3]
    assert [t for _, t in got] == pytest.approx([0, 0.5, 1.0, 1.5])


async def test_no_catch_up_burst(clock) -> None:
    it = Interval(1)
    assert await it.tick() == 0
    await asyncio.sleep(5.5)  # the consumer misses five periods
    assert await it.tick() == 1
    assert clock.elapsed() == pytest.approx(5.5)  # one late tick at once ...
    assert await it.tick() == 2
    assert clock.elapsed() == pytest.approx(6.5)  # ... then a full period, no burst


async def test_late_timers_do_not_accumulate_drift(clock) -> None:
    # Every timer fires 10 ms late: tick n must still come at about n periods, not
    # n * (period + 10 ms) as when the period counts from each late delivery.
    clock.lateness = 0.01
    it = Interval(1)
    for _ in range(101):
        await it.tick()
    assert clock.elapsed() == pytest.approx(100, abs=0.02)


async def test_stalled_loop_gives_no_burst(clock) -> None:
    # The timer of tick 1 fires 5 periods late (a loop blocked by someone else): tick 2
    # then comes a full period later, not at once to catch up.
    it = Interval(1)
    await it.tick()
    clock.lateness = 5
    await it.tick()
    clock.lateness = 0
    assert clock.elapsed() == pytest.approx(6)
    await it.tick()
    assert clock.elapsed() == pytest.approx(7)


async def test_slow_consumer_is_delayed_not_bursted(clock) -> None:
    # A consumer busy for 1.5 periods after each tick gets each next tick at once when it
    # comes back, and the schedule restarts from there: ticks every 1.5 s, none skipped.
    it = Interval(1)
    times = []
    for _ in range(4):
        await it.tick()
        times.append(clock.elapsed())
        await asyncio.sleep(1.5)
    assert times == pytest.approx([0, 1.5, 3.0, 4.5])


async def test_reset_before_first_tick_is_safe(clock) -> None:
    it = Interval(3)
    it.reset()
    it.reset()
    assert await it.tick() == 0
    assert clock.elapsed() == pytest.approx(0)
    assert await it.tick() == 1
    assert clock.elapsed() == pytest.approx(3)


async def test_reset_while_waiting_restarts_the_period(clock) -> None:
    it = Interval(4)
    await it.tick()
    waiting = asyncio.create_task(it.tick())
    await asyncio.sleep(3)
    it.reset()  # next tick 4 s from now: t=7
    index = await waiting
    assert index == 1
    assert clock.elapsed() == pytest.approx(7)


async def test_reset_between_ticks_restarts_the_period(clock) -> None:
    # The reference made the next tick immediate (and did not count it) in this case.
    it = Interval(4)
    await it.tick()
    await asyncio.sleep(1)
    it.reset()  # t=1: next tick at t=5
    assert await it.tick() == 1
    assert clock.elapsed() == pytest.approx(5)


async def test_cancelled_tick_delivers_nothing(clock) -> None:
    it = Interval(2)
    await it.tick()
    waiting = asyncio.create_task(it.tick())
    await asyncio.sleep(1)
    waiting.cancel()
    await asyncio.wait({waiting})
    assert waiting.cancelled()
    assert await it.tick() == 1  # still due at t=2, index not consumed
    assert clock.elapsed() == pytest.approx(2)


async def test_concurrent_tick_is_refused(clock) -> None:
    it = Interval(1)
    await it.tick()
    first = asyncio.create_task(it.tick())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match=r"tick\(\) is already being awaited"):
        await it.tick()
    assert await first == 1


def test_bad_interval() -> None:
    with pytest.raises(ValueError, match="interval must be > 0 seconds, got 0"):
        Interval(0)
    with pytest.raises(ValueError, match=r"interval must be > 0 seconds, got -1\.5"):
        interval(-1.5)
    with pytest.raises(ValueError, match="interval must be a number of seconds, got nan"):
        Interval(float("nan"))
    with pytest.raises(TypeError, match="interval must be a number of seconds, got NoneType: None"):
        Interval(None)  # type: ignore[arg-type]


def test_properties_and_repr() -> None:
    it = Interval(2)
    assert it.interval == 2.0
    assert repr(it) == "<Interval interval=2.0 ticks=0>"
