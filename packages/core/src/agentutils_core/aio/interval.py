"""``Interval``: periodic ticks for ``async for`` loops."""

from __future__ import annotations

import asyncio

from ..checks import check_seconds

__all__ = ["Interval", "interval"]


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class Interval:
    """Ticks every ``interval`` seconds; ``tick()`` (or ``async for``) yields the tick index.

    Tick 0 comes at once, then one every ``interval`` seconds on a fixed schedule (timers
    that fire late do not accumulate drift). A consumer that fell behind gets one tick at
    once, not a burst of the missed ones, and the schedule restarts from that tick; the
    index counts delivered ticks (0, 1, 2, ...).

    :meth:`reset` restarts the period from now: the next tick comes ``interval`` seconds
    after the reset, whether a ``tick()`` is waiting or not. Before the first tick it does
    nothing (tick 0 still comes at once). Cancelling a waiting ``tick()`` delivers no tick
    and leaves the schedule as it was.

    Args:
        interval: the period, in seconds.

    Raises:
        TypeError: ``interval`` is not a number.
        ValueError: ``interval`` is not > 0 (or is NaN).

    """

    def __init__(self, interval: float) -> None:
        self._interval = check_seconds(interval, "interval", positive=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last: float | None = None  # loop time of the last delivered tick (or reset)
        self._count = 0
        self._waiter: asyncio.Future[None] | None = None
        self._handle: asyncio.TimerHandle | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} interval={self._interval} ticks={self._count}>"

    @property
    def interval(self) -> float:
        """The period, in seconds."""
        return self._interval

    def reset(self) -> None:
        """Restart the period: the next tick comes ``interval`` seconds from now."""
        if self._loop is None:
            return  # before the first tick, which is due at once anyway
        self._last = self._loop.time()
        if self._waiter is not None and self._handle is not None:
            self._handle.cancel()
            self._handle = self._loop.call_at(self._last + self._interval, _wake, self._waiter)

    async def tick(self) -> int:
        """Wait for the next tick and return its index.

        Raises:
            RuntimeError: another task is already waiting in ``tick()``.

        """
        if self._waiter is not None:
            raise RuntimeError("Interval.tick() is already being awaited by another task")
        loop = asyncio.get_running_loop()
        if self._loop is None or self._last is None:
            self._loop = loop
            self._last = loop.time()
        else:
            # On time (the tick is still ahead): the next period counts from this tick's due
            # time, so timers firing late do not add up to drift. Late (the consumer fell
            # behind): from when the tick is delivered, so the missed ones do not come in a
            # burst.
            on_time = loop.time() < self._last + self._interval
            waiter = self._waiter = loop.create_future()
            self._handle = loop.call_at(self._last + self._interval, _wake, waiter)
            try:
                await waiter
            finally:
                self._handle.cancel()
                self._waiter = self._handle = None
            due = self._last + self._interval  # reset() may have moved _last meanwhile
            now = loop.time()
            # A timer more than a whole period late (a stalled loop) counts as late too.
            self._last = due if on_time and now < due + self._interval else now
        index = self._count
        self._count += 1
        return index

    def __aiter__(self) -> Interval:
        return self

    async def __anext__(self) -> int:
        return await self.tick()


def interval(interval: float) -> Interval:
    """Return an :class:`Interval` ticking every ``interval`` seconds.

    Args:
        interval: the period, in seconds.

    Raises:
        TypeError: ``interval`` is not a number.
        ValueError: ``interval`` is not > 0 (or is NaN).

    """
    return Interval(interval)
