"""Listener bookkeeping shared by the emitters: arity and async detection, done once."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Listener", "code_shape", "describe", "is_async_callable"]

_CO_VARARGS = 0x04
_CO_COROUTINE = 0x80


class _Probe:
    def method(self) -> None:
        """Gives the type of bound methods without importing ``types``."""


ALL = 1 << 62
"""``Listener.take`` of a listener that is given every argument."""

_FUNCTION = type(lambda: None)
_METHOD = type(_Probe().method)


def describe(callback: object) -> str:
    """A short, readable name for a callback in messages."""
    name = getattr(callback, "__qualname__", None) or getattr(callback, "__name__", None)
    return f"{name}()" if isinstance(name, str) else repr(callback)


def code_shape(callback: object) -> tuple[int | None, int, bool] | None:
    """``(nargs, required, is_async)`` of a plain function or bound method, from its code object.

    What :class:`Listener` and :func:`is_async_callable` would find with :mod:`inspect`, at a
    fraction of the cost (registration is then as cheap as in the reference). None when
    only :mod:`inspect` can tell: other callables, functions carrying attributes (a
    ``__wrapped__`` or ``__signature__`` to follow, a coroutine marker), a required
    keyword-only parameter (refused, with its name, by the :mod:`inspect` path).
    """
    kind = type(callback)
    if kind is _FUNCTION:
        func: Any = callback
        bound = 0
    elif kind is _METHOD:
        func = callback.__func__  # type: ignore[attr-defined]
        bound = 1
        if type(func) is not _FUNCTION:
            return None
    else:
        return None
    if func.__dict__:
        return None
    code = func.__code__
    if code.co_kwonlyargcount and len(func.__kwdefaults__ or ()) < code.co_kwonlyargcount:
        return None
    argcount = code.co_argcount - bound
    if argcount < 0:  # a method whose first parameter is *args: inspect's rules
        return None
    flags = code.co_flags
    defaults = func.__defaults__
    required = argcount - len(defaults) if defaults else argcount
    if required < 0:  # a method whose self has a default
        required = 0
    return (None if flags & _CO_VARARGS else argcount), required, flags & _CO_COROUTINE != 0


def is_async_callable(callback: object) -> bool:
    """Whether calling ``callback`` returns an awaitable it expects to be awaited.

    Recognises coroutine functions, objects whose ``__call__`` is a coroutine function,
    ``functools.partial`` of either, and ``unittest.mock.AsyncMock``.
    """
    shape = code_shape(callback)
    if shape is not None:
        return shape[2]
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

    __slots__ = ("callback", "fired", "is_async", "nargs", "once", "required", "take")

    def __init__(
        self,
        callback: Callable[..., Any],
        *,
        once: bool,
        is_async: bool,
        shape: tuple[int | None, int, bool] | None = None,
    ) -> None:
        self.callback = callback
        self.once = once
        self.fired = False
        self.is_async = is_async
        self.nargs: int | None = None  # None: pass every argument
        self.required = 0
        if shape is None:
            shape = code_shape(callback)
        if shape is not None:
            self.nargs, self.required = shape[0], shape[1]
        else:
            self._inspect(callback)
        # How many leading arguments it is given: an int whatever nargs, so that emit()
        # tests `take >= len(args)` alone.
        self.take: int = ALL if self.nargs is None else self.nargs

    def _inspect(self, callback: Callable[..., Any]) -> None:
        """Work out ``nargs`` and ``required`` with :func:`inspect.signature`."""
        import inspect

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
