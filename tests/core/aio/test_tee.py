"""itertools.tee: every peer sees every item, errors reach all, cancellation stays local."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from agentutils_core import aio
from agentutils_core.aio import Chan, Tee, itertools, tee


class Source:
    """An async generator source that records how far it ran and whether it was closed."""

    def __init__(self, items: list[int], error: BaseException | None = None) -> None:
        self.items = items
        self.error = error
        self.produced = 0
        self.closed = False

    async def gen(self) -> AsyncIterator[int]:
        try:
            for item in self.items:
                await asyncio.sleep(0)
                self.produced += 1
                yield item
            if self.error is not None:
                raise self.error
        finally:
            self.closed = True


async def collect(it: AsyncIterator[int]) -> list[int]:
    return [x async for x in it]


async def test_exports() -> None:
    assert aio.itertools is itertools
    assert itertools.tee is tee
    assert itertools.Tee is Tee


async def test_each_peer_gets_every_item_in_order() -> None:
    src = Source(list(range(20)))
    a, b, c = tee(src.gen(), 3)
    results = await asyncio.gather(collect(a), collect(b), collect(c))
    assert results == [list(range(20))] * 3
    assert src.produced == 20
    assert src.closed


async def test_sequential_consumption_buffers() -> None:
    src = Source([1, 2, 3])
    t = tee(src.gen())
    assert len(t) == 2
    first, second = t[0], t[1]
    assert t[:] == (first, second)
    assert await collect(first) == [1, 2, 3]
    assert src.produced == 3  # the second peer reads from its buffer
    assert await collect(second) == [1, 2, 3]
    assert src.produced == 3
    assert src.closed


async def test_upstream_error_reaches_every_peer_after_its_items() -> None:
    src = Source([1, 2], error=ValueError("upstream broke"))
    a, b = tee(src.gen())
    got_a: list[int] = []
    got_b: list[int] = []

    async def drain(peer: AsyncIterator[int], into: list[int]) -> None:
        async for x in peer:
            into.append(x)

    with pytest.raises(ValueError, match="upstream broke"):
        await drain(a, got_a)
    with pytest.raises(ValueError, match="upstream broke"):
        await drain(b, got_b)
    assert got_a == got_b == [1, 2]


async def test_upstream_error_reaches_concurrent_peers() -> None:
    src = Source([1, 2, 3], error=KeyError("k"))
    a, b, c = tee(src.gen(), 3)
    results = await asyncio.gather(collect(a), collect(b), collect(c), return_exceptions=True)
    assert all(isinstance(r, KeyError) for r in results)


async def test_cancelled_peer_does_not_cancel_the_others() -> None:
    ch: Chan[int] = Chan()
    a, b = tee(ch)
    got_b: list[int] = []

    async def consume_b() -> None:
        async for x in b:
            got_b.append(x)

    waiting_a = asyncio.create_task(a.__anext__())
    consumer_b = asyncio.create_task(consume_b())
    for _ in range(5):
        await asyncio.sleep(0)
    # `a` is the peer waiting inside the upstream's __anext__ (b waits on the same fetch)
    waiting_a.cancel()
    await asyncio.wait({waiting_a})
    assert waiting_a.cancelled()
    for i in range(3):
        await ch.send(i)
    ch.close()
    await asyncio.wait_for(consumer_b, timeout=60)
    assert got_b == [0, 1, 2]


async def test_cancelled_only_reader_does_not_break_the_upstream_for_the_other() -> None:
    # Peer `a` alone drives the upstream and is cancelled mid-fetch; `b` starts later and
    # still gets every item (the reference lost them: the cancellation went into the upstream).
    src = Source(list(range(5)))
    upstream = src.gen()
    a, b = tee(upstream)
    fetching = asyncio.create_task(a.__anext__())
    await asyncio.sleep(0)  # a is now waiting for the upstream's first item
    fetching.cancel()
    await asyncio.wait({fetching})
    assert fetching.cancelled()
    assert await collect(b) == list(range(5))
    assert src.closed


async def test_upstream_closed_when_last_peer_closes() -> None:
    src = Source(list(range(100)))
    a, b = tee(src.gen())
    assert await a.__anext__() == 0
    assert await b.__anext__() == 0
    await a.aclose()  # type: ignore[attr-defined]
    assert not src.closed
    assert await b.__anext__() == 1
    await b.aclose()  # type: ignore[attr-defined]
    assert src.closed
    assert src.produced < 100


@pytest.mark.parametrize("order", ["started_first", "unstarted_first"])
async def test_closing_a_never_started_peer_counts(order: str) -> None:
    # A peer closed before its first item has no generator frame to run a finally: the
    # upstream must still be closed once every peer is, whatever the order.
    src = Source(list(range(100)))
    a, b = tee(src.gen())
    assert await a.__anext__() == 0
    first, second = (a, b) if order == "started_first" else (b, a)
    await first.aclose()  # type: ignore[attr-defined]
    assert not src.closed
    await second.aclose()  # type: ignore[attr-defined]
    assert src.closed
    with pytest.raises(StopAsyncIteration):
        await b.__anext__()


async def test_closed_peer_stops_buffering() -> None:
    src = Source(list(range(10)))
    a, b = tee(src.gen())
    assert await a.__anext__() == 0
    await a.aclose()  # type: ignore[attr-defined]
    assert await collect(b) == list(range(10))


async def test_aclose_and_context_manager() -> None:
    src = Source(list(range(10)))
    async with tee(src.gen(), 3) as (a, b, _never_started):
        assert await a.__anext__() == 0
        assert await b.__anext__() == 0
    assert src.closed
    with pytest.raises(StopAsyncIteration):
        await a.__anext__()


async def test_aclose_while_a_peer_waits_in_another_task() -> None:
    ch: Chan[int] = Chan()
    t = tee(ch)
    a, _ = t
    waiting = asyncio.create_task(collect(a))
    await asyncio.sleep(0)
    await t.aclose()
    # the waiting peer ends quietly (no CancelledError in a task nobody cancelled)
    assert await asyncio.wait_for(waiting, timeout=60) == []


async def test_items_may_be_none() -> None:
    async def gen() -> AsyncIterator[int | None]:
        yield None
        yield 1
        yield None

    a, b = tee(gen())
    assert await collect(a) == [None, 1, None]  # type: ignore[arg-type]
    assert await collect(b) == [None, 1, None]  # type: ignore[arg-type]


async def test_works_with_a_plain_async_iterator_without_aclose() -> None:
    class Counter:
        def __init__(self) -> None:
            self.i = 0

        def __aiter__(self) -> Counter:
            return self

        async def __anext__(self) -> int:
            if self.i == 3:
                raise StopAsyncIteration
            self.i += 1
            return self.i

    a, b = tee(Counter())
    assert await asyncio.gather(collect(a), collect(b)) == [[1, 2, 3], [1, 2, 3]]


async def test_n_zero_and_one() -> None:
    assert len(tee(Source([]).gen(), 0)) == 0
    (only,) = tee(Source([4, 5]).gen(), 1)
    assert await collect(only) == [4, 5]


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match=r"tee\(\) expects an async iterable, got list: \[1, 2\]"):
        tee([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n must be >= 0, got -1"):
        Tee(Source([]).gen(), -1)
    with pytest.raises(TypeError, match=r"n must be an int, got float: 2\.0"):
        tee(Source([]).gen(), 2.0)  # type: ignore[arg-type]
