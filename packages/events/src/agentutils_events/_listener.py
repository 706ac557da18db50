"""Listener bookkeeping shared by the emitters: arity and async detection, done once."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Listener", "describe", "is_async_callable"]


def describe(callback: object) -> str:
    """A short, readable name for a callback in messages."""
    name = getattr(callback, "__qualname__", None) or getattr(callback, "__name__", None)
    return f"{name}()" if isinstance(name, str) else repr(callback)


def is_async_callable(callback: object) -> bool:
    """Whether calling ``callback`` returns an awaitable it expects to be awaited.

    Recognises coroutine functions, objects whose ``__call__`` is a coroutine function,
    ``functools.partial`` of either, and ``unittest.mock.AsyncMock``.
    """
    import functools
    import inspect

    if inspect.iscoroutinefunction(callback):
        return True
    target = callback
    while isinstance(target, functools.partial):  # partial(obj) where obj has an async __call__
        target = target.func
    call = getattr(type(target), "__call__", None)  # noqa: B004 - we need the class attribute
    if call is not None and not inspect.isfunction(target) and inspect.iscoroutinefunction(call):
        return True
    # AsyncMock (and the old @asyncio.coroutine) carry asyncio's private marker, which
    # inspect does not see before Python 3.12. AsyncMock cannot exist without asyncio.
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        marker = getattr(asyncio.coroutines, "_is_coroutine", None)
        if marker is not None and getattr(callback, "_is_coroutine", None) is marker:
            return True
    return False


class Listener:
    """A registered callback with its argument trimming worked out at registration."""

    __slots__ = ("callback", "fired", "is_async", "nargs", "once", "required")

    def __init__(self, callback: Callable[..., Any], *, once: bool, is_async: bool) -> None:
        import inspect

        self.callback = callback
        self.once = once
        self.fired = False
        self.is_async = is_async
        self.nargs: int | None = None  # None: pass every argument
        self.required = 0
        try:
            params = inspect.signature(callback).parameters.values()
        except (TypeError, ValueError):
            # Builtins such as print or max, and some C functions: no readable signature,
            # so they get every argument.
            return
        nargs = 0
        var_positional = False
        for p in params:
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                nargs += 1
                if p.default is p.empty:
                    self.required += 1
            elif p.kind is p.VAR_POSITIONAL:
                var_positional = True
            elif p.kind is p.KEYWORD_ONLY and p.default is p.empty:
                raise TypeError(
                    f"listener {describe(callback)} has a required keyword-only parameter "
                    f"{p.name!r}; emit() passes positional arguments only"
                )
        self.nargs = None if var_positional else nargs

    def __repr__(self) -> str:
        kind = "once" if self.once else "on"
        return f"<Listener {kind} {describe(self.callback)} nargs={self.nargs}>"
