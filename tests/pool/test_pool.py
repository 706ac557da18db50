"""ConnectionPool behaviour, with in-memory connect/close callbacks."""

from __future__ import annotations

import asyncio
import logging

import pytest
from tests.pool.conftest import make_pool, ticks

from agentutils_pool import ConnectionPool, PoolClosedError, PoolStats


# ---------------------------------------------------------------- arguments
# Durations, timeouts and counts are checked by agentutils_core.checks: one vocabulary
# (None or inf: no limit; 0: do not wait; negative, NaN: ValueError; bool, str: TypeError).
@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"max_session_duration": 0}, ValueError, r"max_session_duration must be > 0 seconds, got 0"),
        ({"max_session_duration": -1.5}, ValueError, r"max_session_duration must be > 0 seconds, got -1.5"),
        ({"max_session_duration": float("nan")}, ValueError, r"max_session_duration .* got nan"),
        (
            {"max_session_duration": "60"},
            TypeError,
            r"max_session_duration must be a number of seconds, got str: '60'",
        ),
        ({"max_session_duration": True}, TypeError, r"max_session_duration must be a number .* got bool"),
        ({"connect_timeout": -1}, ValueError, r"connect_timeout must be >= 0 seconds, got -1"),
        (
            {"connect_timeout": float("nan")},
            ValueError,
            r"connect_timeout must be a number of seconds, got nan",
        ),
        (
            {"connect_timeout": True},
            TypeError,
            r"connect_timeout must be a number of seconds or None, got bool",
        ),
        ({"max_size": 0}, ValueError, r"max_size must be an int >= 1, got 0"),
        ({"max_size": 2.0}, TypeError, r"max_size must be an int, got float: 2.0"),
        ({"max_size": True}, TypeError, r"max_size must be an int, got bool: True"),
        ({"connect_cb": "not callable"}, TypeError, r"connect_cb must be callable or None, got str"),
        ({"close_cb": 3}, TypeError, r"close_cb must be callable or None, got int"),
        ({"validate_cb": object()}, TypeError, r"validate_cb must be callable or None, got object"),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        ConnectionPool(**kwargs)


@pytest.mark.parametrize("value", [None, float("inf")])
def test_no_limit_values_are_accepted(value):
    pool = ConnectionPool(max_session_duration=value, connect_timeout=value)
    assert pool.stats().open == 0


@pytest.mark.parametrize(
    ("timeout", "exc", "match"),
    [
        (-2, ValueError, r"timeout must be >= 0 seconds, got -2"),
        (float("nan"), ValueError, r"timeout must be a number of seconds, got nan"),
        (True, TypeError, r"timeout must be a number of seconds or None, got bool: True"),
        ("5", TypeError, r"timeout must be a number of seconds or None, got str: '5'"),
    ],
)
async def test_get_rejects_bad_timeout(backend, timeout, exc, match):
    pool = make_pool(backend)
    with pytest.raises(exc, match=match):
        await pool.get(timeout=timeout)
    assert backend.connects_started == 0


async def test_timeout_zero_takes_only_an_idle_connection(backend):
    pool = make_pool(backend)
    with pytest.raises(TimeoutError, match=r"connect timed out after 0 s"):
        await pool.get(timeout=0)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    assert await pool.get(timeout=0) is conn
    await pool.aclose()


@pytest.mark.parametrize("timeout", [None, float("inf")])
async def test_no_timeout_waits_as_long_as_it_takes(backend, clock, timeout):
    backend.gate = asyncio.Event()
    pool = make_pool(backend, max_size=1)
    getter = asyncio.create_task(pool.get(timeout=timeout))
    await asyncio.sleep(3600)  # virtual time
    assert not getter.done()
    assert backend.timeouts_seen == [float("inf")]
    backend.gate.set()
    assert await getter is backend.made[0]
    await pool.aclose()


async def test_get_without_connect_cb_raises_not_implemented():
    pool: ConnectionPool[object] = ConnectionPool()
    with pytest.raises(NotImplementedError, match="needs a connect_cb"):
        await pool.get(timeout=1)
    with pytest.raises(NotImplementedError, match="needs a connect_cb"):
        pool.prewarm()


