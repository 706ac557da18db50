"""Internal: the records of :class:`ConnectionPool`, the one deadline it waits with, validation."""

from __future__ import annotations

import asyncio
import inspect
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__: list[str] = []

CONNECTING, IDLE, IN_USE, RETIRED, GONE = "connecting", "idle", "in use", "retired", "gone"


class Entry:
    """One connection of the pool, or one being opened (then keyed by the entry itself)."""

    __slots__ = (
        "conn",
        "deadline",
        "dropped",
        "refreshed_at",
        "shared",
        "state",
        "task",
        "timeout",
        "timer",
        "waiter",
    )

    def __init__(self, deadline: float, timeout: float | None, shared: bool) -> None:
        self.conn: Any = self
        self.state = CONNECTING
        self.deadline = deadline
        self.timeout = timeout  # as given, for messages
        self.shared = shared  # a prewarm: any get() may wait for it
        self.dropped = False  # its connect was cancelled: close what it produces
        self.waiter: Waiter | None = None  # the get() it is promised to, until that get() resumes
        self.refreshed_at = 0.0
        self.task: asyncio.Task[None] | None = None
        self.timer: asyncio.TimerHandle | None = None  # a prewarm's deadline

    def stop_timer(self) -> None:
        """Cancel the entry's timer, if any."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class Waiter:
    """A ``get()`` waiting for an entry: queued, or promised a connecting one."""

    __slots__ = ("deadline", "entry", "fresh", "fut", "timeout")

    def __init__(self, fut: asyncio.Future[Entry], deadline: float, timeout: float | None) -> None:
        self.fut = fut
        self.deadline = deadline
        self.timeout = timeout
        self.entry: Entry | None = None
        self.fresh = False  # promised a connect (no validation needed)


class OutOfTime(Exception):
    """The deadline of a ``get()`` passed while a connection was being validated.

    Attributes:
        started: whether the check ran (and was cancelled): the connection's state is unknown.

    """

    def __init__(self, started: bool) -> None:
        super().__init__()
        self.started = started


async def until(fut: asyncio.Future[Any], deadline: float) -> bool:
    """Wait for ``fut`` until the loop's clock reads ``deadline``; return whether it is done.

    The one deadline of the pool: connects, queueing and validation are all bounded by it.
    """
    if not fut.done():
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining > 0:
            await asyncio.wait((fut,), timeout=None if remaining == math.inf else remaining)
    return fut.done()


def consume_outcome(fut: asyncio.Future[Any]) -> None:
    """Read an abandoned future's outcome, so that asyncio does not report it as lost."""
    if not fut.cancelled():
        fut.exception()


async def validate(validate_cb: Callable[[Any], bool | Awaitable[bool]], conn: Any, deadline: float) -> bool:
    """Run ``validate_cb(conn)``; await an awaitable answer at most until ``deadline``.

    Raises:
        OutOfTime: no answer in time (a check that could not start is not run at all).
        Exception: what ``validate_cb`` raised.

    """
    result = validate_cb(conn)
    if not inspect.isawaitable(result):
        return bool(result)
    if deadline <= asyncio.get_running_loop().time():
        close = getattr(result, "close", None)
        if callable(close):  # a coroutine that will never run: no "never awaited" warning
            close()
        raise OutOfTime(started=False)
    check = asyncio.ensure_future(result)
    try:
        if await until(check, deadline):
            return bool(check.result())
    except BaseException:
        check.cancel()
        raise
    check.cancel()
    check.add_done_callback(consume_outcome)
    raise OutOfTime(started=True)
