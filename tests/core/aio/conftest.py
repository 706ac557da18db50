"""Fixtures of the aio tests: a virtual clock for the running event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest


class _JumpingSelector:
    """Wraps the loop's selector: when the loop would block until its next timer, jump there."""

    def __init__(self, clock: VirtualClock, selector: Any) -> None:
        self._clock = clock
        self._selector = selector

    def select(self, timeout: float | None = None) -> Any:
        if timeout is not None and timeout > 0:
            self._clock.now += timeout + self._clock.lateness
            timeout = 0
        return self._selector.select(timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._selector, name)


class VirtualClock:
    """Virtual time for the running loop: timers fire in order, without real waiting.

    Whenever every task is blocked and the loop would sleep until its next timer, time
    jumps to that timer instead. So ``await asyncio.sleep(3600)`` returns at once with
    ``loop.time()`` 3600 s later, and the outcome of timing-dependent code does not depend
    on the machine's load.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.now = loop.time()
        self.start = self.now
        # Extra seconds added to every jump: timers then fire that late, as a loaded
        # machine's do (0 by default: they fire exactly on time).
        self.lateness = 0.0

    def time(self) -> float:
        return self.now

    def elapsed(self) -> float:
        """Virtual seconds since the clock was installed."""
        return self.now - self.start


@pytest.fixture
async def clock() -> AsyncIterator[VirtualClock]:
    """Install a :class:`VirtualClock` on the test's event loop."""
    loop = asyncio.get_running_loop()
    if not isinstance(loop, asyncio.SelectorEventLoop):
        pytest.skip(f"the virtual clock needs a selector event loop, got {type(loop).__name__}")
    virtual = VirtualClock(loop)
    real_selector = loop._selector  # type: ignore[attr-defined]
    loop.time = virtual.time  # type: ignore[method-assign]
    loop._selector = _JumpingSelector(virtual, real_selector)  # type: ignore[attr-defined]
    try:
        yield virtual
    finally:
        loop._selector = real_selector  # type: ignore[attr-defined]
        del loop.time  # type: ignore[method-assign]
