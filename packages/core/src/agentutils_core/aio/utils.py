"""``cancel_and_wait``: cancel futures and wait until they have finished."""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["cancel_and_wait", "gracefully_cancel"]


async def cancel_and_wait(*futures: asyncio.Future[Any]) -> None:
    """Cancel every future (or task) given and wait until all of them are done.

    A task may take a while to finish after ``cancel()`` (its ``finally`` blocks run, it
    may even refuse the cancellation); this waits for that. How the targets end does not
    matter: their results, exceptions and cancellations are never raised here. Futures
    that are already done are left as they are.

    A cancellation of the *caller* still propagates: if the task awaiting
    ``cancel_and_wait`` is cancelled, ``CancelledError`` is raised at once (the targets
    have been asked to cancel, but may still be running).

    Like any task whose outcome nobody reads, a target that ends with an exception other
    than cancellation is reported by asyncio ("exception was never retrieved") when it is
    garbage-collected, unless its exception is read.

    Args:
        *futures: the futures or tasks to cancel; none is fine.

    Raises:
        TypeError: if an argument is not an asyncio future or task (a bare coroutine,
            for instance, has nothing to cancel: wrap it in a task).

    """
    for fut in futures:
        if not asyncio.isfuture(fut):
            raise TypeError(
                f"cancel_and_wait() expects asyncio futures or tasks, got {type(fut).__name__}: {fut!r}"
            )
    for fut in futures:
        fut.cancel()
    pending = {fut for fut in futures if not fut.done()}
    if pending:
        # asyncio.wait neither raises the targets' outcomes nor cancels them when the
        # caller is cancelled: exactly the contract above.
        await asyncio.wait(pending)


gracefully_cancel = cancel_and_wait
"""Alias of :func:`cancel_and_wait` (the name ``livekit.agents.utils.aio`` also offers)."""