# ---------------------------------------------------------------- reuse
async def test_get_put_reuses_most_recently_returned_first(backend):
    pool = make_pool(backend)
    a = await pool.get(timeout=1)
    b = await pool.get(timeout=1)
    assert a is not b
    assert not pool.last_connection_reused
    pool.put(a)
    pool.put(b)
    assert await pool.get(timeout=1) is b
    assert pool.last_connection_reused
    assert pool.last_acquire_time == 0.0
    assert await pool.get(timeout=1) is a
    assert pool.stats() == PoolStats(
        open=2, in_use=2, idle=0, connecting=0, waiting=0, closing=0, created=2, reused=2, closed=0
    )
    await pool.aclose()


async def test_put_and_remove_of_unknown_or_idle_connection_are_ignored(backend):
    pool = make_pool(backend)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    pool.put(conn)  # already idle: no second copy
    pool.put(object())
    pool.remove(object())
    assert pool.stats().idle == 1
    assert await pool.get(timeout=1) is conn
    await pool.aclose()


async def test_connect_cb_gets_the_time_left(backend):
    pool = make_pool(backend)
    await pool.get(timeout=3)
    assert 0 < backend.timeouts_seen[0] <= 3


async def test_connect_error_propagates_and_releases_capacity(backend):
    backend.fail = OSError("boom")
    pool = make_pool(backend, max_size=1)
    with pytest.raises(OSError, match="boom"):
        await pool.get(timeout=1)
    assert pool.stats().connecting == 0
    backend.fail = None
    conn = await pool.get(timeout=1)
    assert conn is backend.made[0]
    await pool.aclose()


async def test_connection_returned_twice_by_connect_cb_is_an_error(backend):
    same = object()

    async def connect(timeout: float) -> object:
        return same

    pool = ConnectionPool(connect_cb=connect)
    await pool.get(timeout=1)
    with pytest.raises(RuntimeError, match="already holds"):
        await pool.get(timeout=1)


# ---------------------------------------------------------------- parallel connects
async def test_concurrent_gets_connect_in_parallel(backend):
    # Each connect waits until all ten are in flight: serialised connects would never
    # get there and the gets would time out.
    started = asyncio.Event()

    async def connect(timeout: float):
        backend.connects_started += 1
        if backend.connects_started == 10:
            started.set()
        await started.wait()
        return object()

    pool = ConnectionPool(connect_cb=connect)
    conns = await asyncio.gather(*(pool.get(timeout=5) for _ in range(10)))
    assert len(set(map(id, conns))) == 10
    assert pool.stats().created == 10


async def test_prewarm_in_flight_is_shared_by_the_first_get(backend):
    backend.gate = asyncio.Event()
    pool = make_pool(backend)
    pool.prewarm()
    pool.prewarm()  # already in flight: no second connect
    await ticks()
    first = asyncio.create_task(pool.get(timeout=5))
    second = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    assert backend.connects_started == 2  # the prewarm and the second get, not the first
    backend.gate.set()
    a, b = await asyncio.gather(first, second)
    assert {a, b} == set(backend.made)
    assert pool.stats().created == 2
    await pool.aclose()


async def test_prewarm_skips_when_connections_exist(backend):
    pool = make_pool(backend)
    conn = await pool.get(timeout=1)
    pool.prewarm()
    await ticks()
    assert backend.connects_started == 1
    pool.put(conn)
    await pool.aclose()


async def test_completed_prewarm_is_reused(backend):
    pool = make_pool(backend)
    pool.prewarm()
    await ticks()
    assert pool.stats().idle == 1
    assert await pool.get(timeout=1) is backend.made[0]
    assert pool.last_connection_reused


async def test_failed_prewarm_is_logged_and_its_claimant_connects_itself(backend, caplog):
    backend.gate = asyncio.Event()
    backend.fail_once = OSError("prewarm failed")  # the claimant's own connect succeeds
    pool = make_pool(backend)
    pool.prewarm()
    await ticks()
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    with caplog.at_level(logging.WARNING, logger="agentutils.pool"):
        backend.gate.set()
        conn = await getter
    assert conn is backend.made[0]
    assert backend.connects_started == 2
    assert "failed to prewarm connection pool: OSError: prewarm failed" in caplog.text


async def _prewarm_done_claimant_not_resumed(backend) -> tuple[ConnectionPool, asyncio.Task]:
    """A pool whose prewarm just handed its connection to a get() that has not resumed yet."""
    backend.gate = asyncio.Event()
    pool = make_pool(backend)
    pool.prewarm()
    await ticks()
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    backend.gate.set()
    backend.gate = None
    for _ in range(100):  # tick by tick, to stop right after the prewarm completes
        if pool.stats().open:
            break
        await asyncio.sleep(0)
    assert pool.stats().open == 1
    assert not getter.done()
    return pool, getter


