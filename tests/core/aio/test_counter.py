"""AsyncAtomicCounter."""

from __future__ import annotations

import asyncio

import pytest

from agentutils_core.aio import AsyncAtomicCounter


async def test_operations() -> None:
    c = AsyncAtomicCounter(5)
    assert await c.get() == 5
    assert await c.increment() == 6
    assert await c.increment(4) == 10
    assert await c.decrement() == 9
    assert await c.decrement(10) == -1
    await c.set(3)
    assert c.get_nowait() == 3
    assert await c.compare_and_swap(2, 7) is False
    assert await c.get() == 3
    assert await c.compare_and_swap(3, 7) is True
    assert await c.get() == 7
    assert await c.get_and_reset() == 7
    assert await c.get() == 0
    assert await c.get_and_reset(11) == 0
    assert c.get_nowait() == 11
    assert repr(c) == "<AsyncAtomicCounter value=11>"


async def test_default_is_zero() -> None:
    assert AsyncAtomicCounter().get_nowait() == 0


async def test_concurrent_increments_are_not_lost() -> None:
    c = AsyncAtomicCounter()

    async def bump() -> None:
        for _ in range(100):
            await c.increment()
            await asyncio.sleep(0)

    await asyncio.gather(*(bump() for _ in range(10)))
    assert await c.get() == 1000


async def test_only_one_compare_and_swap_wins() -> None:
    c = AsyncAtomicCounter()
    results = await asyncio.gather(*(c.compare_and_swap(0, i) for i in range(1, 11)))
    assert results.count(True) == 1
    assert await c.get() == results.index(True) + 1


async def test_type_errors() -> None:
    with pytest.raises(TypeError, match=r"initial must be an int, got float: 1\.5"):
        AsyncAtomicCounter(1.5)  # type: ignore[arg-type]
    c = AsyncAtomicCounter()
    with pytest.raises(TypeError, match="n must be an int, got str: '1'"):
        await c.increment("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="n must be an int, got NoneType"):
        await c.decrement(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="value must be an int, got float"):
        await c.set(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="new must be an int, got str"):
        await c.compare_and_swap(0, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="reset_value must be an int, got float"):
        await c.get_and_reset(0.0)  # type: ignore[arg-type]
    assert c.get_nowait() == 0
