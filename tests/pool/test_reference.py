"""The reference livekit.agents.utils.ConnectionPool as an oracle: same API, same reuse decisions."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from agentutils_pool import ConnectionPool

utils = pytest.importorskip("livekit.agents.utils")
RefPool = utils.ConnectionPool


def test_constructor_keeps_every_reference_parameter():
    ours = inspect.signature(ConnectionPool.__init__).parameters
    theirs = inspect.signature(RefPool.__init__).parameters
    for name, param in theirs.items():
        assert name in ours, f"missing constructor parameter {name}"
        assert ours[name].kind == param.kind
        assert ours[name].default == param.default, name


@pytest.mark.parametrize("method", ["get", "put", "remove", "invalidate", "prewarm", "aclose", "connection"])
def test_methods_keep_the_reference_signature(method):
    ours = inspect.signature(getattr(ConnectionPool, method)).parameters
    theirs = inspect.signature(getattr(RefPool, method)).parameters
    assert list(ours) == list(theirs)
    assert [p.kind for p in ours.values()] == [p.kind for p in theirs.values()]


async def scenario(pool_cls) -> list[object]:
    """One connection at a time: the reuse decisions must match the reference's."""
    made = []
    closed = []

    async def connect(timeout: float) -> object:
        made.append(object())
        return made[-1]

    async def close(conn: object) -> None:
        closed.append(made.index(conn))

    pool = pool_cls(connect_cb=connect, close_cb=close)
    trace: list[object] = []
    a = await pool.get(timeout=1)
    trace.append(("reused", pool.last_connection_reused))
    pool.put(a)
    b = await pool.get(timeout=1)
    trace.append(("same", b is a, pool.last_connection_reused))
    pool.remove(b)
    c = await pool.get(timeout=1)
    trace.append(("new", c is not a))
    async with pool.connection(timeout=1) as d:
        trace.append(("ctx", d is not c))
    pool.put(c)
    pool.invalidate()
    e = await pool.get(timeout=1)
    trace.append(("after invalidate", e not in (a, c, d)))
    pool.put(e)
    await pool.aclose()
    await asyncio.sleep(0)
    trace.append(("created", len(made)))
    trace.append(("closed", sorted(closed)))
    return trace


async def test_same_decisions_as_the_reference():
    assert await scenario(ConnectionPool) == await scenario(RefPool)