async def test_invalidate_after_a_shared_prewarm_completes_gives_its_claimant_a_new_connection(backend):
    pool, getter = await _prewarm_done_claimant_not_resumed(backend)
    pool.invalidate()
    conn = await getter
    stale = backend.made[0]
    assert conn is not stale
    assert conn is backend.made[1]
    await backend.wait_closed(stale)
    assert pool.stats().open == 1
    pool.put(conn)
    await pool.aclose()


async def test_aclose_after_a_shared_prewarm_completes_fails_its_claimant(backend):
    pool, getter = await _prewarm_done_claimant_not_resumed(backend)
    await pool.aclose()
    with pytest.raises(PoolClosedError, match="is closed"):
        await getter
    await backend.wait_closed(backend.made[0])
    assert pool.stats().open == 0
    assert len(backend.made) == 1


async def test_get_that_gives_up_on_a_shared_prewarm_leaves_it_to_the_pool(backend, clock):
    backend.gate = asyncio.Event()
    pool = make_pool(backend)
    pool.prewarm()
    await ticks()
    with pytest.raises(TimeoutError, match=r"no connection available within 0.01 s"):
        await pool.get(timeout=0.01)
    backend.gate.set()
    await ticks()
    assert pool.stats().idle == 1
    assert await pool.get(timeout=1) is backend.made[0]


# ---------------------------------------------------------------- timeouts and cancellation
async def test_connect_timeout_is_enforced_and_the_connect_cancelled(backend, clock):
    backend.gate = asyncio.Event()
    pool = make_pool(backend)
    with pytest.raises(TimeoutError, match=r"connect timed out after 0.02 s"):
        await pool.get(timeout=0.02)
    await ticks()
    assert backend.connects_cancelled == 1
    assert pool.stats().connecting == 0


async def test_connection_completing_after_timeout_is_closed_not_leaked(backend, until, clock):
    backend.gate = asyncio.Event()
    backend.stubborn = True
    pool = make_pool(backend)
    with pytest.raises(TimeoutError):
        await pool.get(timeout=0.02)
    await until(lambda: backend.made)
    await backend.wait_closed(backend.made[0])
    stats = pool.stats()
    assert (stats.created, stats.closed, stats.open, stats.connecting) == (1, 1, 0, 0)


async def test_connection_completing_after_cancellation_is_closed_not_leaked(backend, until):
    backend.gate = asyncio.Event()
    backend.stubborn = True
    pool = make_pool(backend)
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    getter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await getter
    await until(lambda: backend.made)
    await backend.wait_closed(backend.made[0])
    assert backend.made[0].closed == 1
    assert pool.stats().open == 0


# ---------------------------------------------------------------- prompt closing
async def test_removed_connection_is_closed_in_the_background(backend):
    pool = make_pool(backend)
    conn = await pool.get(timeout=1)
    pool.remove(conn)
    await backend.wait_closed(conn)  # no further get() needed
    pool.put(conn)  # returning a removed connection is ignored
    assert pool.stats().idle == 0
    assert await pool.get(timeout=1) is not conn


async def test_idle_connection_expires_and_is_closed_promptly(backend, clock):
    pool = make_pool(backend, max_session_duration=0.02)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    await backend.wait_closed(conn)
    assert pool.stats().open == 0


async def test_idle_connections_expiring_at_different_times_are_all_closed(backend, clock):
    pool = make_pool(backend, max_session_duration=0.05)
    first = await pool.get(timeout=1)
    later = await pool.get(timeout=1)
    pool.put(later)  # arms the expiry timer for the later one...
    pool.put(first)  # ...moved earlier for this one, then re-armed for the later one
    assert pool.stats().idle == 2
    await backend.wait_closed(first)
    await backend.wait_closed(later)
    assert pool.stats().open == 0


# ---------------------------------------------------------------- virtual time
# Tests taking a ``clock`` run on the suite's virtual clock (tests/core/aio/conftest.py): the
# pool reads loop.time(), so timeouts and expiry need no real waiting.


async def test_expired_connection_is_not_reused(backend, clock):
    pool = make_pool(backend, max_session_duration=60)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    clock.now += 61
    other = await pool.get(timeout=1)
    assert other is not conn
    await backend.wait_closed(conn)


