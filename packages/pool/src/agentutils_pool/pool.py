"""``ConnectionPool``: reuse persistent connections (websockets, TCP streams) across requests.

Design notes (in the spirit of httpcore and anyio):

- No lock is ever held across network I/O. The pool's state lives on one event loop and
  is only changed by synchronous code, so every "check, then reserve" step is atomic; the
  awaits (connect, validate, close) happen after the reservation.
- Each connect runs in its own task, awaited with a deadline. When its caller gives up
  (timeout or cancellation) the task is cancelled and a done-callback closes whatever it
  still produces, so a late connection is never leaked.
- ``get()`` calls queue first come first served when ``max_size`` is reached; a returned
  connection, or the capacity freed by a closed one, is handed to the oldest waiter.
- Connections leaving the pool are closed in background tasks right away; ``aclose()``
  waits for them.
- Durations use :func:`time.monotonic`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import inspect
import logging
import math
import time
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from .errors import PoolClosedError
from .redaction import header_secrets, redact_text, redact_url, url_secrets

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping, Sequence

    from .connector import PoolConnector

__all__ = ["ConnectionPool", "PoolStats"]

logger = logging.getLogger("agentutils.pool")

T = TypeVar("T")

# The clock of every duration; a module global so that it is looked up at call time.
_clock = time.monotonic
_INF = math.inf


@dataclass(frozen=True)
class PoolStats:
    """A snapshot of a pool's connections and counters.

    Attributes:
        open: connections the pool owns: idle plus checked out.
        in_use: connections checked out by a caller (including retired ones, which are
            closed when they come back).
        idle: connections ready for reuse.
        connecting: connects in flight, or capacity reserved for one.
        waiting: ``get()`` calls queued because ``max_size`` was reached.
        closing: closes in flight.
        created: connections opened since the pool was created.
        reused: ``get()`` calls served by an existing connection.
        closed: connections closed since the pool was created (a ``close_cb`` that raised
            counts as closed).

    """

    open: int
    in_use: int
    idle: int
    connecting: int
    waiting: int
    closing: int
    created: int
    reused: int
    closed: int


class _Entry:
    """What the pool knows about one connection it owns."""

    __slots__ = ("created_at", "in_use", "refreshed_at", "retired")

    def __init__(self, now: float) -> None:
        self.created_at = now
        self.refreshed_at = now
        self.in_use = True
        self.retired = False


class _Slot:
    """Grant: capacity for one new connection was reserved for the waiter."""


class _Retry:
    """Grant: the shared prewarm connect did not produce a connection; try again."""


class _Fresh:
    """Grant: a connection that was just opened (no validation needed)."""

    __slots__ = ("conn",)

    def __init__(self, conn: object) -> None:
        self.conn = conn


class _Reuse:
    """Grant: an idle connection, checked out for the caller (validated before use)."""

    __slots__ = ("conn",)

    def __init__(self, conn: object) -> None:
        self.conn = conn


class _Claim:
    """Grant: the caller shares the prewarm connect in flight and waits for its outcome."""

    __slots__ = ("fut",)

    def __init__(self, fut: asyncio.Future[_Grant]) -> None:
        self.fut = fut


_Grant = _Slot | _Retry | _Fresh | _Reuse

_SLOT = _Slot()
_RETRY = _Retry()


def _seconds(name: str, value: object, *, allow_none: bool = False) -> float | None:
    """Check that ``value`` is a positive, finite number of seconds (or ``None`` if allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        expected = "a number of seconds or None" if allow_none else "a number of seconds"
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)


def _callable_or_none(name: str, value: object) -> None:
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be callable or None, got {type(value).__name__}")


