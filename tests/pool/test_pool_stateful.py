"""A hypothesis state machine drives the pool through random operations and checks its invariants.

Operations: get (connects with random latency, failure, hang, or a connect that completes
although cancelled; some with a timeout that expires at once), put, remove, invalidate,
prewarm, kill a connection (validation must catch it), cancel a pending get, aclose (one
call, or two at once: each must return only when nothing is closing). Each
step lets the event loop run a random number of ticks (zero included), so operations land
while connects, validations (sync or async, with latency) and closes (some of which raise)
are still in flight. After every step:

- no connection is handed to two holders at once;
- none is handed out after it was removed, returned after an invalidate, killed (with
  validation on), or expired (with a tiny ``max_session_duration``, nothing is reused);
- ``max_size`` is never exceeded (by the pool's own count, and by the connects in flight
  plus the connections held, seen from outside);
- no connection is closed twice;
- after a step that let the loop settle, every connection the pool must not reuse any more
  (removed, from before the last invalidate, expired, or left over after aclose) and that
  no caller holds has been closed: promptly, in the background, not at the next get().

At the end, after ``aclose()`` and returning what is held, every connection created has
been closed exactly once. Connects have zero to three event-loop ticks of latency, so
1000 examples run in seconds.
"""

from __future__ import annotations

import asyncio
import collections
from dataclasses import dataclass

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from agentutils_pool import ConnectionPool, PoolClosedError

SETTLE_TICKS = 64
# How long the loop runs after a step: often not at all, so that steps interleave.
TICKS = st.sampled_from([0, 0, 0, 1, 2, 3, SETTLE_TICKS])
# Expires before the first await: a get with this timeout succeeds only with an idle
# connection at hand, deterministically (hypothesis needs reproducible runs).
SHORT = 1e-9


class ConnectFailed(Exception):
    pass


class CloseFailed(Exception):
    pass


@dataclass(eq=False)
class Conn:
    n: int
    gen: int
    alive: bool = True
    closed: int = 0


@dataclass(frozen=True)
class Outcome:
    """How a get() ended, with the machine's state at that very moment (not when observed)."""

    conn: Conn | None
    error: BaseException | None
    gen: int
    closed: bool


@dataclass(frozen=True)
class Script:
    latency: int = 0
    fail: bool = False
    hang: bool = False
    stubborn: bool = False


class PoolMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.pool: ConnectionPool[Conn] | None = None
        self.max_size: int | None = None
        self.tiny_expiry = False
        self.validating = False
        self.validate_ticks: int | None = None  # None: validate_cb is synchronous
        self.close_fails = False
        self.settled = True
        self.removed: set[int] = set()
        self.gen = 0
        self.conns: list[Conn] = []
        self.held: list[Conn] = []
        self.banned: set[int] = set()
        self.handed: set[int] = set()
        self.pending: dict[asyncio.Task[Outcome], bool] = {}  # task -> short timeout?
        self.scripts: collections.deque[Script] = collections.deque()
        self.in_flight = 0
        self.closed = False

    # ------------------------------------------------------------ callbacks
    async def connect(self, timeout: float) -> Conn:
        script = self.scripts.popleft() if self.scripts else Script()
        self.in_flight += 1
        if self.max_size is not None:
            assert self.in_flight + len(self.held) <= self.max_size, "max_size exceeded by a connect"
        try:
            if script.hang:
                await asyncio.Event().wait()
            for _ in range(script.latency):
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            if not script.stubborn:
                raise
        finally:
            self.in_flight -= 1
        if script.fail:
            raise ConnectFailed("scripted failure")
        conn = Conn(len(self.conns), self.gen)
        self.conns.append(conn)
        return conn

    async def close(self, conn: Conn) -> None:
        await asyncio.sleep(0)
        conn.closed += 1
        if self.close_fails and conn.n % 2:
            raise CloseFailed("scripted close failure")

    def validate(self, conn: Conn) -> bool:
        return conn.alive

    async def validate_async(self, conn: Conn) -> bool:
        assert self.validate_ticks is not None
        for _ in range(self.validate_ticks):
            await asyncio.sleep(0)
        return conn.alive

    # ------------------------------------------------------------ driving the loop
    def run(self, fn, ticks: int = SETTLE_TICKS) -> None:
        async def step() -> None:
            fn()
            for _ in range(ticks):
                await asyncio.sleep(0)

        self.loop.run_until_complete(step())
        self.settled = ticks == SETTLE_TICKS
        self.observe()

    def check_just_closed(self, pool: ConnectionPool[Conn]) -> None:
        """Right after aclose(): nothing is closing any more, and every connection still
        open is one the pool knows as checked out (to be closed when returned)."""
        stats = pool.stats()
        assert stats.closing == 0, stats
        unclosed = [c for c in self.conns if c.closed == 0]
        assert len(unclosed) <= stats.open == stats.in_use, (unclosed, stats)

    async def get_and_note(self, pool: ConnectionPool[Conn], timeout: float) -> Outcome:
        # The ready queue may run this task before or after the operation of the next
        # step: what counts is the state when get() returned, noted right here.
        try:
            conn = await pool.get(timeout=timeout)
        except (PoolClosedError, TimeoutError, ConnectFailed) as exc:
            return Outcome(None, exc, self.gen, self.closed)
        return Outcome(conn, None, self.gen, self.closed)

    def observe(self) -> None:
        for task, short in list(self.pending.items()):
            if not task.done():
                continue
            del self.pending[task]
            if task.cancelled():
                continue
            outcome = task.result()  # raises what get_and_note does not expect
            exc = outcome.error
            if exc is not None:
                if isinstance(exc, PoolClosedError):
                    assert outcome.closed, "PoolClosedError from an open pool"
                elif isinstance(exc, TimeoutError):
                    assert short, "a get with a 60 s timeout timed out"
                continue
            conn = outcome.conn
            assert conn is not None
            assert not outcome.closed, f"get() handed out {conn} after aclose()"
            assert conn not in self.held, f"{conn} handed to two holders"
            assert conn.n not in self.banned, f"{conn} handed out after removal, invalidation or death"
            assert conn.closed == 0, f"{conn} handed out after it was closed"
            assert conn.gen == outcome.gen, f"{conn} from before the last invalidate() handed out"
            if self.tiny_expiry:
                assert conn.n not in self.handed, f"expired {conn} reused"
            self.handed.add(conn.n)
            self.held.append(conn)

    # ------------------------------------------------------------ rules
    @initialize(
        max_size=st.sampled_from([None, 1, 2, 3]),
        tiny_expiry=st.booleans(),
        validation=st.sampled_from(["none", "sync", "async"]),
        validate_ticks=st.integers(0, 3),
        close_fails=st.booleans(),
        refresh=st.booleans(),
    )
    def setup(
        self,
        max_size: int | None,
        tiny_expiry: bool,
        validation: str,
        validate_ticks: int,
        close_fails: bool,
        refresh: bool,
    ) -> None:
        self.max_size = max_size
        self.tiny_expiry = tiny_expiry
        self.validating = validation != "none"
        self.close_fails = close_fails
        validate_cb = None
        if validation == "sync":
            validate_cb = self.validate
        elif validation == "async":
            self.validate_ticks = validate_ticks
            validate_cb = self.validate_async  # type: ignore[assignment]
        self.pool = ConnectionPool(
            connect_cb=self.connect,
            close_cb=self.close,
            validate_cb=validate_cb,
            max_size=max_size,
            max_session_duration=1e-9 if tiny_expiry else None,
            mark_refreshed_on_get=refresh,
            connect_timeout=60,
        )

    @rule(
        latency=st.integers(0, 3),
        fail=st.booleans(),
        hang=st.sampled_from([False, False, False, True]),
        stubborn=st.booleans(),
        short=st.sampled_from([False, False, False, True]),
        ticks=TICKS,
    )
    def get(self, latency: int, fail: bool, hang: bool, stubborn: bool, short: bool, ticks: int) -> None:
        assert self.pool is not None
        pool = self.pool
        self.scripts.append(Script(latency, fail, hang, stubborn))

        def start() -> None:
            task = asyncio.ensure_future(self.get_and_note(pool, SHORT if short else 60))
            self.pending[task] = short

        self.run(start, ticks)

    @rule(index=st.integers(0, 9), ticks=TICKS)
    def put(self, index: int, ticks: int) -> None:
        if not self.held:
            return
        conn = self.held.pop(index % len(self.held))
        if self.closed:
            self.banned.add(conn.n)
        self.run(lambda: self.pool.put(conn), ticks)  # type: ignore[union-attr]

    @rule(index=st.integers(0, 9), ticks=TICKS)
    def remove(self, index: int, ticks: int) -> None:
        if not self.held:
            return
        conn = self.held.pop(index % len(self.held))
        self.banned.add(conn.n)
        self.removed.add(conn.n)
        self.run(lambda: self.pool.remove(conn), ticks)  # type: ignore[union-attr]

    @rule(index=st.integers(0, 9))
    def kill(self, index: int) -> None:
        if not self.held:
            return
        conn = self.held[index % len(self.held)]
        conn.alive = False
        if self.validating:
            self.banned.add(conn.n)

    @rule(ticks=TICKS)
    def invalidate(self, ticks: int) -> None:
        assert self.pool is not None
        pool = self.pool

        def start() -> None:
            self.gen += 1
            pool.invalidate()

        self.run(start, ticks)

    @rule(ticks=TICKS)
    def prewarm(self, ticks: int) -> None:
        def start() -> None:
            assert self.pool is not None
            try:
                self.pool.prewarm()
            except PoolClosedError:
                assert self.closed

        self.run(start, ticks)

    @rule(index=st.integers(0, 9), ticks=TICKS)
    def cancel_pending_get(self, index: int, ticks: int) -> None:
        if not self.pending:
            return
        tasks = list(self.pending)
        self.run(tasks[index % len(tasks)].cancel, ticks)

    @rule(concurrent=st.booleans())
    def aclose(self, concurrent: bool) -> None:
        assert self.pool is not None
        pool = self.pool

        async def close_once() -> None:
            await pool.aclose()
            self.check_just_closed(pool)

        async def close() -> None:
            self.closed = True
            # The first call closes the pool in this very step (the flag above must not
            # run ahead of it); a second one, if any, runs while the first is waiting,
            # and must wait for the same connects and closes.
            second = asyncio.ensure_future(close_once()) if concurrent else None
            await close_once()
            if second is not None:
                await second
            # A connection on its way to a get() that has not resumed yet is closed when
            # that get() resumes and finds the pool closed: let it.
            for _ in range(SETTLE_TICKS):
                await asyncio.sleep(0)

        self.loop.run_until_complete(close())
        self.settled = True
        self.observe()

    # ------------------------------------------------------------ invariants
    @invariant()
    def within_bounds(self) -> None:
        if self.pool is None:
            return
        stats = self.pool.stats()
        assert stats.open == stats.idle + stats.in_use
        assert stats.connecting >= 0
        assert stats.in_use >= len(self.held)
        if self.max_size is not None:
            assert stats.open + stats.connecting <= self.max_size, stats
        for conn in self.conns:
            assert conn.closed <= 1, f"{conn} closed twice"

    @invariant()
    def retired_connections_are_closed_promptly(self) -> None:
        if self.pool is None or not self.settled:
            return
        for conn in self.conns:
            if conn in self.held:
                continue
            if conn.n in self.removed or conn.gen != self.gen or self.tiny_expiry or self.closed:
                assert conn.closed == 1, f"{conn} not closed after it left the pool"

    def teardown(self) -> None:
        try:
            if self.pool is not None:
                pool = self.pool

                async def finish() -> None:
                    self.closed = True
                    await pool.aclose()
                    self.check_just_closed(pool)
                    for conn in self.held:
                        pool.put(conn)
                    self.held.clear()
                    if self.pending:
                        _, not_done = await asyncio.wait(set(self.pending), timeout=5)
                        assert not not_done, "get() calls still pending after aclose()"
                    await pool.aclose()

                self.loop.run_until_complete(finish())
                self.observe()
                for conn in self.held:  # handed out before aclose(), observed just now
                    pool.put(conn)
                self.held.clear()
                self.loop.run_until_complete(pool.aclose())
                for task in self.pending:
                    assert task.done()
                stats = pool.stats()
                assert (stats.open, stats.connecting, stats.closing) == (0, 0, 0), stats
                leaked = [c for c in self.conns if c.closed != 1]
                assert not leaked, f"not closed exactly once after aclose(): {leaked}"
                assert stats.created == len(self.conns) == stats.closed
        finally:
            for task in self.pending:  # after a failure: keep asyncio's logs quiet
                if task.done() and not task.cancelled():
                    task.exception()
            self.loop.close()


PoolMachine.TestCase.settings = settings(
    max_examples=1000,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPoolStateMachine = PoolMachine.TestCase
