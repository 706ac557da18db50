"""Issue 16's pool items: each test failed before its fix."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys

import pytest
from tests.conftest import require
from tests.pool.conftest import make_pool, ticks

from agentutils_pool import ConnectionPool


async def test_a_second_concurrent_aclose_waits_for_the_cancelled_connect_to_close(backend):
    # The connect ignores its cancellation and completes a few ticks later: neither
    # aclose() may return before the connection it produces is closed.
    backend.gate = asyncio.Event()
    backend.stubborn = True
    pool = make_pool(backend)
    getter = asyncio.create_task(pool.get(timeout=5))
    await ticks()
    first = asyncio.create_task(pool.aclose())
    second = asyncio.create_task(pool.aclose())
    await ticks(3)
    assert not second.done()  # the connect is still finishing
    backend.gate.set()
    await second
    assert [c.closed for c in backend.made] == [1]
    await first
    assert pool.stats().connecting == 0
    getter.cancel()
    await asyncio.gather(getter, return_exceptions=True)


class Unhashable:
    """A connection object that cannot be a dict key (it defines __eq__ without __hash__)."""

    def __init__(self) -> None:
        self.closed = 0

    def __eq__(self, other: object) -> bool:
        return self is other


async def test_an_unhashable_connection_is_closed_and_the_error_says_why():
    made: list[Unhashable] = []

    async def connect(timeout: float) -> Unhashable:
        made.append(Unhashable())
        return made[-1]

    async def close(conn: Unhashable) -> None:
        conn.closed += 1

    pool = ConnectionPool(connect_cb=connect, close_cb=close)
    with pytest.raises(
        TypeError, match=r"connections must be hashable; connect_cb returned an unhashable Unhashable"
    ):
        await pool.get(timeout=1)
    await pool.aclose()
    assert [c.closed for c in made] == [1]
    stats = pool.stats()
    assert (stats.open, stats.connecting, stats.created, stats.closed) == (0, 0, 1, 1)


async def test_a_finished_close_is_counted_once(backend):
    seen = []

    async def close(conn) -> None:
        await backend.close(conn)
        # Runs right after this close returns, before asyncio's done-callbacks of its task.
        asyncio.get_running_loop().call_soon(lambda: seen.append(pool.stats()))

    pool = make_pool(backend, close_cb=close)
    conn = await pool.get(timeout=1)
    pool.remove(conn)
    await backend.wait_closed(conn)
    await ticks()
    assert seen
    assert (seen[0].closing, seen[0].closed) == (0, 1)
    await pool.aclose()


async def test_prewarm_then_aclose_leaves_nothing_connecting(backend):
    pool = make_pool(backend)
    pool.prewarm()
    await pool.aclose()  # before the prewarm task ever ran
    assert pool.stats().connecting == 0
    await ticks()
    assert pool.stats().connecting == 0
    assert backend.connects_started == 0


async def test_a_prewarm_failure_carries_its_exception_type_not_its_text(backend, caplog):
    backend.fail = OSError("refused by wss://user:hunter2@example.com/?token=s3cret")
    pool = make_pool(backend)
    with caplog.at_level(logging.WARNING, logger="agentutils.pool"):
        pool.prewarm()
        await ticks()
    (record,) = [r for r in caplog.records if "prewarm" in r.getMessage()]
    assert record.exception_type == "OSError"  # as livekit-agents' own tests read it
    assert record.exc_info is None
    text = record.getMessage()
    assert "hunter2" not in text
    assert "s3cret" not in text
    await pool.aclose()


def test_building_a_ws_pool_imports_aiohttp_not_the_first_connect():
    require("aiohttp")
    code = (
        "import sys\n"
        "from agentutils_pool import ConnectionPool\n"
        "assert 'aiohttp' not in sys.modules, 'imported too early'\n"
        "ConnectionPool.from_url('ws://127.0.0.1:1/x')\n"
        "assert 'aiohttp' in sys.modules, 'aiohttp left to the first connect'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_pool_type_loads_no_plugin_machinery_nor_connectors():
    # Connectors, the plugin registry (pluggy) and the redaction helpers load when a URL
    # first asks for them; ConnectionPool itself needs asyncio and little else.
    code = (
        "import sys\n"
        "import agentutils_pool\n"
        "assert 'asyncio' not in sys.modules, 'import agentutils_pool imported asyncio'\n"
        "from agentutils_pool import ConnectionPool, PoolStats\n"
        "lazy = ['pluggy', 'agentutils_pool.connector', 'agentutils_pool.connectors',\n"
        "        'agentutils_pool.redaction']\n"
        "loaded = [m for m in lazy if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "ConnectionPool.from_url('tcp://127.0.0.1:1')\n"
        "assert 'agentutils_pool.connectors.tcp' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
