"""``ConnectionPool``: reuse persistent connections (websockets, TCP streams) across requests.

httpcore's model: one map of entries, one per connection owned *or being opened*
(connecting, idle, in use, retired), so the capacity in use is its length; a queue of
``get()`` calls; one ``_assign()`` recomputing who gets what whenever something arrives or
leaves. Each connect's task settles its entry: what completes after its caller gave up is
closed, never leaked. A prewarm is a connecting entry nobody waits for. No lock is held
across I/O (only synchronous code changes the state). Time is ``loop.time()``.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import math
import time
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from agentutils_core.checks import check_count, check_seconds, check_timeout

from ._background import Background, clock_of, running_loop
from ._checkout import Checkout
from ._entry import CONNECTING, GONE, IDLE, IN_USE, RETIRED, Entry, OutOfTime, Waiter, until, validate
from ._from_url import from_url
from .stats import PoolStats

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from contextlib import AbstractAsyncContextManager

__all__ = ["ConnectionPool", "PoolStats"]

logger = logging.getLogger("agentutils.pool")

T = TypeVar("T")
_INF = math.inf


class ConnectionPool(Generic[T]):
    """A pool of persistent connections (websockets, TCP streams...), reused across requests.

    API-compatible with ``livekit.agents.utils.ConnectionPool``, its known defects fixed:
    connects run in parallel, ``timeout`` is enforced, connections leaving the pool are
    closed at once, in the background, and the pool can be bounded. Connections must be
    hashable (websockets and streams are). Timeouts mean what ``agentutils_core.checks``
    says: ``None`` or ``math.inf`` no limit, ``0`` do not wait.

    Args:
        max_session_duration: seconds after which a connection is not reused (from its
            creation, or its last ``get()`` with ``mark_refreshed_on_get``); an idle one
            is closed when it expires. ``None`` (or ``math.inf``): never.
        mark_refreshed_on_get: restart a connection's session clock at each ``get()``.
        connect_cb: ``async (timeout) -> connection``; receives the seconds left
            (``math.inf``: no limit); the pool enforces them.
        close_cb: ``async (connection) -> None``; an exception it raises is logged.
        connect_timeout: the timeout of connects started by :meth:`prewarm`.
        max_size: the most connections open or connecting at once (``get()`` then waits,
            first come first served); ``None``: unbounded.
        validate_cb: ``(connection) -> bool`` (or awaitable), called before an idle
            connection is reused; one it rejects (or raises for) is closed and replaced.

    Raises:
        TypeError, ValueError: an argument has the wrong type or value (the message says).

    """

    def __init__(
        self,
        *,
        max_session_duration: float | None = None,
        mark_refreshed_on_get: bool = False,
        connect_cb: Callable[[float], Awaitable[T]] | None = None,
        close_cb: Callable[[T], Awaitable[None]] | None = None,
        connect_timeout: float | None = 10.0,
        max_size: int | None = None,
        validate_cb: Callable[[T], bool | Awaitable[bool]] | None = None,
    ) -> None:
        duration = max_session_duration
        limit = None if duration is None else check_seconds(duration, "max_session_duration", positive=True)
        self._max_session_duration = None if limit == _INF else limit
        self._connect_timeout = check_timeout(connect_timeout, "connect_timeout")
        self._max_size = None if max_size is None else check_count(max_size, "max_size", minimum=1)
        for name, cb in (("connect_cb", connect_cb), ("close_cb", close_cb), ("validate_cb", validate_cb)):
            if cb is not None and not callable(cb):
                raise TypeError(f"{name} must be callable or None, got {type(cb).__name__}")
        self._mark_refreshed_on_get = bool(mark_refreshed_on_get)
        self._connect_cb, self._close_cb, self._validate_cb = connect_cb, close_cb, validate_cb

        self._entries: dict[Any, Entry] = {}
        self._idle: dict[Any, Entry] = {}  # insertion-ordered: popitem() is the last returned
        self._waiters: collections.deque[Waiter] = collections.deque()
        self._prewarm: Entry | None = None
        self._expiry_timer: asyncio.TimerHandle | None = None  # one, not one per put()
        self._bg = Background(close_cb)  # closes and connects in flight, and their messages
        self._loop: asyncio.AbstractEventLoop | None = None  # set with the first entry
        self._clock: Callable[[], float] = time.monotonic  # the loop's from then on
        self._generation = 0
        self._closed = False
        self._created = self._reused = 0

        self.last_acquire_time: float = 0.0
        """Seconds the last ``get()`` spent opening a new connection (0.0 when it reused one)."""
        self.last_connection_reused: bool = False
        """Whether the last ``get()`` handed out an existing connection."""

    from_url = classmethod(from_url)

    def __repr__(self) -> str:
        s, state = self.stats(), "closed" if self._closed else "open"
        counts = f"open={s.open} in_use={s.in_use} idle={s.idle} connecting={s.connecting}"
        return f"<ConnectionPool{self._bg.label} {state} {counts} max_size={self._max_size}>"

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
        connecting = sum(1 for e in self._entries.values() if e.state is CONNECTING)
        idle, opened = len(self._idle), len(self._entries) - connecting
        waiting = sum(1 for w in self._waiters if not w.fut.done())
        counts = (self._bg.closing, self._created, self._reused, self._bg.closed)
        return PoolStats(opened, opened - idle, idle, connecting, waiting, *counts)

    def connection(self, *, timeout: float | None) -> AbstractAsyncContextManager[T]:
        """Check out a connection for an ``async with`` block; returned after it, removed if it raises."""
        return Checkout(self, timeout)

    async def get(self, *, timeout: float | None) -> T:
        """Check out a connection: the most recently returned idle one, or a new one.

        An idle one is reused if it has not expired and ``validate_cb`` accepts it, else
        it is closed and the next is tried. New ones open in parallel; the first caller
        shares a :meth:`prewarm` in flight. At ``max_size``, calls queue (FIFO).

        Args:
            timeout: the most seconds to wait, connecting and validating included;
                ``0``: only an idle connection at hand; ``None``: no limit.

        Raises:
            TimeoutError: nothing within ``timeout`` (a connect in flight is cancelled,
                and closed if it completes anyway).
            PoolClosedError: the pool is closed (``NotImplementedError``: no ``connect_cb``).
            TypeError: ``connect_cb`` returned an unhashable connection (it is closed).
            Exception: what ``connect_cb`` raised.

        """
        timeout_s: float | None = timeout
        if not ((timeout.__class__ is float or timeout.__class__ is int) and 0 < timeout < _INF):
            timeout_s = check_timeout(timeout)
        if self._closed or self._connect_cb is None:
            self._ensure_usable()
        if self._bg.pending:
            self._bg.flush()
        if self._idle and not self._waiters and self._validate_cb is None:
            entry = self._take_idle()  # fast path: no await needed
            if entry is not None:
                self.last_connection_reused, self.last_acquire_time = True, 0.0
                return self._reuse(entry)
        loop = self._loop = asyncio.get_running_loop()
        self._clock = clock_of(loop)
        started = loop.time()
        conn, fresh = await self._acquire(loop, _INF if timeout_s is None else started + timeout_s, timeout_s)
        self.last_connection_reused = not fresh
        self.last_acquire_time = loop.time() - started if fresh else 0.0
        return conn

    def put(self, conn: T) -> None:
        """Return a checked-out connection (closed instead if retired or expired, or the pool closed)."""
        entry = self._lookup(conn)
        if entry is not None and entry.state is not IDLE and entry.waiter is None:
            self._release(entry)

    def remove(self, conn: T) -> None:
        """Take a connection (idle or checked out; else ignored) out of the pool and close it."""
        entry = self._lookup(conn)
        if entry is not None:
            self._forget(entry)

    def invalidate(self) -> None:
        """Stop reusing every existing connection (for example after options changed).

        Idle ones are closed now, checked-out ones when returned; a connect in flight is
        closed when it completes (old options), and its caller connects again.
        """
        self._generation += 1
        self._retire_all()

    def prewarm(self) -> None:
        """Start opening a connection in the background, if the pool has none.

        The connect uses ``connect_timeout``; the first ``get()`` needing a connection
        meanwhile waits for it. A failure is logged (redacted; ``exception_type`` in the
        record names its type), never raised. Raises as :meth:`get` when the pool is
        closed or has no ``connect_cb``. Needs a running event loop.
        """
        self._ensure_usable()
        if self._entries:  # connections, or a connect (this prewarm's included) in flight
            return
        loop = self._loop = asyncio.get_running_loop()
        self._clock = clock_of(loop)
        limit = self._connect_timeout
        self._prewarm = self._start_connect(loop.time() + (_INF if limit is None else limit), limit, True)

    async def aclose(self) -> None:
        """Close the pool and its connections.

        Cancels connects (their callers and queued ones get :class:`PoolClosedError`),
        closes idle connections (checked-out ones when returned), and waits until each
        connect has ended and each close finished, however many calls wait.
        """
        if not self._closed:
            self._closed = True
            if self._expiry_timer is not None:
                self._expiry_timer.cancel()
            self._retire_all()
        await self._bg.wait()

    async def __aenter__(self) -> ConnectionPool[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _retire_all(self) -> None:
        """Close idle connections, retire checked-out ones; when closed, settle the rest too."""
        for entry in list(self._entries.values()):
            if entry.state is CONNECTING:
                if self._closed:
                    self._drop(entry)
            elif entry.state is IDLE or (self._closed and entry.waiter is not None):
                self._discard(entry)
            elif entry.state is IN_USE:
                entry.state = RETIRED
        if self._closed:
            for waiter in self._waiters:
                if not waiter.fut.done():
                    waiter.fut.set_exception(self._bg.closed_error())
            self._waiters.clear()
        self._assign()

    def _ensure_usable(self) -> None:
        if self._closed:
            raise self._bg.closed_error()
        if self._connect_cb is None:
            raise NotImplementedError("ConnectionPool needs a connect_cb to open connections")

    def _expired(self, entry: Entry) -> bool:
        """The one expiry rule: past ``max_session_duration`` since its (re)fresh time."""
        limit = self._max_session_duration
        return limit is not None and self._clock() - entry.refreshed_at > limit

    def _lookup(self, conn: object) -> Entry | None:
        try:
            return self._entries.get(conn)
        except TypeError:  # unhashable: never one of ours
            return None

    def _take_idle(self) -> Entry | None:
        """Check out the most recently returned idle connection that has not expired."""
        limit = self._max_session_duration
        while self._idle:
            _, entry = self._idle.popitem()
            if limit is not None and self._expired(entry):
                self._discard(entry)
                continue
            entry.state = IN_USE
            return entry
        return None

    def _reuse(self, entry: Entry) -> T:
        if self._mark_refreshed_on_get:
            entry.refreshed_at = self._clock()
        self._reused += 1
        conn: T = entry.conn
        return conn

    def _assign(self) -> None:
        """Serve queued ``get()`` calls in order: an idle connection, the prewarm, or capacity."""
        waiters = self._waiters
        while waiters:
            waiter = waiters[0]
            if waiter.fut.done():
                waiters.popleft()
                continue
            entry = self._take_idle() if self._idle else None
            if entry is None:
                if self._prewarm is not None and self._prewarm.waiter is None:
                    entry = self._prewarm
                elif self._max_size is None or len(self._entries) < self._max_size:
                    entry = self._start_connect(waiter.deadline, waiter.timeout, False)
                else:
                    return
                waiter.fresh = True
            waiters.popleft()
            waiter.entry, entry.waiter = entry, waiter
            if entry.state is not CONNECTING:
                waiter.fut.set_result(entry)

    async def _acquire(
        self, loop: asyncio.AbstractEventLoop, deadline: float, timeout: float | None
    ) -> tuple[T, bool]:
        ahead = False  # a caller served once but refused what it got keeps its turn
        while True:
            self._ensure_usable()
            waiter = Waiter(loop.create_future(), deadline, timeout)
            (self._waiters.appendleft if ahead else self._waiters.append)(waiter)
            self._assign()
            entry = await self._wait(waiter)
            entry.waiter, ahead = None, True
            if self._entries.get(entry.conn) is not entry and self._closed:  # aclose() took it
                raise self._bg.closed_error(waiter.fresh and not entry.shared)
            if waiter.fresh:
                if entry.state is IN_USE:
                    return cast("T", entry.conn), True
            else:
                try:
                    if await self._reusable(entry, waiter):
                        return self._reuse(entry), False
                except OutOfTime:
                    raise self._timed_out(waiter) from None
            if self._entries.get(entry.conn) is entry:  # retired, expired or refused: replace it
                self._discard(entry)

    async def _wait(self, waiter: Waiter) -> Entry:
        """Wait for the entry promised to ``waiter`` until its deadline; give it up on failure."""
        try:
            if not await until(waiter.fut, waiter.deadline):
                raise self._timed_out(waiter)
        except BaseException:
            self._give_up(waiter)
            raise
        return waiter.fut.result()  # raises the connect's error

    def _give_up(self, waiter: Waiter) -> None:
        """Undo what a ``get()`` that gave up was promised: withdraw, cancel or return it."""
        fut, entry = waiter.fut, waiter.entry
        if not fut.cancel() and not fut.cancelled():
            fut.exception()  # read, so that asyncio does not report it as lost
        if entry is None or entry.waiter is not waiter:
            return  # queued (``_assign()`` skips it now), or settled already
        entry.waiter = None
        if entry.state is not CONNECTING:
            if self._entries.get(entry.conn) is entry:
                self._release(entry)  # promised, never taken: back to the pool
        elif entry.shared:
            self._assign()  # the prewarm goes on for the pool, or for the next waiter
        else:
            self._drop(entry)

    def _timed_out(self, waiter: Waiter) -> TimeoutError:  # names the connect it waited for
        entry = waiter.entry
        connecting = entry is not None and entry.state is CONNECTING and not entry.shared
        return self._bg.timeout_error(waiter.timeout, connecting)

    async def _reusable(self, entry: Entry, waiter: Waiter) -> bool:
        if entry.state is not IN_USE or self._expired(entry):
            return False
        try:
            ok = self._validate_cb is None or await validate(self._validate_cb, entry.conn, waiter.deadline)
        except OutOfTime as exc:  # a check that ran leaves the connection's state unknown
            self._forget(entry) if exc.started else self._release(entry)
            raise
        except asyncio.CancelledError:
            self._forget(entry)
            raise
        except Exception as exc:
            self._bg.warn("validate_cb%s raised, discarding the connection: %s", exc)
            return False
        if not ok:
            logger.debug("discarding a connection%s that failed validation", self._bg.label)
        return ok and entry.state is IN_USE and self._entries.get(entry.conn) is entry

    def _start_connect(self, deadline: float, timeout: float | None, shared: bool) -> Entry:
        entry = Entry(deadline, timeout, shared)
        self._entries[entry] = entry
        assert self._loop is not None
        task = entry.task = self._loop.create_task(self._connect(entry))
        self._bg.track(task)  # and below: a task cancelled before it ran never runs its body
        task.add_done_callback(lambda _: self._settle(entry, None, asyncio.CancelledError()))
        if shared and deadline < _INF:
            entry.timer = self._loop.call_at(deadline, self._drop, entry)
        return entry

    def _drop(self, entry: Entry) -> None:
        """Cancel a connect nobody will take (its caller gave up, its time is up, or aclose())."""
        if entry.state is CONNECTING and entry.task is not None:
            entry.dropped = True
            entry.task.cancel()

    async def _connect(self, entry: Entry) -> None:
        assert self._connect_cb is not None
        conn: Any = None
        error: BaseException | None = None
        try:
            while True:
                generation, remaining = self._generation, entry.deadline - self._clock()
                if remaining <= 0:
                    raise self._bg.timeout_error(entry.timeout, True)
                conn = await self._connect_cb(remaining)
                self._created += 1
                if generation == self._generation or self._closed:
                    break
                self._bg.close_soon(conn)  # invalidate() ran during the handshake: old options
        except (Exception, asyncio.CancelledError) as exc:  # this task settles its entry itself
            error = exc
            if entry.dropped and entry.shared and not self._closed:  # its own deadline passed
                error = self._bg.timeout_error(entry.timeout, True)
        self._settle(entry, conn, error)

    def _settle(self, entry: Entry, conn: Any, error: BaseException | None) -> None:
        """A connect ended: hand its connection to its waiter, to the pool, or close it."""
        if entry.state is not CONNECTING:
            return
        del self._entries[entry]
        entry.stop_timer()
        if self._prewarm is entry:
            self._prewarm = None
        waiter, entry.waiter, entry.state = entry.waiter, None, GONE
        error = error or self._admit(entry, conn)
        if error is None and waiter is not None and not self._closed:
            entry.waiter = waiter
            waiter.fut.set_result(entry)
        elif error is None:  # nobody's: to the pool, or closed if its caller gave up
            if entry.dropped or self._closed:
                entry.state = RETIRED
            self._release(entry)
        elif entry.shared and not self._closed and not isinstance(error, asyncio.CancelledError):
            self._bg.prewarm_failed(error)
        if waiter is not None and not waiter.fut.done():
            if self._closed:
                waiter.fut.set_exception(self._bg.closed_error(not entry.shared))
            elif entry.shared:  # the prewarm it waited for failed: it connects itself
                waiter.entry, waiter.fresh = None, False
                self._waiters.appendleft(waiter)
            else:
                waiter.fut.set_exception(cast("BaseException", error))
        self._assign()

    def _admit(self, entry: Entry, conn: Any) -> Exception | None:
        """Key a new connection's entry on it, or say why it cannot be (closing it if unhashable)."""
        try:
            known = conn in self._entries
        except TypeError:
            self._bg.close_soon(conn)
            kind = type(conn).__name__
            return TypeError(f"connections must be hashable; connect_cb returned an unhashable {kind}")
        if known:
            return RuntimeError(f"connect_cb returned a connection the pool already holds: {conn!r}")
        entry.conn, entry.state, entry.refreshed_at = conn, IN_USE, self._clock()
        self._entries[conn] = entry
        return None

    def _release(self, entry: Entry) -> None:
        """Make a checked-out connection idle (or close it), then serve queued callers."""
        limit = self._max_session_duration
        if self._closed or entry.state is RETIRED or (limit is not None and self._expired(entry)):
            self._discard(entry)
        else:
            entry.state = IDLE
            self._idle[entry.conn] = entry
            if limit is not None:
                self._arm_expiry(entry.refreshed_at + limit)
        if self._waiters:
            self._assign()

    def _arm_expiry(self, at: float) -> None:
        """Make sure an expiry check runs by ``at``: one timer, for the earliest idle expiry."""
        at += 1e-6  # slightly late rather than early, so that the connection has expired
        timer = self._expiry_timer
        if (timer is None or at < timer.when()) and (loop := running_loop()) is not None:
            if timer is not None:  # (no loop: put() from another thread; checked when taken)
                timer.cancel()
            self._expiry_timer = loop.call_at(at, self._expire_idle)

    def _expire_idle(self) -> None:
        self._expiry_timer = None
        for entry in [e for e in self._idle.values() if self._expired(e)]:
            self._forget(entry)
        if self._idle and self._max_session_duration is not None:
            self._arm_expiry(min(e.refreshed_at for e in self._idle.values()) + self._max_session_duration)

    def _forget(self, entry: Entry) -> None:
        if self._entries.get(entry.conn) is entry:
            self._discard(entry)
            self._assign()

    def _discard(self, entry: Entry) -> None:
        """Forget a connection and close it in the background (no assignment)."""
        del self._entries[entry.conn]
        self._idle.pop(entry.conn, None)
        entry.state = GONE
        self._bg.close_soon(entry.conn)
