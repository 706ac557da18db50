"""``Debounced``: run a coroutine function once calls have stopped coming for a delay."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..checks import check_delay

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

__all__ = ["Debounced", "debounced"]

T = TypeVar("T")


class Debounced(Generic[T]):
    """Debounce a coroutine function: at most one run of it is scheduled or running.

    :meth:`schedule` runs ``func`` after ``delay`` seconds, cancelling what was scheduled
    or running before, so a burst of calls results in one run ``delay`` after the last
    call. :meth:`run` (or calling the object) runs it now, also replacing what was there.
    Each returns the task of the new run; a replaced task ends cancelled.

    Args:
        func: the coroutine function (no arguments) to run.
        delay: seconds to wait in :meth:`schedule`.

    Raises:
        TypeError: ``func`` is not callable, or ``delay`` is not a number.
        ValueError: ``delay`` is negative or NaN.

    """

    def __init__(self, func: Callable[[], Coroutine[Any, Any, T]], delay: float) -> None:
        if not callable(func):
            raise TypeError(f"func must be a coroutine function, got {type(func).__name__}: {func!r}")
        self._func = func
        self._delay = check_delay(delay, "delay")
        if self._delay < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {delay!r}")
        self._task: asyncio.Task[T] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} func={self._func!r} delay={self._delay} running={self.is_running()}>"

    @property
    def delay(self) -> float:
        """Seconds :meth:`schedule` waits before running the function."""
        return self._delay

    async def _delayed(self) -> T:
        await asyncio.sleep(self._delay)
        return await self._func()

    def schedule(self) -> asyncio.Task[T]:
        """Cancel any pending or running call and run the function after the delay.

        Returns:
            The task of the new (delayed) call.

        """
        self.cancel()
        self._task = asyncio.get_running_loop().create_task(self._delayed())
        return self._task

    def run(self) -> asyncio.Task[T]:
        """Cancel any pending or running call and run the function now.

        Returns:
            The task of the new call.

        """
        self.cancel()
        self._task = asyncio.get_running_loop().create_task(self._func())
        return self._task

    def cancel(self) -> None:
        """Cancel the pending or running call, if any (without waiting for it to end)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    def is_running(self) -> bool:
        """Return whether a call is scheduled or running (its task is not done)."""
        return self._task is not None and not self._task.done()

    def __call__(self) -> asyncio.Task[T]:
        """Run the function now (as :meth:`run`)."""
        return self.run()


def debounced(delay: float) -> Callable[[Callable[[], Coroutine[Any, Any, T]]], Debounced[T]]:
    """Decorate a coroutine function (no arguments) into a :class:`Debounced` of ``delay`` seconds.

    Args:
        delay: seconds to wait in :meth:`Debounced.schedule`.

    Raises:
        TypeError: ``delay`` is not a number.
        ValueError: ``delay`` is negative or NaN.

    Example:
        >>> @debounced(0.5)
        ... async def save() -> None: ...
        >>> save.delay
        0.5

    """
    seconds = check_delay(delay, "delay")
    if seconds < 0:
        raise ValueError(f"delay must be >= 0 seconds, got {delay!r}")

    def decorator(func: Callable[[], Coroutine[Any, Any, T]]) -> Debounced[T]:
        return Debounced(func, seconds)

    return decorator
