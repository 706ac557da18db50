"""Await an operation with a deadline without ever losing what it produces late."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine
    from typing import Any

__all__ = ["run_bounded"]

T = TypeVar("T")

logger = logging.getLogger("agentutils.pool")

# Strong references to cleanups in flight (the event loop only keeps weak ones).
_cleanups: set[asyncio.Task[None]] = set()


async def run_bounded(
    coro: Coroutine[Any, Any, T],
    timeout: float,
    cleanup: Callable[[T], Awaitable[None]],
    timeout_message: str,
) -> T:
    """Run ``coro`` in a task and wait for it at most ``timeout`` seconds.

    Unlike ``asyncio.wait_for`` before Python 3.12, a result that arrives after the
    caller gave up (timeout or cancellation) is never dropped: ``cleanup`` is applied to it.

    Raises:
        TimeoutError: with ``timeout_message``, when ``coro`` did not finish in time.

    """
    task = asyncio.ensure_future(coro)
    try:
        await asyncio.wait((task,), timeout=timeout)
    except BaseException:
        _abandon(task, cleanup)
        raise
    if not task.done():
        _abandon(task, cleanup)
        raise TimeoutError(timeout_message)
    return task.result()


def _abandon(task: asyncio.Future[T], cleanup: Callable[[T], Awaitable[None]]) -> None:
    def done(fut: asyncio.Future[T]) -> None:
        if fut.cancelled():
            return
        if fut.exception() is not None:
            return
        closing: asyncio.Task[None] = asyncio.ensure_future(_run_cleanup(cleanup, fut.result()))
        _cleanups.add(closing)
        closing.add_done_callback(_cleanups.discard)

    task.cancel()
    task.add_done_callback(done)


async def _run_cleanup(cleanup: Callable[[T], Awaitable[None]], value: T) -> None:
    try:
        await cleanup(value)
    except Exception as exc:
        logger.warning(
            "error closing a connection that completed after its caller gave up: %s", type(exc).__name__
        )
