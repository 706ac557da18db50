"""``EventEmitter``: a typed event emitter compatible with ``livekit.rtc.EventEmitter``."""

from __future__ import annotations

from ._listener import Listener, code_shape, describe, is_async_callable

# `typing` costs ~15 ms to import, half the budget of `import agentutils_events`, and is
# only needed by type checkers: it is imported under TYPE_CHECKING only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from collections.abc import Callable
    from typing import Any, Generic, NoReturn, TypeVar, overload

    T_contra = TypeVar("T_contra", contravariant=True)
    F = TypeVar("F", bound=Callable[..., Any])

    class _Generic(Generic[T_contra]):
        pass

else:
    T_contra = F = None

    class _Generic:
        """Runtime stand-in for ``typing.Generic``: ``EventEmitter[str]`` is ``EventEmitter``."""

        __slots__ = ()

        def __class_getitem__(cls, item):
            return cls


__all__ = ["EventEmitter"]


def _logger() -> logging.Logger:
    # logging costs ~10 ms to import; an emitter that never reports an error never needs it.
    import logging

    return logging.getLogger("agentutils.events")


class _Missing:
    """The default of emit()'s argument slots: no argument was given there."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<no argument>"


_NO = _Missing()


def _packed(*slots: object) -> tuple[object, ...]:
    """emit()'s arguments from its slots, three or more of them given."""
    for i in range(3, len(slots)):
        if slots[i] is _NO:
            return slots[:i]
    return slots


