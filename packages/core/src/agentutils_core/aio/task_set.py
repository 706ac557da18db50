"""``TaskSet``: fire-and-forget tasks that are kept alive until they finish."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar

from ._closing import AsyncClosing
from .utils import cancel_and_wait

if TYPE_CHECKING:
    from collections.abc import Coroutine

__all__ = ["TaskSet"]

_T = TypeVar("_T")


class TaskSet(AsyncClosing):
    """Holds strong references to fire-and-forget tasks until each is done.

    asyncio keeps only weak references to tasks, so a task nobody references may be
    garbage-collected before it finishes; a ``TaskSet`` keeps every task it created until
    it is done. :meth:`aclose` (or leaving ``async with``) cancels the remaining tasks,
    waits for them, and refuses new ones.

    Args:
        loop: the event loop that runs the tasks; by default, the loop running when each
            task is created (so the set can be created outside a running loop).

    """

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} tasks={len(self._tasks)} closed={self._closed}>"

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    @property
    def tasks(self) -> set[asyncio.Task[Any]]:
        """A copy of the set of tasks not yet done."""
        return set(self._tasks)

    def create_task(self, coro: Coroutine[Any, Any, _T], name: str | None = None) -> asyncio.Task[_T]:
        """Schedule ``coro`` as a task and keep it alive until it is done.

        Args:
            coro: the coroutine to run.
            name: the task's name.

        Returns:
            The task.

        Raises:
            RuntimeError: the set is closed (``coro`` is closed, so it does not warn that
                it was never awaited).

        """
        if self._closed:
            coro.close()
            raise RuntimeError("cannot create a task: the TaskSet is closed")
        loop = self._loop if self._loop is not None else asyncio.get_running_loop()
        task = loop.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def aclose(self) -> None:
        """Refuse new tasks, cancel the remaining ones and wait until they are done.

        Their outcomes are not raised (see :func:`~agentutils_core.aio.cancel_and_wait`);
        a cancellation of the caller still propagates. Closing again only waits for what is
        left.
        """
        self._closed = True
        await cancel_and_wait(*self._tasks)
