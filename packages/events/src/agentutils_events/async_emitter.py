"""``AsyncEventEmitter``: an event emitter whose listeners may be coroutine functions."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, TypeVar

from ._listener import Listener, code_shape, describe, is_async_callable
from .emitter import EventEmitter

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

__all__ = ["AsyncEventEmitter"]

T_contra = TypeVar("T_contra", contravariant=True)

logger = logging.getLogger("agentutils.events")


class AsyncEventEmitter(EventEmitter[T_contra]):
    """An :class:`EventEmitter` that also accepts coroutine listeners.

    ``emit()`` stays synchronous: plain listeners run at once, in order, and each
    coroutine listener is started as a task on the running event loop. An exception such
    a task raises is logged with the event and the listener. :meth:`aclose` waits for the
    tasks still running, and the emitter refuses further emits after it.

    Example:
        >>> import asyncio
        >>> async def main():
        ...     emitter = AsyncEventEmitter[str]()
        ...     @emitter.on("saved")
        ...     async def upload(path):
        ...         await asyncio.sleep(0)
        ...         print("uploaded", path)
        ...     emitter.emit("saved", "a.wav")
        ...     await emitter.aclose()
        >>> asyncio.run(main())
        uploaded a.wav

    """

    def __init__(self) -> None:
        super().__init__()
        self._tasks: set[asyncio.Task[Any]] = set()
        # Listener tasks of this emitter now inside aclose(): no aclose() from a listener
        # task waits for them (they wait for the others, so two would wait for each other).
        self._closing: set[asyncio.Task[Any]] = set()
        self._closed = False

    def _make_listener(self, callback: Callable[..., Any], once: bool) -> Listener:
        shape = code_shape(callback)
        if shape is not None:
            return Listener(callback, once=once, is_async=shape[2], shape=shape)
        if not callable(callback):
            raise TypeError(f"listener must be callable, got {type(callback).__name__}")
        return Listener(callback, once=once, is_async=is_async_callable(callback))

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    @property
    def pending(self) -> int:
        """How many listener tasks are still running."""
        return len(self._tasks)

    def emit(self, event: T_contra, *args: Any) -> None:
        """Call the plain listeners and start a task for each coroutine listener.

        Raises:
            RuntimeError: the emitter is closed (and this is not one of its own listener tasks
                finishing during :meth:`aclose`), or a coroutine listener is due and no
                event loop is running in this thread.
            TypeError: a listener requires more positional arguments than were emitted.

        """
        if self._closed and not self._emitted_by_own_task():
            raise RuntimeError(f"cannot emit {event!r}: the AsyncEventEmitter is closed")
        super().emit(event, *args)

    def _emitted_by_own_task(self) -> bool:
        # While aclose() waits, a listener task may still emit (a cascade of events): what
        # that starts is part of what aclose() waits for.
        if not self._tasks:
            return False
        try:
            return asyncio.current_task() in self._tasks
        except RuntimeError:  # no running event loop
            return False

    def _handle_result(self, event: T_contra, listener: Listener, result: object) -> None:
        if not asyncio.iscoroutine(result):
            return
        coro: Coroutine[Any, Any, Any] = result
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            raise RuntimeError(
                f"listener {describe(listener.callback)} for event {event!r} is a coroutine "
                "function; AsyncEventEmitter.emit() must be called with a running event loop"
            ) from None
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._task_done(t, event, listener))

    def _task_done(self, task: asyncio.Task[Any], event: T_contra, listener: Listener) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            logger.error(
                "error in async listener %s for event %r",
                describe(listener.callback),
                event,
                exc_info=exc,
            )

    async def aclose(self) -> None:
        """Refuse further emits and wait for the listener tasks still running.

        The tasks it waits for may still emit, and the tasks those emits start are waited
        for too; any other emit raises ``RuntimeError`` from the moment ``aclose()`` is
        called. Errors of the tasks are logged, not raised. Cancelling ``aclose()`` cancels
        the outstanding tasks.

        A listener of this emitter may await ``aclose()`` too: it then waits for the other
        listener tasks, except those also inside ``aclose()`` (each would otherwise wait for
        the other, and for itself, forever).
        """
        self._closed = True
        current = asyncio.current_task()
        me = current if current in self._tasks else None  # a listener task of this emitter
        if me is not None:
            self._closing.add(me)
        # From outside, every task is waited for; from a listener task, those not closing.
        skip: set[asyncio.Task[Any]] | frozenset[asyncio.Task[Any]] = self._closing if me else frozenset()
        try:
            while True:
                waited = [task for task in self._tasks if task not in skip]
                if not waited:
                    return
                running = [task for task in waited if not task.done()]
                if running:
                    await asyncio.wait(running)
                else:
                    # Done, but their done callbacks (logging, removal from the set) have
                    # not run yet: let them. Awaiting done tasks again would not yield on
                    # every Python (3.13's gather() does not), and would spin.
                    await asyncio.sleep(0)
        except asyncio.CancelledError:
            for task in list(self._tasks):
                if task is not me:
                    task.cancel()
            raise
        finally:
            if me is not None:
                self._closing.discard(me)
