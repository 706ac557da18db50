"""Internal: a pool's background work, closes (counted) and connects, which ``aclose()`` awaits."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__: list[str] = []

logger = logging.getLogger("agentutils.pool")


class Background:
    """Closes connections in background tasks and keeps every task ``aclose()`` waits for.

    Attributes:
        closing: closes asked for and not finished (those waiting for an event loop too).
        closed: closes finished (a ``close_cb`` that raised included).
        label: `` to <redacted url>`` for log messages, or empty.

    """

    def __init__(
        self, close_cb: Callable[[Any], Awaitable[None]] | None, describe: Callable[[BaseException], str]
    ) -> None:
        self._close_cb = close_cb
        self._describe = describe
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: list[Any] = []  # closes asked for outside the event loop
        self.closing = self.closed = 0
        self.label = ""

    def track(self, task: asyncio.Task[None]) -> None:
        """Keep ``task`` (a strong reference) until it is done; :meth:`wait` waits for it."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def close_soon(self, conn: Any) -> None:
        """Close ``conn`` in a background task (at the next :meth:`flush` outside a loop)."""
        if self._close_cb is None:
            self.closed += 1
            return
        self.closing += 1
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # remove()/put() called outside the event loop
            self._pending.append(conn)
            return
        self.track(loop.create_task(self._close(conn)))

    def flush(self) -> None:
        """Start the closes asked for outside the event loop."""
        if self._pending:
            pending, self._pending = self._pending, []
            self.closing -= len(pending)
            for conn in pending:
                self.close_soon(conn)

    async def wait(self) -> None:
        """Wait until every task is done, those started meanwhile included."""
        self.flush()
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def _close(self, conn: Any) -> None:
        assert self._close_cb is not None
        try:
            await self._close_cb(conn)
        except Exception as exc:
            logger.warning("error closing a connection%s: %s", self.label, self._describe(exc))
        finally:  # in one step: never counted both closing and closed
            self.closing -= 1
            self.closed += 1