class ConnectionPool(Generic[T]):
    """A pool of persistent connections (websockets, TCP streams...), reused across requests.

    API-compatible with ``livekit.agents.utils.ConnectionPool``, with its known defects
    fixed: connects run in parallel, ``timeout`` is enforced, connections that leave the
    pool are closed promptly in the background, and the pool can be bounded.

    Connections must be hashable (the pool keys its bookkeeping on them); websocket and
    stream objects are, by identity.

    Args:
        max_session_duration: seconds after which a connection is not reused any more
            (counted from its creation, or from its last ``get()`` with
            ``mark_refreshed_on_get``); an idle connection is closed as soon as it
            expires. ``None``: connections never expire.
        mark_refreshed_on_get: restart a connection's session clock each time ``get()``
            hands it out.
        connect_cb: ``async (timeout) -> connection``; receives the seconds left before
            the caller's deadline.
        close_cb: ``async (connection) -> None``; an exception it raises is logged.
        connect_timeout: the timeout of connects started by :meth:`prewarm`.
        max_size: the most connections open or connecting at once; ``get()`` then waits,
            first come first served, for one to be returned. ``None``: unbounded.
        validate_cb: ``(connection) -> bool`` (or an awaitable bool), called before an
            idle connection is reused; a connection it rejects (or that makes it raise)
            is closed and replaced.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a duration is not positive and finite, or ``max_size`` < 1.

    """

    def __init__(
        self,
        *,
        max_session_duration: float | None = None,
        mark_refreshed_on_get: bool = False,
        connect_cb: Callable[[float], Awaitable[T]] | None = None,
        close_cb: Callable[[T], Awaitable[None]] | None = None,
        connect_timeout: float = 10.0,
        max_size: int | None = None,
        validate_cb: Callable[[T], bool | Awaitable[bool]] | None = None,
    ) -> None:
        self._max_session_duration = _seconds("max_session_duration", max_session_duration, allow_none=True)
        connect_timeout_s = _seconds("connect_timeout", connect_timeout)
        assert connect_timeout_s is not None
        self._connect_timeout = connect_timeout_s
        if max_size is not None:
            if isinstance(max_size, bool) or not isinstance(max_size, int):
                raise TypeError(f"max_size must be an int or None, got {type(max_size).__name__}")
            if max_size < 1:
                raise ValueError(f"max_size must be at least 1, got {max_size}")
        _callable_or_none("connect_cb", connect_cb)
        _callable_or_none("close_cb", close_cb)
        _callable_or_none("validate_cb", validate_cb)
        self._max_size = max_size
        self._mark_refreshed_on_get = bool(mark_refreshed_on_get)
        self._connect_cb = connect_cb
        self._close_cb = close_cb
        self._validate_cb = validate_cb

        self._entries: dict[T, _Entry] = {}
        # Insertion-ordered: popitem() returns the most recently returned connection.
        self._idle: dict[T, None] = {}
        self._connecting = 0
        self._waiters: collections.deque[asyncio.Future[_Grant]] = collections.deque()
        self._connect_tasks: set[asyncio.Task[T]] = set()
        self._abandoned: set[asyncio.Task[T]] = set()
        self._close_tasks: set[asyncio.Task[None]] = set()
        self._pending_close: list[T] = []
        self._prewarm_task: asyncio.Task[None] | None = None
        self._prewarm_claim: asyncio.Future[_Grant] | None = None
        # One timer for the earliest expiry among idle connections (not one per put()).
        self._expiry_timer: asyncio.TimerHandle | None = None
        self._expiry_at = 0.0
        self._generation = 0
        self._closed = False
        self._created = 0
        self._reused = 0
        self._closed_count = 0
        self._label = ""
        self._secrets: Sequence[str] = ()

        self.last_acquire_time: float = 0.0
        """Seconds the last ``get()`` spent opening a new connection (0.0 when it reused one)."""
        self.last_connection_reused: bool = False
        """Whether the last ``get()`` handed out an existing connection."""

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        connector: str | None = None,
        connect_options: Mapping[str, Any] | None = None,
        max_session_duration: float | None = None,
        mark_refreshed_on_get: bool = False,
        connect_timeout: float = 10.0,
        max_size: int | None = None,
        validate_cb: Callable[[Any], bool | Awaitable[bool]] | None = None,
    ) -> ConnectionPool[Any]:
        """Build a pool whose connections are opened by the connector serving ``url``'s scheme.

        The connector is chosen by :func:`agentutils_pool.resolve_connector`: the one
        named by ``connector``, else by ``AGENTUTILS_POOL_CONNECTOR`` when it serves the
        scheme, else the highest-priority available one serving it. Its ``is_alive`` is
        the validation unless ``validate_cb`` is given. Built in: ``tcp://``,
        ``tls://``, ``ws://`` and ``wss://`` (the last two need ``agentutils-pool[aiohttp]``).

        Args:
            url: where to connect, e.g. ``"wss://api.example.com/v1/stream"``.
            connector: the name of the connector to use.
            connect_options: keyword arguments for the connector's ``connect`` (headers,
                an ``ssl`` context...).
            max_session_duration: as in the constructor.
            mark_refreshed_on_get: as in the constructor.
            connect_timeout: as in the constructor.
            max_size: as in the constructor.
            validate_cb: as in the constructor; defaults to the connector's ``is_alive``.

        Returns:
            A pool whose logs and errors show ``url`` redacted.

        Raises:
            ValueError: ``url`` has no scheme, or the connector rejects it.
            agentutils_pool.UnsupportedSchemeError: no connector serves the scheme.
            agentutils_core.ProviderUnavailableError: the connector for the scheme cannot
                work here (``ws://`` without aiohttp: the message names the extra).
            agentutils_core.DuplicateProviderError: two connectors of the same priority
                claim the scheme.

        """
        from .connector import resolve_connector

        conn_impl: PoolConnector = resolve_connector(url, connector)
        options = dict(connect_options or {})
        check_url = getattr(conn_impl, "check_url", None)
        if callable(check_url):
            check_url(url, **options)

        async def connect(timeout: float) -> Any:
            return await conn_impl.connect(url, timeout, **options)

        pool: ConnectionPool[Any] = cls(
            max_session_duration=max_session_duration,
            mark_refreshed_on_get=mark_refreshed_on_get,
            connect_cb=connect,
            close_cb=conn_impl.close,
            connect_timeout=connect_timeout,
            max_size=max_size,
            validate_cb=validate_cb if validate_cb is not None else conn_impl.is_alive,
        )
        pool._label = f" to {redact_url(url)}"
        pool._secrets = (*url_secrets(url), *header_secrets(options.get("headers")))
        return pool

    def __repr__(self) -> str:
        s = self.stats()
        state = "closed" if self._closed else "open"
        return (
            f"<ConnectionPool{self._label} {state} open={s.open} in_use={s.in_use} "
            f"idle={s.idle} connecting={s.connecting} max_size={self._max_size}>"
        )

    # ------------------------------------------------------------------ public API

    @property
    def max_size(self) -> int | None:
        """The most connections open or connecting at once (``None``: unbounded)."""
        return self._max_size

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    def stats(self) -> PoolStats:
        """Return a snapshot of the pool's connections and counters."""
        idle = len(self._idle)
        return PoolStats(
            open=len(self._entries),
            in_use=len(self._entries) - idle,
            idle=idle,
            connecting=self._connecting,
            waiting=sum(1 for w in self._waiters if not w.done()),
            closing=len(self._close_tasks) + len(self._pending_close),
            created=self._created,
            reused=self._reused,
            closed=self._closed_count,
        )

    def connection(self, *, timeout: float) -> AbstractAsyncContextManager[T]:
        """Check out a connection for the body of an ``async with`` block.

        The connection is returned to the pool when the body completes, and removed
        (closed) when it raises, cancellation included, since its state is then unknown::

            async with pool.connection(timeout=5) as ws:
                await ws.send_str("hello")

        Args:
            timeout: as in :meth:`get`.

        """
        return _Checkout(self, timeout)

    async def get(self, *, timeout: float) -> T:
        """Check out a connection: the most recently returned idle one, or a new one.

        An idle connection is reused if it has not expired and ``validate_cb`` accepts
        it; otherwise it is closed and the next one is tried. A new connection is opened
        when none is idle, in parallel with other ``get()`` calls; a :meth:`prewarm` in
        flight is shared with the first caller instead. When ``max_size`` connections
        are open or connecting, the call waits (first come first served) for one to be
        returned or closed.

        Args:
            timeout: the most seconds to wait, queueing and connecting included.

        Returns:
            A connection, checked out until :meth:`put` or :meth:`remove`.

        Raises:
            TimeoutError: no connection within ``timeout``. A connect still in flight is
                cancelled, and closed if it completes anyway.
            PoolClosedError: the pool is closed.
            NotImplementedError: the pool has no ``connect_cb``.
            Exception: what ``connect_cb`` raised.

        """
        timeout_s: float | None = timeout
        if not ((timeout.__class__ is float or timeout.__class__ is int) and 0 < timeout < _INF):
            timeout_s = _seconds("timeout", timeout)
        assert timeout_s is not None
        if self._closed or self._connect_cb is None:
            self._ensure_usable()
        if self._pending_close:
            self._flush_pending_closes()
        if self._idle and not self._waiters and self._validate_cb is None:
            # Fast path: reuse the most recently returned connection, no await needed.
            conn = self._take_idle()
            if conn is not None:
                if self._mark_refreshed_on_get:
                    self._entries[conn].refreshed_at = _clock()
                self._reused += 1
                self.last_connection_reused = True
                self.last_acquire_time = 0.0
                return conn
        deadline = _clock() + timeout_s
        started = time.perf_counter()
        conn, fresh = await self._acquire(deadline, timeout_s)
        self.last_connection_reused = not fresh
        self.last_acquire_time = time.perf_counter() - started if fresh else 0.0
        return conn

    def put(self, conn: T) -> None:
        """Return a checked-out connection to the pool for reuse.

        A connection that was retired by :meth:`invalidate`, has expired, or is returned
        to a closed pool is closed instead. Returning a connection the pool does not
        hold (already removed, or never checked out) does nothing.
        """
        entry = self._entries.get(conn)
        if entry is None or not entry.in_use:
            return
        self._release(conn, entry)

    def remove(self, conn: T) -> None:
        """Take a connection out of the pool and close it in the background.

        Works for idle and checked-out connections; an unknown connection is ignored.
        """
        if conn in self._entries:
            self._discard(conn)
            self._dispatch()

    def invalidate(self) -> None:
        """Stop reusing every existing connection (for example after options changed).

        Idle connections are closed now, in the background. Checked-out connections keep
        working for their holder and are closed when returned. A connect in flight whose
        result would carry the old options is closed when it completes, and its caller
        connects again.
        """
        self._generation += 1
        for conn, entry in list(self._entries.items()):
            if entry.in_use:
                entry.retired = True
            else:
                self._discard(conn)
        self._dispatch()

    def prewarm(self) -> None:
        """Start opening a connection in the background, if the pool has none.

        The connect uses ``connect_timeout``. The first ``get()`` that needs a connection
        while it is in flight waits for it instead of opening a second one. A failure is
        logged (with credentials redacted), never raised. Needs a running event loop.

        Raises:
            PoolClosedError: the pool is closed.
            NotImplementedError: the pool has no ``connect_cb``.

        """
        self._ensure_usable()
        if self._prewarm_task is not None and not self._prewarm_task.done():
            return
        if self._entries or self._connecting or not self._has_capacity():
            return
        loop = asyncio.get_running_loop()
        self._connecting += 1
        self._prewarm_task = loop.create_task(self._run_prewarm())

    async def aclose(self) -> None:
        """Close the pool and its connections.

        Cancels a prewarm and the connects in flight (their callers get
        :class:`PoolClosedError`, as do queued ``get()`` calls), closes idle connections,
        and waits for every close in flight. Checked-out connections are closed when
        they are returned. Calling it again waits for closes still in flight.
        """
        if not self._closed:
            self._closed = True
            for fut in self._waiters:
                if not fut.done():
                    fut.set_exception(PoolClosedError(f"connection pool{self._label} is closed"))
            self._waiters.clear()
            for conn, entry in list(self._entries.items()):
                if entry.in_use:
                    entry.retired = True
                else:
                    self._discard(conn)
            if self._expiry_timer is not None:
                self._expiry_timer.cancel()
                self._expiry_timer = None
            to_cancel: list[asyncio.Future[Any]] = []
            if self._prewarm_task is not None and not self._prewarm_task.done():
                to_cancel.append(self._prewarm_task)
            for task in list(self._connect_tasks):
                self._abandon_connect(task)
                to_cancel.append(task)
            for task in [t for t in self._abandoned if t.done()]:
                # Finished, completion callback not run yet: settle it now, so that the
                # close it starts is one this call waits for.
                self._on_abandoned_done(task)
            to_cancel.extend(t for t in self._abandoned if t not in to_cancel)
            if to_cancel:
                from agentutils_core.aio import cancel_and_wait

                await cancel_and_wait(*to_cancel)
        self._flush_pending_closes()
        while self._close_tasks:
            await asyncio.wait(set(self._close_tasks))

    async def __aenter__(self) -> ConnectionPool[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ acquisition

    def _ensure_usable(self) -> None:
        if self._closed:
            raise PoolClosedError(f"connection pool{self._label} is closed")
        if self._connect_cb is None:
            raise NotImplementedError("ConnectionPool needs a connect_cb to open connections")

    def _has_capacity(self) -> bool:
        return self._max_size is None or len(self._entries) + self._connecting < self._max_size

    def _expired(self, entry: _Entry, now: float) -> bool:
        limit = self._max_session_duration
        return limit is not None and now - entry.refreshed_at > limit

    def _take_idle(self) -> T | None:
        """Pop the most recently returned idle connection that has not expired."""
        limit = self._max_session_duration
        while self._idle:
            conn, _ = self._idle.popitem()
            entry = self._entries[conn]
            if limit is not None and _clock() - entry.refreshed_at > limit:
                self._discard(conn)
                continue
            entry.in_use = True
            return conn
        return None

    def _grant_now(self) -> _Grant | _Claim | None:
        """Serve a ``get()`` without waiting, if nobody is queued ahead of it."""
        if self._waiters:
            return None
        conn = self._take_idle()
        if conn is not None:
            return _Reuse(conn)
        task = self._prewarm_task
        if task is not None and not task.done() and self._prewarm_claim is None:
            claim: asyncio.Future[_Grant] = asyncio.get_running_loop().create_future()
            self._prewarm_claim = claim
            return _Claim(claim)
        if self._has_capacity():
            self._connecting += 1
            return _SLOT
        return None

    async def _acquire(self, deadline: float, timeout: float) -> tuple[T, bool]:
        pending = self._grant_now()
        while True:
            if pending is None:
                waiter: asyncio.Future[_Grant] = asyncio.get_running_loop().create_future()
                self._waiters.append(waiter)
                grant = await self._wait_grant(waiter, deadline, timeout)
            elif isinstance(pending, _Claim):
                grant = await self._wait_grant(pending.fut, deadline, timeout)
            else:
                grant = pending
            if isinstance(grant, _Retry):
                self._ensure_usable()
                pending = self._grant_now()
                continue
            if isinstance(grant, _Slot):
                return await self._open(deadline, timeout), True
            conn = cast("T", grant.conn)
            if isinstance(grant, _Fresh):
                # Opened by the prewarm we shared; invalidate() or aclose() may have
                # retired it between its completion and our resumption.
                fresh_entry = self._entries.get(conn)
                if fresh_entry is not None and not fresh_entry.retired:
                    return conn, True
            elif await self._reusable(conn, deadline, timeout):
                entry = self._entries[conn]
                if self._mark_refreshed_on_get:
                    entry.refreshed_at = _clock()
                self._reused += 1
                return conn, False
            # Rejected: close it and take the capacity it frees (no dispatch in between,
            # so a caller already served keeps its turn).
            if conn not in self._entries:
                # Removed by someone else meanwhile: the capacity it held is not ours.
                self._ensure_usable()
                pending = self._grant_now()
                continue
            self._discard(conn)
            self._ensure_usable()
            idle = self._take_idle()
            if idle is not None:
                pending = _Reuse(idle)
            else:
                self._connecting += 1
                pending = _SLOT

    async def _wait_grant(self, fut: asyncio.Future[_Grant], deadline: float, timeout: float) -> _Grant:
        remaining = deadline - _clock()
        try:
            if remaining > 0:
                await asyncio.wait((fut,), timeout=remaining)
            if not fut.done():
                raise TimeoutError(f"no connection{self._label} available within {timeout:g} s")
        except BaseException:
            self._give_back(fut)
            raise
        return fut.result()

    def _give_back(self, fut: asyncio.Future[_Grant]) -> None:
        """Undo a grant whose caller gave up: return what it was given, or withdraw it."""
        if fut is self._prewarm_claim:
            self._prewarm_claim = None
        if not fut.done():
            fut.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(fut)
            return
        if fut.cancelled() or fut.exception() is not None:
            return
        grant = fut.result()
        if isinstance(grant, _Slot):
            self._connecting -= 1
            self._dispatch()
        elif isinstance(grant, (_Fresh, _Reuse)):
            self._return_unused(cast("T", grant.conn))

    def _return_unused(self, conn: T) -> None:
        entry = self._entries.get(conn)
        if entry is not None and entry.in_use:
            self._release(conn, entry)

    async def _reusable(self, conn: T, deadline: float, timeout: float) -> bool:
        entry = self._entries.get(conn)
        if entry is None or entry.retired:
            return False
        if self._expired(entry, _clock()):
            return False
        if self._validate_cb is None:
            return True
        try:
            result: object = self._validate_cb(conn)
            if inspect.isawaitable(result):
                result = await self._await_validation(conn, result, deadline)
        except _OutOfTime:
            raise TimeoutError(f"no connection{self._label} available within {timeout:g} s") from None
        except asyncio.CancelledError:
            # The check was interrupted: the connection's state is unknown.
            if conn in self._entries:
                self._discard(conn)
                self._dispatch()
            raise
        except Exception as exc:
            logger.warning(
                "validate_cb%s raised, discarding the connection: %s", self._label, self._describe(exc)
            )
            return False
        if not result:
            logger.debug("discarding a connection%s that failed validation", self._label)
        return bool(result) and conn in self._entries and not self._entries[conn].retired

    async def _await_validation(self, conn: T, result: Awaitable[object], deadline: float) -> object:
        """Await an asynchronous ``validate_cb`` result, at most until ``deadline``.

        Raises:
            _OutOfTime: no answer in time. A check that could not start is dropped and the
                connection goes back to the idle set; one that started is cancelled and the
                connection, whose state is then unknown, is closed.

        """
        remaining = deadline - _clock()
        if remaining <= 0:
            close = getattr(result, "close", None)
            if callable(close):  # a coroutine that will never run: no "never awaited" warning
                close()
            self._return_unused(conn)
            raise _OutOfTime
        check = asyncio.ensure_future(result)
        try:
            await asyncio.wait((check,), timeout=remaining)
        except BaseException:
            check.cancel()
            raise
        if check.done():
            return check.result()
        check.cancel()
        check.add_done_callback(_consume_outcome)
        if conn in self._entries:
            self._discard(conn)
            self._dispatch()
        raise _OutOfTime

    async def _open(self, deadline: float, timeout: float) -> T:
        """Open a connection with the capacity reserved by the caller (``_connecting``)."""
        assert self._connect_cb is not None
        loop = asyncio.get_running_loop()
        while True:
            if self._closed:
                self._connecting -= 1
                raise PoolClosedError(f"connection pool{self._label} is closed")
            remaining = deadline - _clock()
            if remaining <= 0:
                self._connecting -= 1
                self._dispatch()
                raise TimeoutError(f"connect{self._label} timed out after {timeout:g} s")
            generation = self._generation
            task: asyncio.Task[T] = loop.create_task(_call_connect(self._connect_cb, remaining))
            self._connect_tasks.add(task)
            try:
                await asyncio.wait((task,), timeout=remaining)
            except BaseException:
                self._abandon_connect(task)
                raise
            if task not in self._connect_tasks:  # aclose() took it over while we waited
                raise PoolClosedError(f"connection pool{self._label} was closed while connecting")
            if not task.done():
                self._abandon_connect(task)
                raise TimeoutError(f"connect{self._label} timed out after {timeout:g} s")
            self._connect_tasks.discard(task)
            self._connecting -= 1
            if task.cancelled() or task.exception() is not None:
                self._dispatch()
                return task.result()  # raises the connect error
            # Still ours, so aclose() has not run since the check above (it abandons every
            # connect in flight): the pool is open.
            conn = task.result()
            self._created += 1
            if generation != self._generation:
                # invalidate() ran during the handshake: this connection carries the old
                # options. Close it and connect again, keeping the capacity it held.
                self._close_soon(conn)
                self._connecting += 1
                continue
            if conn in self._entries:
                raise RuntimeError(f"connect_cb returned a connection the pool already holds: {conn!r}")
            now = _clock()
            self._entries[conn] = _Entry(now)
            return conn

    def _abandon_connect(self, task: asyncio.Task[T]) -> None:
        """Give up on a connect: cancel it, and close what it produces if it completes anyway."""
        if task not in self._connect_tasks:
            return  # already abandoned, or already finished
        self._connect_tasks.discard(task)
        self._abandoned.add(task)
        if task.done():
            # Finished, its caller not resumed yet: settle it now rather than in a
            # callback, so that aclose() sees (and waits for) the close it starts.
            self._on_abandoned_done(task)
            return
        task.cancel()
        task.add_done_callback(self._on_abandoned_done)

    def _on_abandoned_done(self, task: asyncio.Task[T]) -> None:
        if task not in self._abandoned:
            return  # already settled by aclose()
        self._abandoned.discard(task)
        self._connecting -= 1
        if not task.cancelled():
            exc = task.exception()
            if exc is None:
                self._created += 1
                logger.debug("closing a connection%s that completed after its caller gave up", self._label)
                self._close_soon(task.result())
            else:
                logger.debug("abandoned connect%s failed: %s", self._label, self._describe(exc))
        self._dispatch()

    async def _run_prewarm(self) -> None:
        # The capacity was reserved by prewarm().
        try:
            conn = await self._open(_clock() + self._connect_timeout, self._connect_timeout)
        except asyncio.CancelledError:
            self._answer_claim(_RETRY)
            raise
        except PoolClosedError:
            self._answer_claim(_RETRY)
            return
        except Exception as exc:
            logger.warning("failed to prewarm connection pool%s: %s", self._label, self._describe(exc))
            self._answer_claim(_RETRY)
            return
        claim = self._prewarm_claim
        self._prewarm_claim = None
        if claim is not None and not claim.done():
            claim.set_result(_Fresh(conn))
        else:
            self._release(conn, self._entries[conn])

    def _answer_claim(self, grant: _Grant) -> None:
        claim = self._prewarm_claim
        self._prewarm_claim = None
        if claim is not None and not claim.done():
            claim.set_result(grant)

    # ------------------------------------------------------------------ release and close

    def _release(self, conn: T, entry: _Entry) -> None:
        """Make a checked-out connection idle (or close it), then serve queued callers."""
        limit = self._max_session_duration
        if self._closed or entry.retired or (limit is not None and _clock() - entry.refreshed_at > limit):
            self._discard(conn)
        else:
            entry.in_use = False
            self._idle[conn] = None
            if limit is not None:
                self._arm_expiry(entry.refreshed_at + limit)
        if self._waiters:
            self._dispatch()

    def _arm_expiry(self, at: float) -> None:
        """Make sure an expiry check runs by ``at`` (clock time)."""
        if self._expiry_timer is not None:
            if self._expiry_at <= at:
                return
            self._expiry_timer.cancel()
            self._expiry_timer = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: expiry is still checked when the connection is taken
        self._expiry_at = at
        # Slightly late rather than early, so that the connection has expired when it fires.
        self._expiry_timer = loop.call_later(max(at - _clock(), 0.0) + 1e-6, self._expire_idle)

    def _expire_idle(self) -> None:
        """Close the idle connections that have expired, and wait for the next one."""
        self._expiry_timer = None
        limit = self._max_session_duration
        if limit is None or not self._idle:
            return
        now = _clock()
        expired = [c for c in self._idle if now - self._entries[c].refreshed_at > limit]
        for conn in expired:
            self._discard(conn)
        if expired:
            self._dispatch()
        if self._idle:
            self._arm_expiry(min(self._entries[c].refreshed_at for c in self._idle) + limit)

    def _discard(self, conn: T) -> None:
        """Forget a connection and close it in the background (no dispatch)."""
        del self._entries[conn]
        self._idle.pop(conn, None)
        self._close_soon(conn)

    def _dispatch(self) -> None:
        """Hand idle connections, then free capacity, to queued ``get()`` calls in order."""
        while self._waiters:
            waiter = self._waiters[0]
            if waiter.done():
                self._waiters.popleft()
                continue
            conn = self._take_idle()
            if conn is not None:
                waiter.set_result(_Reuse(conn))
            elif self._has_capacity():
                self._connecting += 1
                waiter.set_result(_SLOT)
            else:
                return
            self._waiters.popleft()

    def _close_soon(self, conn: T) -> None:
        if self._close_cb is None:
            self._closed_count += 1
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # remove()/put() called outside the event loop: close at the next async call.
            self._pending_close.append(conn)
            return
        task = loop.create_task(self._close_one(conn))
        self._close_tasks.add(task)
        task.add_done_callback(self._close_tasks.discard)

    def _flush_pending_closes(self) -> None:
        pending, self._pending_close = self._pending_close, []
        for conn in pending:
            self._close_soon(conn)

    async def _close_one(self, conn: T) -> None:
        assert self._close_cb is not None
        try:
            await self._close_cb(conn)
        except Exception as exc:
            logger.warning("error closing a connection%s: %s", self._label, self._describe(exc))
        finally:
            self._closed_count += 1

    def _describe(self, exc: BaseException) -> str:
        """``"<Type>: <message>"`` with credentials removed."""
        message = redact_text(str(exc), self._secrets)
        return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class _Checkout(AbstractAsyncContextManager[T]):
    """The context manager of :meth:`ConnectionPool.connection` (cheaper than a generator)."""

    __slots__ = ("_conn", "_pool", "_timeout")

    def __init__(self, pool: ConnectionPool[T], timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout

    async def __aenter__(self) -> T:
        self._conn = await self._pool.get(timeout=self._timeout)
        return self._conn

    async def __aexit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            self._pool.put(self._conn)
        else:
            self._pool.remove(self._conn)


class _OutOfTime(Exception):
    """The deadline of a ``get()`` passed while a connection was being validated."""


def _consume_outcome(fut: asyncio.Future[Any]) -> None:
    """Read an abandoned future's outcome, so that asyncio does not report it as lost."""
    if not fut.cancelled():
        fut.exception()


async def _call_connect(connect_cb: Callable[[float], Awaitable[T]], timeout: float) -> T:
    return await connect_cb(timeout)
