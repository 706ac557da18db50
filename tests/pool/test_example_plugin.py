"""A third-party connector (the example plugin's memory://) used through ConnectionPool.from_url."""

from __future__ import annotations

import pytest

from agentutils_pool import ConnectionPool, resolve_connector, scheme_index

pytest.importorskip("agentutils_example_plugin")


def test_the_example_plugin_serves_memory_urls():
    connector = resolve_connector("memory://demo")
    assert connector.name == "memory"
    (entry,) = scheme_index()["memory"]
    assert entry.plugin.distribution == "agentutils-example-plugin"


async def test_from_url_with_a_third_party_connector():
    connector = resolve_connector("memory://demo")
    opened, closed = connector.opened, connector.closed
    async with ConnectionPool.from_url("memory://demo", max_size=2) as pool:
        async with pool.connection(timeout=1) as conn:
            await conn.send(b"hello")
            assert await conn.recv() == b"hello"
            assert conn.name == "demo"
        async with pool.connection(timeout=1) as again:
            assert again is conn
        conn.close()  # dead: validation (the connector's is_alive) replaces it
        async with pool.connection(timeout=1) as fresh:
            assert fresh is not conn
    assert connector.opened - opened == 2
    assert connector.closed - closed == 2


@pytest.mark.parametrize(
    ("url", "options", "exc", "match"),
    [
        ("memory://", {}, ValueError, r"expected a memory://<name> URL, got 'memory://'"),
        ("memory://x", {"speed": 1}, TypeError, r"the memory:// connector takes no options, got speed"),
    ],
)
def test_the_example_connector_rejects_bad_input(url, options, exc, match):
    with pytest.raises(exc, match=match):
        ConnectionPool.from_url(url, connect_options=options)


async def test_the_example_connector_never_quotes_credentials():
    secret = "s3cret-PASSWORD-77"
    connector = resolve_connector("memory://demo")
    with pytest.raises(ValueError, match=r"expected a memory://<name> URL, got 'memoryx://demo'") as info:
        connector.check_url(f"memoryx://user:{secret}@demo?token={secret}")
    assert secret not in str(info.value)
    with pytest.raises(ValueError, match=r"expected a memory://<name> URL, got 'memory://'") as info:
        ConnectionPool.from_url(f"memory://user:{secret}@?token={secret}")
    assert secret not in str(info.value)
    async with ConnectionPool.from_url(f"memory://user:{secret}@demo?token={secret}") as pool:
        conn = await pool.get(timeout=1)
        assert conn.name == "demo"
        conn.close()
        with pytest.raises(ConnectionError, match=r"^memory://demo connection is closed$"):
            await conn.send(b"x")
        pool.remove(conn)
