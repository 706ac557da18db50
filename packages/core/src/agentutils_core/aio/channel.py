"""``Chan``: an asyncio channel (a closable queue) and its sender/receiver protocols."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, runtime_checkable

from ..checks import check_int

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

__all__ = ["Chan", "ChanClosed", "ChanEmpty", "ChanFull", "ChanReceiver", "ChanSender"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
T_contra = TypeVar("T_contra", contravariant=True)


class ChanClosed(Exception):
    """Raised by a send on a closed channel, and by a receive once it is closed and drained."""


class ChanFull(Exception):
    """Raised by :meth:`Chan.send_nowait` when the channel's buffer is full."""


class ChanEmpty(Exception):
    """Raised by :meth:`Chan.recv_nowait` when the channel is open and has nothing buffered."""


@runtime_checkable
class ChanSender(Protocol[T_contra]):
    """The sending half of a channel, for code that should only send."""

    async def send(self, value: T_contra) -> None:
        """Send ``value``, waiting while the channel is full."""
        ...

    def send_nowait(self, value: T_contra) -> None:
        """Send ``value`` without waiting."""
        ...

    def close(self) -> None:
        """Close the channel."""
        ...


@runtime_checkable
class ChanReceiver(Protocol[T_co]):
    """The receiving half of a channel, for code that should only receive."""

    async def recv(self) -> T_co:
        """Receive the next value, waiting while the channel is empty."""
        ...

    def recv_nowait(self) -> T_co:
        """Receive the next value without waiting."""
        ...

    def close(self) -> None:
        """Close the channel."""
        ...

    def __aiter__(self) -> AsyncIterator[T_co]: ...

    async def __anext__(self) -> T_co: ...


def _wake_first(waiters: deque[asyncio.Future[None]]) -> None:
    # Skip waiters that were cancelled but not removed yet; wake exactly one live one.
    while waiters:
        waiter = waiters.popleft()
        if not waiter.done():
            waiter.set_result(None)
            return


def _wake_all(waiters: deque[asyncio.Future[None]]) -> None:
    while waiters:
        waiter = waiters.popleft()
        if not waiter.done():
            waiter.set_result(None)


class Chan(Generic[T]):
    """A closable FIFO channel between asyncio tasks.

    ``maxsize`` bounds the buffer (``send`` waits while it is full); ``0`` or less means
    unbounded. Closing the channel makes every send fail with :class:`ChanClosed`, and wakes
    the waiting senders with that error; receivers still get what was buffered before the
    close, then :class:`ChanClosed`. ``async for value in chan`` receives until the channel
    is closed and drained.

    The channel binds no event loop: it can be created outside a running loop (at import
    time, in a synchronous constructor) on every supported Python, and waits on the loop
    running at the time of each ``send``/``recv``. Cancelling a waiting ``send`` or
    ``recv`` leaves nothing behind, and a wake-up it had already been given passes to the
    next waiter, so no value or free slot is lost.

    Args:
        maxsize: the most values buffered at once; ``0`` (or less) for no limit.
        loop: the event loop whose futures the waits use; by default, the running loop
            (kept for compatibility with ``livekit.agents.utils.aio.Chan``).

    Raises:
        TypeError: ``maxsize`` is not an int.

    Example:
        >>> import asyncio
        >>> async def main() -> list[int]:
        ...     ch: Chan[int] = Chan(maxsize=2)
        ...     await ch.send(1)
        ...     ch.send_nowait(2)
        ...     ch.close()
        ...     return [value async for value in ch]
        >>> asyncio.run(main())
        [1, 2]

    """

    def __init__(self, maxsize: int = 0, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._maxsize = max(check_int(maxsize, "maxsize"), 0)
        self._loop = loop
        self._closed = False
        self._queue: deque[T] = deque()
        self._getters: deque[asyncio.Future[None]] = deque()
        self._putters: deque[asyncio.Future[None]] = deque()

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} maxsize={self._maxsize} qsize={len(self._queue)} "
            f"closed={self._closed} receivers_waiting={len(self._getters)} "
            f"senders_waiting={len(self._putters)}>"
        )

    async def _wait_in(self, waiters: deque[asyncio.Future[None]], can_proceed: Callable[[], bool]) -> None:
        """Wait in the ``waiters`` queue until woken.

        A wait left by an exception (a cancellation) leaves nothing in the queue; if it had
        been woken already and ``can_proceed()``, the wake-up passes to the next waiter.
        """
        loop = self._loop if self._loop is not None else asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            waiter.cancel()
            with contextlib.suppress(ValueError):
                waiters.remove(waiter)
            if not waiter.cancelled() and can_proceed():
                _wake_first(waiters)
            raise

    @property
    def maxsize(self) -> int:
        """The buffer bound; ``0`` means unbounded."""
        return self._maxsize

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (values may still be buffered)."""
        return self._closed

    def qsize(self) -> int:
        """Return the number of values buffered and not yet received."""
        return len(self._queue)

    def full(self) -> bool:
        """Return whether the buffer is at ``maxsize`` (never, when unbounded)."""
        return 0 < self._maxsize <= len(self._queue)

    def empty(self) -> bool:
        """Return whether nothing is buffered."""
        return not self._queue

    async def send(self, value: T) -> None:
        """Send ``value``, waiting while the buffer is full.

        Raises:
            ChanClosed: the channel is closed, or was closed while this was waiting.

        """
        while True:
            if self._closed:
                raise ChanClosed("cannot send: the channel is closed")
            if not self.full():
                break
            # Cancelled after being woken, it hands the free slot to the next sender.
            await self._wait_in(self._putters, lambda: not self.full())
        self._push(value)

    def send_nowait(self, value: T) -> None:
        """Send ``value`` without waiting.

        Raises:
            ChanClosed: the channel is closed.
            ChanFull: the buffer is at ``maxsize``.

        """
        if self._closed:
            raise ChanClosed("cannot send: the channel is closed")
        if self.full():
            raise ChanFull(f"cannot send: the channel is full ({self._maxsize} values buffered)")
        self._push(value)

    def _push(self, value: T) -> None:
        self._queue.append(value)
        _wake_first(self._getters)

    async def recv(self) -> T:
        """Receive the next value, waiting while the channel is open and empty.

        Raises:
            ChanClosed: the channel is closed and every buffered value was received.

        """
        while not self._queue:
            if self._closed:
                raise ChanClosed("cannot receive: the channel is closed and drained")
            # Cancelled after being woken, it hands the value to the next receiver.
            await self._wait_in(self._getters, lambda: bool(self._queue))
        return self._pop()

    def recv_nowait(self) -> T:
        """Receive the next value without waiting.

        Raises:
            ChanEmpty: the channel is open and nothing is buffered.
            ChanClosed: the channel is closed and every buffered value was received.

        """
        if not self._queue:
            if self._closed:
                raise ChanClosed("cannot receive: the channel is closed and drained")
            raise ChanEmpty("cannot receive: the channel is empty")
        return self._pop()

    def _pop(self) -> T:
        value = self._queue.popleft()
        _wake_first(self._putters)
        return value

    def close(self) -> None:
        """Close the channel; closing it again does nothing.

        Waiting senders fail with :class:`ChanClosed`; buffered values can still be
        received, after which receivers (the waiting ones too) get :class:`ChanClosed`.
        """
        if self._closed:
            return
        self._closed = True
        # Every waiter re-checks the state once woken: senders raise, receivers take a
        # buffered value if one is left, else raise.
        _wake_all(self._putters)
        _wake_all(self._getters)

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        try:
            return await self.recv()
        except ChanClosed:
            raise StopAsyncIteration from None
