"""``WaitGroup``: wait until a counter of outstanding jobs reaches zero (Go's sync.WaitGroup)."""

from __future__ import annotations

import asyncio
import contextlib

from ..checks import check_int

__all__ = ["WaitGroup"]


class WaitGroup:
    """A counter of outstanding jobs; :meth:`wait` returns once it is zero.

    Call :meth:`add` before starting jobs and :meth:`done` as each finishes. The group
    binds no event loop (it can be created outside a running loop).
    """

    def __init__(self) -> None:
        self._counter = 0
        self._waiters: list[asyncio.Future[None]] = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} counter={self._counter} waiters={len(self._waiters)}>"

    @property
    def counter(self) -> int:
        """The number of outstanding jobs."""
        return self._counter

    def add(self, delta: int = 1) -> None:
        """Add ``delta`` (which may be negative) to the counter.

        Raises:
            TypeError: ``delta`` is not an int.
            ValueError: the counter would go below zero (it is left unchanged).

        """
        check_int(delta, "delta")
        new = self._counter + delta
        if new < 0:
            raise ValueError(
                f"WaitGroup counter cannot go negative: it is {self._counter}, adding {delta} gives {new}"
            )
        self._counter = new
        if new == 0:
            waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def done(self) -> None:
        """Mark one job as finished (``add(-1)``).

        Raises:
            ValueError: the counter is already zero.

        """
        self.add(-1)

    async def wait(self) -> None:
        """Wait until the counter is zero (returns at once if it already is)."""
        if self._counter == 0:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if not waiter.done() or waiter.cancelled():
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