async def test_connection_returned_after_expiry_is_closed(backend, clock):
    pool = make_pool(backend, max_session_duration=60)
    conn = await pool.get(timeout=1)
    clock.now += 61
    pool.put(conn)
    await backend.wait_closed(conn)
    assert pool.stats().idle == 0


@pytest.mark.parametrize("refresh", [False, True])
async def test_mark_refreshed_on_get_restarts_the_session_clock(backend, clock, refresh):
    pool = make_pool(backend, max_session_duration=60, mark_refreshed_on_get=refresh)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    clock.now += 40
    assert await pool.get(timeout=1) is conn
    pool.put(conn)
    clock.now += 40  # 80 s since creation, 40 s since the last get()
    assert (await pool.get(timeout=1) is conn) is refresh


async def test_close_cb_error_is_logged_and_the_pool_keeps_working(backend, caplog):
    backend.close_error = RuntimeError("close exploded")
    pool = make_pool(backend)
    conn = await pool.get(timeout=1)
    with caplog.at_level(logging.WARNING, logger="agentutils.pool"):
        pool.remove(conn)
        await backend.wait_closed(conn)
        await ticks()
    assert "error closing a connection: RuntimeError: close exploded" in caplog.text
    assert pool.stats().closed == 1
    assert await pool.get(timeout=1) is backend.made[1]


async def test_remove_outside_the_event_loop_closes_at_the_next_call(backend):
    pool = make_pool(backend)
    conn = await pool.get(timeout=1)
    await asyncio.to_thread(pool.remove, conn)  # a thread without a running event loop
    assert pool.stats().closing == 1
    await pool.aclose()
    assert conn.closed == 1
    assert pool.stats().closing == 0


# ---------------------------------------------------------------- invalidate
async def test_invalidate_closes_idle_and_retires_checked_out(backend):
    pool = make_pool(backend)
    idle = await pool.get(timeout=1)
    held = await pool.get(timeout=1)
    pool.put(idle)
    pool.invalidate()
    await backend.wait_closed(idle)
    await ticks()
    assert held.closed == 0  # still usable by its holder
    assert pool.stats().in_use == 1
    fresh = await pool.get(timeout=1)
    assert fresh not in (idle, held)
    pool.put(held)
    await backend.wait_closed(held)
    pool.put(fresh)
    assert await pool.get(timeout=1) is fresh


async def test_invalidate_during_connect_discards_the_stale_connection(backend):
    backend.gate = asyncio.Event()
    pool = make_pool(backend)
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    pool.invalidate()
    backend.gate.set()
    conn = await getter
    assert backend.connects_started == 2
    assert conn is backend.made[1]
    await backend.wait_closed(backend.made[0])


# ---------------------------------------------------------------- max_size
async def test_max_size_makes_get_wait_first_come_first_served(backend):
    pool = make_pool(backend, max_size=2)
    a = await pool.get(timeout=1)
    b = await pool.get(timeout=1)
    third = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    fourth = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    assert pool.stats().waiting == 2
    assert backend.connects_started == 2
    pool.put(b)
    assert await third is b
    assert not fourth.done()
    pool.remove(a)  # frees capacity: the fourth caller connects
    c = await fourth
    assert c is backend.made[2]
    stats = pool.stats()
    assert stats.open + stats.connecting <= 2
    await pool.aclose()


async def test_max_size_wait_is_bounded_by_the_timeout(backend, clock):
    pool = make_pool(backend, max_size=1)
    await pool.get(timeout=1)
    with pytest.raises(TimeoutError, match=r"no connection available within 0.01 s"):
        await pool.get(timeout=0.01)
    assert pool.stats().waiting == 0


async def test_cancelled_waiter_does_not_swallow_a_returned_connection(backend):
    pool = make_pool(backend, max_size=1)
    conn = await pool.get(timeout=1)
    waiter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    pool.put(conn)  # handed to the waiter...
    waiter.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pool.stats().idle == 1
    assert await pool.get(timeout=1) is conn


async def test_new_get_does_not_jump_the_queue(backend, clock):
    pool = make_pool(backend, max_size=1)
    conn = await pool.get(timeout=1)
    queued = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    pool.put(conn)
    late = asyncio.create_task(pool.get(timeout=0.05))
    assert await queued is conn
    with pytest.raises(TimeoutError):
        await late


