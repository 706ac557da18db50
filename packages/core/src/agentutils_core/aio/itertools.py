"""``tee``: split one async iterator into ``n`` independent ones."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from ..checks import check_int
from ._closing import AsyncClosing
from .utils import cancel_and_wait

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Iterator

__all__ = ["Tee", "tee"]

T = TypeVar("T")


async def _fetch(iterator: AsyncIterator[T]) -> tuple[T] | None:
    # (item,), or None once the upstream is exhausted (an item may itself be None).
    try:
        return (await iterator.__anext__(),)
    except StopAsyncIteration:
        return None


class _Shared(Generic[T]):
    """What the peers of one tee share: the upstream, the live buffers, the in-flight fetch."""

    def __init__(self, iterator: AsyncIterator[T], n: int) -> None:
        self.iterator = iterator
        self.buffers: list[deque[T]] = [deque() for _ in range(n)]
        self.fetch: asyncio.Task[tuple[T] | None] | None = None
        self.error: BaseException | None = None
        self.exhausted = False
        self.upstream_closed = False

    def on_fetched(self, task: asyncio.Task[tuple[T] | None]) -> None:
        self.fetch = None
        if task.cancelled():
            return  # not an upstream outcome: the waiting peers raise CancelledError
        error = task.exception()
        if error is not None:
            self.error = error
            return
        fetched = task.result()
        if fetched is None:
            self.exhausted = True
            return
        for buffer in self.buffers:
            buffer.append(fetched[0])

    def is_upstream_closed(self) -> bool:
        return self.upstream_closed

    async def release(self, buffer: deque[T]) -> None:
        """A peer is done: stop buffering for it; close the upstream after the last one."""
        for index, peer_buffer in enumerate(self.buffers):
            if peer_buffer is buffer:
                del self.buffers[index]
                break
        if not self.buffers:
            await self.close_upstream()

    async def close_upstream(self) -> None:
        if self.upstream_closed:
            return
        self.upstream_closed = True
        if self.fetch is not None:
            # aclose() while __anext__ runs would fail ("already running"): end it first.
            await cancel_and_wait(self.fetch)
        aclose = getattr(self.iterator, "aclose", None)
        if aclose is not None:
            await aclose()


async def _peer(shared: _Shared[T], buffer: deque[T]) -> AsyncGenerator[T, None]:
    try:
        while True:
            if buffer:
                yield buffer.popleft()
                continue
            if shared.error is not None:
                raise shared.error
            if shared.exhausted or shared.upstream_closed:
                return
            fetch = shared.fetch
            if fetch is None:
                # The upstream is advanced in a task of its own, so that cancelling the peer
                # waiting for it does not cancel the upstream under the other peers.
                fetch = shared.fetch = asyncio.get_running_loop().create_task(_fetch(shared.iterator))
                fetch.add_done_callback(shared.on_fetched)
            await asyncio.wait((fetch,))
            if fetch.cancelled():
                if shared.is_upstream_closed():  # a method: the await above may have changed it
                    return  # the tee was closed while this peer waited
                raise asyncio.CancelledError  # the fetch task was cancelled from outside
    finally:
        await shared.release(buffer)


class _Peer(AsyncIterator[T]):
    """One output of a tee: its generator, plus an ``aclose()`` that counts before the start.

    Closing an async generator that never started runs none of its code (no ``finally``),
    so a peer closed unread would keep being buffered for, and keep the upstream open.
    """

    __slots__ = ("_buffer", "_gen", "_shared", "_started")

    def __init__(self, shared: _Shared[T], buffer: deque[T]) -> None:
        self._shared = shared
        self._buffer = buffer
        self._gen = _peer(shared, buffer)
        self._started = False

    def __aiter__(self) -> _Peer[T]:
        return self

    def __anext__(self) -> Awaitable[T]:
        self._started = True
        return self._gen.__anext__()

    async def aclose(self) -> None:
        """Close this peer; the upstream is closed once every peer is."""
        if self._started:
            await self._gen.aclose()
        else:
            self._started = True
            await self._gen.aclose()  # marks it finished: a later __anext__ stops at once
            await self._shared.release(self._buffer)


class Tee(AsyncClosing, Generic[T]):
    """Split an async iterable into ``n`` async iterators that each yield every item.

    The upstream is advanced on demand by whichever peer is ahead; the items the others
    have not read yet are buffered for them (so a peer that is never read buffers
    everything). An error raised by the upstream reaches every peer, after the items
    fetched before it. Cancelling a peer waiting for the next item ends that peer only: the
    upstream keeps going for the others. The upstream is closed (``aclose()``) when the
    last peer finishes or is closed, and by :meth:`aclose` / leaving ``async with``.

    Args:
        iterable: the async iterable to split.
        n: the number of peers.

    Raises:
        TypeError: ``iterable`` is not an async iterable, or ``n`` is not an int.
        ValueError: ``n`` is negative.

    Example:
        >>> import asyncio
        >>> async def numbers():
        ...     for i in range(3):
        ...         yield i
        >>> async def main() -> tuple[list[int], list[int]]:
        ...     async with tee(numbers(), 2) as (a, b):
        ...         return [x async for x in a], [x async for x in b]
        >>> asyncio.run(main())
        ([0, 1, 2], [0, 1, 2])

    """

    __slots__ = ("_children", "_shared")

    def __init__(self, iterable: AsyncIterable[T], n: int = 2) -> None:
        if not hasattr(type(iterable), "__aiter__"):
            raise TypeError(f"tee() expects an async iterable, got {type(iterable).__name__}: {iterable!r}")
        if check_int(n, "n") < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        self._shared = _Shared(iterable.__aiter__(), n)
        self._children: tuple[_Peer[T], ...] = tuple(
            _Peer(self._shared, buffer) for buffer in self._shared.buffers
        )

    def __len__(self) -> int:
        return len(self._children)

    @overload
    def __getitem__(self, item: int) -> AsyncIterator[T]: ...

    @overload
    def __getitem__(self, item: slice) -> tuple[AsyncIterator[T], ...]: ...

    def __getitem__(self, item: int | slice) -> AsyncIterator[T] | tuple[AsyncIterator[T], ...]:
        return self._children[item]

    def __iter__(self) -> Iterator[AsyncIterator[T]]:
        return iter(self._children)

    async def aclose(self) -> None:
        """Close every peer, then the upstream (errors raised while closing are not raised)."""
        for child in self._children:
            # Best effort, as the reference: a peer running in another task refuses aclose();
            # it ends on its own once the upstream is closed below.
            with contextlib.suppress(Exception):
                await child.aclose()
        # Peers running in other tasks refused aclose(): stop buffering for them too.
        self._shared.buffers.clear()
        with contextlib.suppress(Exception):
            await self._shared.close_upstream()


def tee(iterable: AsyncIterable[T], n: int = 2) -> Tee[T]:
    """Split ``iterable`` into ``n`` independent async iterators (see :class:`Tee`).

    Args:
        iterable: the async iterable to split.
        n: the number of peers.

    Raises:
        TypeError: ``iterable`` is not an async iterable, or ``n`` is not an int.
        ValueError: ``n`` is negative.

    """
    return Tee(iterable, n)
