"""``Sleep``: an awaitable sleep whose deadline can be moved while it runs."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..checks import check_delay

if TYPE_CHECKING:
    from collections.abc import Generator

__all__ = ["Sleep", "SleepFinished", "sleep"]

_IDLE, _RUNNING, _FINISHED, _CANCELLED = "idle", "running", "finished", "cancelled"


class SleepFinished(Exception):
    """Raised by :meth:`Sleep.reset` once the sleep has finished or was cancelled."""


class Sleep:
    """Like ``asyncio.sleep(delay)``, but resettable while it runs.

    The timer starts when the sleep is first awaited. :meth:`reset` moves the deadline
    to ``new_delay`` (default: the current delay) seconds from now; :meth:`cancel` stops
    it and makes the waiting ``await`` raise ``CancelledError``. Awaiting it again, or from
    several tasks at once, waits for the same deadline; once finished, awaiting returns at
    once. If the only task awaiting it is cancelled, the sleep is cancelled too.

    A delay of zero or less finishes at the next iteration of the event loop (as
    ``asyncio.sleep(0)`` yields once).

    Args:
        delay: seconds to sleep.

    Raises:
        TypeError: ``delay`` is not a number.
        ValueError: ``delay`` is NaN.

    """

    def __init__(self, delay: float) -> None:
        self._delay = check_delay(delay, "delay")
        self._state = _IDLE
        self._loop: asyncio.AbstractEventLoop | None = None
        self._fut: asyncio.Future[None] | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._waiters = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} delay={self._delay} state={self._state}>"

    @property
    def delay(self) -> float:
        """The delay, in seconds, of the current (or next) run of the timer."""
        return self._delay

    def done(self) -> bool:
        """Return whether the sleep has finished or was cancelled."""
        return self._state in (_FINISHED, _CANCELLED)

    def reset(self, new_delay: float | None = None) -> None:
        """Restart the timer: it now ends ``new_delay`` seconds from now.

        Before the sleep is awaited, this only changes the delay it will use.

        Args:
            new_delay: the new delay in seconds; the current one when omitted.

        Raises:
            SleepFinished: the sleep has already finished or was cancelled.
            TypeError: ``new_delay`` is not a number.
            ValueError: ``new_delay`` is NaN.

        """
        delay = self._delay if new_delay is None else check_delay(new_delay, "new_delay")
        if self._state in (_FINISHED, _CANCELLED):
            raise SleepFinished(f"cannot reset: the sleep has already {self._state}")
        self._delay = delay
        if self._state == _RUNNING:
            assert self._handle is not None
            self._handle.cancel()
            self._schedule()

    def cancel(self) -> None:
        """Stop the timer; a pending ``await`` raises ``CancelledError``.

        Does nothing once the sleep has finished or was cancelled.
        """
        if self._state in (_FINISHED, _CANCELLED):
            return
        self._state = _CANCELLED
        if self._handle is not None:
            self._handle.cancel()
        if self._fut is not None:
            self._fut.cancel()

    def _schedule(self) -> None:
        assert self._loop is not None
        self._handle = self._loop.call_later(max(self._delay, 0.0), self._finish)

    def _finish(self) -> None:
        self._state = _FINISHED
        if self._fut is not None and not self._fut.done():
            self._fut.set_result(None)

    async def _wait(self) -> None:
        if self._state == _FINISHED:
            return
        if self._state == _CANCELLED:
            raise asyncio.CancelledError
        if self._state == _IDLE:
            self._loop = asyncio.get_running_loop()
            self._fut = self._loop.create_future()
            self._state = _RUNNING
            self._schedule()
        fut = self._fut
        assert fut is not None
        self._waiters += 1
        try:
            # Shielded so that one waiter's cancellation does not end the others' sleep.
            await asyncio.shield(fut)
        except asyncio.CancelledError:
            if self._waiters == 1 and not fut.done():
                self.cancel()  # the last waiter left: stop the timer
            raise
        finally:
            self._waiters -= 1

    def __await__(self) -> Generator[Any, None, None]:
        return self._wait().__await__()


def sleep(delay: float) -> Sleep:
    """Return a resettable :class:`Sleep` of ``delay`` seconds (await it to sleep).

    Args:
        delay: seconds to sleep.

    Raises:
        TypeError: ``delay`` is not a number.
        ValueError: ``delay`` is NaN.

    """
    return Sleep(delay)