# ---------------------------------------------------------------- validation
async def test_dead_connection_is_discarded_and_replaced(backend):
    pool = make_pool(backend, validate_cb=backend.validate)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    conn.alive = False
    other = await pool.get(timeout=1)
    assert other is not conn
    assert not pool.last_connection_reused
    await backend.wait_closed(conn)


async def test_async_validate_cb(backend):
    async def validate(conn) -> bool:
        await asyncio.sleep(0)
        return conn.alive

    pool = make_pool(backend, validate_cb=validate, max_size=1)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    assert await pool.get(timeout=1) is conn
    pool.put(conn)
    conn.alive = False
    assert await pool.get(timeout=1) is backend.made[1]  # replaced within max_size=1


async def test_validate_cb_that_hangs_is_bounded_by_the_timeout(backend, clock):
    async def validate(conn) -> bool:
        await asyncio.Event().wait()  # a liveness probe that never answers
        return True

    pool = make_pool(backend, validate_cb=validate)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    getter = asyncio.create_task(pool.get(timeout=0.05))
    done, _ = await asyncio.wait({getter}, timeout=5)
    assert done, "get() outlived its timeout while validate_cb hung"
    with pytest.raises(TimeoutError, match=r"no connection available within 0.05 s"):
        getter.result()
    await backend.wait_closed(conn)  # its state is unknown: discarded, not reused
    assert pool.stats().open == 0
    assert pool.stats().connecting == 0


async def test_async_validation_with_no_time_left_keeps_the_connection(backend):
    async def validate(conn) -> bool:
        await asyncio.sleep(0)
        return True

    pool = make_pool(backend, validate_cb=validate)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    with pytest.raises(TimeoutError, match=r"no connection available within 1e-09 s"):
        await pool.get(timeout=1e-9)  # expired before the check could start
    assert pool.stats().idle == 1  # untouched: neither closed nor lost
    assert conn.closed == 0
    assert await pool.get(timeout=1) is conn


async def test_validate_cb_that_raises_discards_the_connection(backend, caplog):
    def validate(conn) -> bool:
        raise ValueError("cannot tell")

    pool = make_pool(backend, validate_cb=validate)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    with caplog.at_level(logging.WARNING, logger="agentutils.pool"):
        assert await pool.get(timeout=1) is not conn
    assert "validate_cb raised, discarding the connection: ValueError: cannot tell" in caplog.text


async def test_rejected_connection_given_to_a_waiter_is_replaced(backend):
    pool = make_pool(backend, validate_cb=backend.validate, max_size=1)
    conn = await pool.get(timeout=1)
    waiter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    conn.alive = False
    pool.put(conn)
    assert await waiter is backend.made[1]
    await backend.wait_closed(conn)


async def test_connection_removed_during_its_validation_does_not_overfill_the_pool(backend):
    gate = asyncio.Event()

    async def validate(conn) -> bool:
        await gate.wait()
        return True

    pool = make_pool(backend, validate_cb=validate, max_size=1)
    first = await pool.get(timeout=1)
    pool.put(first)
    validating = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    pool.remove(first)  # misuse (a stale reference), but it must not break the bound
    second = await pool.get(timeout=1)  # takes the capacity remove() freed
    gate.set()
    await ticks()
    assert not validating.done()  # waits for capacity instead of taking more
    stats = pool.stats()
    assert stats.open + stats.connecting <= 1
    pool.put(second)
    assert await validating is second


async def test_pool_closed_during_validation_closes_the_connection(backend):
    gate = asyncio.Event()

    async def validate(conn) -> bool:
        await gate.wait()
        return True

    pool = make_pool(backend, validate_cb=validate)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    validating = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    await pool.aclose()
    gate.set()
    with pytest.raises(PoolClosedError):
        await validating
    await backend.wait_closed(conn)
    assert pool.stats().open == 0


# ---------------------------------------------------------------- context manager
async def test_connection_context_returns_on_success(backend):
    pool = make_pool(backend)
    async with pool.connection(timeout=1) as conn:
        assert pool.stats().in_use == 1
    assert pool.stats().idle == 1
    assert conn.closed == 0


async def test_connection_context_removes_on_error(backend):
    pool = make_pool(backend)
    with pytest.raises(KeyError):
        async with pool.connection(timeout=1) as conn:
            raise KeyError("boom")
    await backend.wait_closed(conn)
    assert pool.stats().open == 0