class EventEmitter(_Generic[T_contra]):
    """Register callbacks for events and call them when an event is emitted.

    Compatible with ``livekit.rtc.EventEmitter`` (``on``, ``once``, ``off``, ``emit``,
    each usable directly or as a decorator), with its defects fixed:

    - listeners run in registration order, and a callback registered twice for the same
      event is registered once;
    - how many positional arguments a listener takes is worked out once, at registration:
      it receives the first that many of the emitted arguments (all of them for
      ``*args`` listeners and for callables whose signature cannot be read);
    - an exception raised by a listener, ``TypeError`` included, is logged with the event
      and the listener, and the other listeners still run; ``BaseException``s that are not
      ``Exception``s (``KeyboardInterrupt``) propagate;
    - ``off()`` removes ``once()`` listeners too, and listeners added or removed while an
      event is being emitted do not change that emit.

    Example:
        >>> emitter = EventEmitter[str]()
        >>> @emitter.on("greet")
        ... def greet(name):
        ...     print(f"Hello, {name}!")
        >>> emitter.emit("greet", "Alice")
        Hello, Alice!

    """

    def __init__(self) -> None:
        self._events: dict[T_contra, dict[Callable[..., Any], Listener]] = {}
        # Per event that has listeners, an immutable snapshot of them and the largest number
        # of arguments one of them requires, which emit() iterates without copying; None
        # once a registration changed since, until the next emit takes a new one. So
        # registering and unregistering cost O(1), and the snapshot is taken once per
        # emit that follows changes (an emit is O(listeners) anyway).
        self._snapshots: dict[T_contra, tuple[tuple[Listener, ...], int] | None] = {}

    # ------------------------------------------------------------------ registration
    def _check_callable(self, callback: object) -> None:
        if not callable(callback):
            raise TypeError(f"listener must be callable, got {type(callback).__name__}")
        if is_async_callable(callback):
            # Upstream's sentence first, word for word: code that matches it keeps working.
            raise ValueError(
                "Cannot register an async callback with `.on()`. Use `asyncio.create_task` within "
                f"your synchronous callback instead. (got the async callable {describe(callback)}; "
                "EventEmitter calls listeners synchronously, AsyncEventEmitter accepts them)"
            )

    def _make_listener(self, callback: Callable[..., Any], once: bool) -> Listener:
        shape = code_shape(callback)  # plain functions and methods: read once, cheaply
        if shape is None or shape[2]:
            self._check_callable(callback)
        return Listener(callback, once=once, is_async=False, shape=shape)

    def _add(self, event: T_contra, callback: Callable[..., Any], once: bool) -> None:
        listeners = self._events.get(event)
        if listeners is not None and callback in listeners:
            return
        listener = self._make_listener(callback, once)
        if listeners is None:
            listeners = self._events[event] = {}
        listeners[callback] = listener
        self._snapshots[event] = None

    def _removed(self, event: T_contra, listeners: dict[Callable[..., Any], Listener]) -> None:
        # After a removal: forget the snapshot, and the event once it has no listener left.
        if listeners:
            self._snapshots[event] = None
        else:
            del self._events[event]
            self._snapshots.pop(event, None)

    def _snapshot(self, event: T_contra) -> tuple[tuple[Listener, ...], int]:
        snapshot = tuple(self._events[event].values())
        entry = self._snapshots[event] = (snapshot, max(lst.required for lst in snapshot))
        return entry

    if TYPE_CHECKING:

        @overload
        def on(self, event: T_contra, callback: None = None) -> Callable[[F], F]: ...
        @overload
        def on(self, event: T_contra, callback: F) -> F: ...

    def on(self, event: T_contra, callback: F | None = None) -> F | Callable[[F], F]:
        """Call ``callback`` every time ``event`` is emitted.

        Without ``callback``, return a decorator that registers the decorated function.

        Returns:
            The callback (so it can later be passed to :meth:`off`), or the decorator.

        Raises:
            ValueError: ``callback`` is an async callable.
            TypeError: ``callback`` is not callable, or has required keyword-only parameters.

        """
        return self._register(event, callback, once=False)

    if TYPE_CHECKING:

        @overload
        def once(self, event: T_contra, callback: None = None) -> Callable[[F], F]: ...
        @overload
        def once(self, event: T_contra, callback: F) -> F: ...

    def once(self, event: T_contra, callback: F | None = None) -> F | Callable[[F], F]:
        """Call ``callback`` the next time ``event`` is emitted, then unregister it.

        Like :meth:`on`, it can be used as a decorator, and :meth:`off` removes it.
        """
        return self._register(event, callback, once=True)

    def _register(self, event: T_contra, callback: F | None, *, once: bool) -> F | Callable[[F], F]:
        # on() and once(): register now, or return the decorator that will.
        if callback is None:

            def decorator(fn: F) -> F:
                self._add(event, fn, once)
                return fn

            return decorator
        self._add(event, callback, once)
        return callback

    def off(self, event: T_contra, callback: Callable[..., Any]) -> None:
        """Unregister ``callback`` from ``event`` (registered with ``on`` or ``once``).

        Unregistering a callback that is not registered does nothing.
        """
        listeners = self._events.get(event)
        if listeners is not None and listeners.pop(callback, None) is not None:
            self._removed(event, listeners)

    def listeners(self, event: T_contra) -> list[Callable[..., Any]]:
        """The callbacks registered for ``event``, in the order they run."""
        return list(self._events.get(event, ()))

    def listener_count(self, event: T_contra) -> int:
        """How many callbacks are registered for ``event``."""
        return len(self._events.get(event, ()))

    def remove_all_listeners(self, event: T_contra | None = None) -> None:
        """Unregister every callback of ``event``, or of every event when it is omitted."""
        if event is None:
            self._events.clear()
            self._snapshots.clear()
        else:
            self._events.pop(event, None)
            self._snapshots.pop(event, None)

    # ------------------------------------------------------------------ emitting
    if TYPE_CHECKING:

        def emit(self, event: T_contra, *args: Any) -> None:
            """Call the listeners of ``event`` with ``args``, in registration order."""

    else:
        # Eight argument slots rather than *args: Python specialises (inlines) calls to
        # functions without *args, which halves the cost of an emit nobody listens to.
        def emit(self, event, a0=_NO, a1=_NO, a2=_NO, a3=_NO, a4=_NO, a5=_NO, a6=_NO, a7=_NO):
            """Call the listeners of ``event`` with ``args``, in registration order.

            Each listener gets as many leading arguments as it accepts. An ``Exception`` a
            listener raises is logged and does not stop the others. At most eight arguments
            are passed (livekit's events carry at most three).

            Raises:
                TypeError: a listener requires more positional arguments than were emitted
                    (raised before any listener runs), or more than eight were given.

            """
            snapshots = self._snapshots
            if event not in snapshots:  # the common no-listener case: one lookup
                return
            if a1 is _NO:
                args = () if a0 is _NO else (a0,)
            else:
                args = (a0, a1) if a2 is _NO else _packed(a0, a1, a2, a3, a4, a5, a6, a7)
            entry = snapshots[event]
            if entry is None:  # registrations changed since the last emit
                entry = self._snapshot(event)
            snapshot, required = entry
            n = len(args)
            if n < required:
                self._arity_error(event, snapshot, n)
            for listener in snapshot:
                if listener.once and not self._fire_once(event, listener):
                    continue
                take = listener.take
                try:
                    result = listener.callback(*args) if take >= n else listener.callback(*args[:take])
                except Exception:
                    self._log_error(event, listener)
                    continue
                if result is not None:
                    self._handle_result(event, listener, result)

    def _log_error(self, event: T_contra, listener: Listener) -> None:
        _logger().exception("error in listener %s for event %r", describe(listener.callback), event)

    def _fire_once(self, event: T_contra, listener: Listener) -> bool:
        """Whether a ``once`` listener is still due; if so, it is unregistered as it runs."""
        if listener.fired:
            return False
        listener.fired = True
        self._discard(event, listener)
        return True

    def _discard(self, event: T_contra, listener: Listener) -> None:
        listeners = self._events.get(event)
        if listeners is not None and listeners.get(listener.callback) is listener:
            del listeners[listener.callback]
            self._removed(event, listeners)

    def _arity_error(self, event: T_contra, snapshot: tuple[Listener, ...], n: int) -> NoReturn:
        bad = next(lst for lst in snapshot if lst.required > n)
        raise TypeError(
            f"listener {describe(bad.callback)} for event {event!r} requires {bad.required} "
            f"positional argument{'s' if bad.required != 1 else ''}, but emit() passed {n}"
        )

    def _handle_result(self, event: T_contra, listener: Listener, result: object) -> None:
        # A plain function that returned a coroutine slipped past the async check: it
        # would never run. Close it and say so instead of leaking a "never awaited" warning.
        close = getattr(result, "close", None)
        if close is not None and type(result).__name__ == "coroutine":
            close()
            _logger().error(
                "listener %s for event %r returned a coroutine, which EventEmitter never awaits; "
                "use AsyncEventEmitter for async listeners",
                describe(listener.callback),
                event,
            )

    # ------------------------------------------------------------------ waiting
    async def wait_for(
        self,
        event: T_contra,
        *,
        predicate: Callable[..., bool] | None = None,
        timeout: float | None = None,
    ) -> tuple[Any, ...]:
        """Wait for the next emit of ``event`` (whose arguments satisfy ``predicate``).

        Args:
            event: the event to wait for.
            predicate: called with the emitted arguments; the wait ends on the first emit
                for which it returns true. An exception it raises ends the wait with it.
            timeout: seconds to wait at most; ``None`` waits forever.

        Returns:
            The emitted arguments, as a tuple.

        Raises:
            TimeoutError: ``timeout`` passed first.

        The temporary listener is removed whichever way the wait ends (result, timeout,
        error or cancellation).

        """
        import asyncio

        if timeout is not None and timeout < 0:
            raise ValueError(f"timeout must be >= 0 or None, got {timeout}")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[Any, ...]] = loop.create_future()

        def listener(*args: Any) -> None:
            if future.done():
                return
            if predicate is not None:
                try:
                    if not predicate(*args):
                        return
                except Exception as exc:
                    future.set_exception(exc)
                    return
            future.set_result(args)

        def expire() -> None:
            if not future.done():
                future.set_exception(TimeoutError(f"no {event!r} event within {timeout} s"))

        self._add(event, listener, once=False)
        handle = loop.call_later(timeout, expire) if timeout is not None else None
        try:
            return await future
        finally:
            if handle is not None:
                handle.cancel()
            self.off(event, listener)
