"""Internal: a pool's background work, and how it speaks of it without secrets.

Closes are counted; closes and connects are the tasks ``aclose()`` awaits. Messages name
the URL redacted and never carry credentials. Also the two facts the pool asks of the
event loop: whether one runs in this thread, and its clock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from .errors import PoolClosedError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

__all__: list[str] = []

logger = logging.getLogger("agentutils.pool")


class Background:
    """Closes connections in background tasks and keeps every task ``aclose()`` waits for.

    Attributes:
        closing: closes asked for and not finished (those waiting for an event loop too).
        closed: closes finished (a ``close_cb`` that raised included).
        label: `` to <redacted url>`` for messages, or empty.
        pending: connections to close, asked for outside the event loop (see :meth:`flush`).

    """

    def __init__(self, close_cb: Callable[[Any], Awaitable[None]] | None) -> None:
        self._close_cb = close_cb
        self._tasks: set[asyncio.Task[None]] = set()
        self.pending: list[Any] = []
        self._secrets: Sequence[str] = ()
        self.closing = self.closed = 0
        self.label = ""

    def target(self, redacted_url: str, secrets: Sequence[str]) -> None:
        """Name ``redacted_url`` in messages, and remove ``secrets`` from them."""
        self.label, self._secrets = f" to {redacted_url}", secrets

    def describe(self, exc: BaseException) -> str:
        """``"<Type>: <message>"`` with credentials removed."""
        from .redaction import redact_text

        message = redact_text(str(exc), self._secrets)
        return f"{type(exc).__name__}: {message}" if message else type(exc).__name__

    def closed_error(self, while_connecting: bool = False) -> PoolClosedError:
        """The error of a call a closed pool cannot serve."""
        state = "was closed while connecting" if while_connecting else "is closed"
        return PoolClosedError(f"connection pool{self.label} {state}")

    def timeout_error(self, timeout: float | None, connecting: bool) -> TimeoutError:
        """The error of a connect, or of a wait for a connection, out of time."""
        what = "connect{} timed out after" if connecting else "no connection{} available within"
        return TimeoutError(f"{what.format(self.label)} {timeout:g} s")

    def warn(self, message: str, exc: BaseException) -> None:
        """Log ``message % (label, description of exc)`` as a warning."""
        logger.warning(message, self.label, self.describe(exc))

    def prewarm_failed(self, error: BaseException) -> None:
        """Log a prewarm's failure; its type rides in ``extra`` as in livekit-agents."""
        extra = {"exception_type": type(error).__name__}
        logger.warning(
            "failed to prewarm connection pool%s: %s", self.label, self.describe(error), extra=extra
        )

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
        loop = running_loop()
        if loop is None:  # remove()/put() called outside the event loop
            self.pending.append(conn)
            return
        self.track(loop.create_task(self._close(conn)))

    def flush(self) -> None:
        """Start the closes asked for outside the event loop."""
        if self.pending:
            pending, self.pending = self.pending, []
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
            self.warn("error closing a connection%s: %s", exc)
        finally:  # in one step: never counted both closing and closed
            self.closing -= 1
            self.closed += 1


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, or ``None`` (a call from another thread)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def clock_of(loop: asyncio.AbstractEventLoop) -> Callable[[], float]:
    """The clock of ``loop``: ``loop.time``, or ``time.monotonic`` when that is all it calls.

    asyncio's own loops read ``time.monotonic()``; calling it directly saves a Python call
    on every expiry check. A loop with another clock (a test's virtual one, uvloop's) is
    read through ``loop.time``.
    """
    if getattr(loop.time, "__func__", None) is asyncio.BaseEventLoop.time:
        return time.monotonic
    return loop.time
