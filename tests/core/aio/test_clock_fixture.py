"""The virtual clock fixture itself: the timing tests rely on it."""

from __future__ import annotations

import asyncio

import pytest


async def test_sleep_jumps_virtual_time(clock) -> None:
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await asyncio.sleep(3600)
    # the loop fires a timer within its clock resolution: allow for float rounding
    assert loop.time() - t0 == pytest.approx(3600)
    assert clock.elapsed() == pytest.approx(3600)


async def test_timers_fire_in_order(clock) -> None:
    order: list[str] = []

    async def at(delay: float, name: str) -> None:
        await asyncio.sleep(delay)
        order.append(name)

    await asyncio.gather(at(3, "c"), at(1, "a"), at(2, "b"))
    assert order == ["a", "b", "c"]
