"""``AsyncAtomicCounter``: an integer counter with an awaitable API."""

from __future__ import annotations

from ..checks import check_int

__all__ = ["AsyncAtomicCounter"]


class AsyncAtomicCounter:
    """An integer counter whose operations are atomic with respect to other tasks.

    Each operation completes without suspending, so no other task can interleave with it:
    there is no lock to contend for. The methods are coroutines for compatibility with
    ``livekit.agents.utils.aio.AsyncAtomicCounter``.

    Args:
        initial: the starting value.

    Raises:
        TypeError: ``initial`` is not an int.

    """

    def __init__(self, initial: int = 0) -> None:
        self._value = check_int(initial, "initial")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} value={self._value}>"

    async def increment(self, n: int = 1) -> int:
        """Add ``n`` and return the new value.

        Raises:
            TypeError: ``n`` is not an int.

        """
        self._value += check_int(n, "n")
        return self._value

    async def decrement(self, n: int = 1) -> int:
        """Subtract ``n`` and return the new value.

        Raises:
            TypeError: ``n`` is not an int.

        """
        self._value -= check_int(n, "n")
        return self._value

    async def get(self) -> int:
        """Return the value."""
        return self._value

    async def set(self, value: int) -> None:
        """Set the value.

        Raises:
            TypeError: ``value`` is not an int.

        """
        self._value = check_int(value, "value")

    async def compare_and_swap(self, expected: int, new: int) -> bool:
        """Set the value to ``new`` if it equals ``expected``; return whether it did.

        Raises:
            TypeError: ``new`` is not an int.

        """
        check_int(new, "new")
        if self._value == expected:
            self._value = new
            return True
        return False

    async def get_and_reset(self, reset_value: int = 0) -> int:
        """Return the value and set it to ``reset_value`` in one step.

        Raises:
            TypeError: ``reset_value`` is not an int.

        """
        check_int(reset_value, "reset_value")
        previous, self._value = self._value, reset_value
        return previous

    def get_nowait(self) -> int:
        """Return the value without awaiting."""
        return self._value