# ---------------------------------------------------------------- aclose
async def test_aclose_cancels_prewarm_and_closes_idle(backend):
    pool = make_pool(backend)
    idle = await pool.get(timeout=1)
    pool.put(idle)
    backend.gate = asyncio.Event()
    pool.remove(idle)
    await backend.wait_closed(idle)
    pool.prewarm()
    await ticks()
    await pool.aclose()
    assert backend.connects_cancelled == 1
    assert pool.closed
    assert pool.stats().connecting == 0


async def test_aclose_waits_for_closes_in_flight(backend):
    backend.close_gate = asyncio.Event()
    pool = make_pool(backend)
    conn = await pool.get(timeout=1)
    pool.put(conn)
    closing = asyncio.create_task(pool.aclose())
    await ticks()
    assert not closing.done()
    backend.close_gate.set()
    await closing
    assert conn.closed == 1


async def test_aclose_closes_checked_out_connections_when_returned(backend):
    pool = make_pool(backend)
    held = await pool.get(timeout=1)
    await pool.aclose()
    assert held.closed == 0
    pool.put(held)
    await backend.wait_closed(held)
    await pool.aclose()  # again: waits for nothing, raises nothing


async def test_aclose_fails_pending_and_later_calls(backend):
    pool = make_pool(backend, max_size=1)
    held = await pool.get(timeout=1)
    queued = asyncio.create_task(pool.get(timeout=5))
    backend.gate = asyncio.Event()
    pool2 = make_pool(backend)
    connecting = asyncio.create_task(pool2.get(timeout=5))
    await ticks()
    await pool.aclose()
    await pool2.aclose()
    with pytest.raises(PoolClosedError, match="is closed"):
        await queued
    with pytest.raises(PoolClosedError, match="closed while connecting"):
        await connecting
    with pytest.raises(PoolClosedError, match="is closed"):
        await pool.get(timeout=1)
    with pytest.raises(PoolClosedError):
        pool.prewarm()
    pool.put(held)
    await backend.wait_closed(held)


async def test_aclose_closes_a_stubborn_connect_that_completes(backend):
    backend.gate = asyncio.Event()
    backend.stubborn = True
    pool = make_pool(backend)
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    await pool.aclose()
    with pytest.raises(PoolClosedError):
        await getter
    assert [c.closed for c in backend.made] == [1]


async def test_aclose_closes_a_connection_completed_but_not_yet_taken_before_returning(backend):
    # The connect has finished, its caller has not resumed yet: aclose() must not return
    # before that connection is closed (or it leaks when the loop stops right after).
    pool = make_pool(backend)
    getter = asyncio.create_task(pool.get(timeout=5))
    for _ in range(100):  # tick by tick, to stop right after the connect completes
        if backend.made:
            break
        await asyncio.sleep(0)
    assert not getter.done()
    await pool.aclose()
    assert [c.closed for c in backend.made] == [1]
    assert pool.stats().connecting == 0
    with pytest.raises(PoolClosedError, match="closed while connecting"):
        await getter
    assert pool.stats() == PoolStats(
        open=0, in_use=0, idle=0, connecting=0, waiting=0, closing=0, created=1, reused=0, closed=1
    )


async def test_aclose_closes_a_late_connection_of_a_get_cancelled_earlier_before_returning(backend):
    # The get() was cancelled; its connect ignored the cancellation and has just
    # completed: aclose() must close that connection before returning.
    backend.gate = asyncio.Event()
    backend.stubborn = True
    pool = make_pool(backend)
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    getter.cancel()
    for _ in range(100):  # tick by tick, to stop right after the connect completes
        if backend.made:
            break
        await asyncio.sleep(0)
    assert backend.made
    await pool.aclose()
    assert [c.closed for c in backend.made] == [1]
    assert pool.stats().connecting == 0
    await ticks()  # the completion callback still runs later: it must not count twice
    assert pool.stats() == PoolStats(
        open=0, in_use=0, idle=0, connecting=0, waiting=0, closing=0, created=1, reused=0, closed=1
    )
    assert getter.cancelled()


async def test_async_with_closes_the_pool(backend):
    async with make_pool(backend) as pool:
        conn = await pool.get(timeout=1)
        pool.put(conn)
    assert pool.closed
    assert conn.closed == 1


def test_repr_shows_state(backend):
    pool = make_pool(backend, max_size=3)
    assert repr(pool) == "<ConnectionPool open open=0 in_use=0 idle=0 connecting=0 max_size=3>"
