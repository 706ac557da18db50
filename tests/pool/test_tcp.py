"""The tcp:// and tls:// connector against real asyncio servers on 127.0.0.1."""

from __future__ import annotations

import ssl

import pytest

from agentutils_pool import (
    ConnectError,
    ConnectionPool,
    StreamConnection,
    TcpConnector,
    default_ssl_context,
    resolve_connector,
)


async def echo(conn: StreamConnection, data: bytes = b"ping\n") -> bytes:
    conn.writer.write(data)
    await conn.writer.drain()
    return await conn.reader.readexactly(len(data))


async def test_from_url_tcp_echo_and_reuse(echo_server):
    async with ConnectionPool.from_url(echo_server.url) as pool:
        conn = await pool.get(timeout=5)
        assert isinstance(conn, StreamConnection)
        assert await echo(conn) == b"ping\n"
        pool.put(conn)
        again = await pool.get(timeout=5)
        assert again is conn
        assert await echo(again, b"pong\n") == b"pong\n"
        pool.put(again)
        assert echo_server.accepted == 1
    assert conn.writer.is_closing()


async def test_resolves_the_builtin_tcp_connector():
    assert isinstance(resolve_connector("tcp://127.0.0.1:1"), TcpConnector)
    assert isinstance(resolve_connector("TLS://example.com:443"), TcpConnector)


async def test_server_closing_idle_connections_is_caught_by_validation(echo_server, until):
    echo_server.idle_timeout = 0.05
    connector = TcpConnector()
    async with ConnectionPool.from_url(echo_server.url) as pool:
        conn = await pool.get(timeout=5)
        assert await echo(conn) == b"ping\n"
        pool.put(conn)
        await echo_server.idle_closed.wait()
        await until(lambda: not connector.is_alive(conn))
        fresh = await pool.get(timeout=5)
        assert fresh is not conn
        assert await echo(fresh) == b"ping\n"
        assert echo_server.accepted == 2
        pool.put(fresh)


async def test_refused_connection_raises_connect_error(refused_port):
    pool = ConnectionPool.from_url(f"tcp://127.0.0.1:{refused_port}")
    with pytest.raises(
        ConnectError, match=rf"cannot connect to tcp://127.0.0.1:{refused_port}: ConnectionRefusedError"
    ):
        await pool.get(timeout=5)
    assert pool.stats().connecting == 0
    await pool.aclose()


async def test_server_that_never_answers_times_out(silent_server):
    # TCP connects at once (the kernel accepts), but the TLS handshake never completes.
    pool = ConnectionPool.from_url(f"tls://127.0.0.1:{silent_server.port}")
    with pytest.raises(TimeoutError, match=r"timed out after 0.1"):
        await pool.get(timeout=0.1)
    assert pool.stats().open == 0
    await pool.aclose()


async def test_server_restarted_mid_test(echo_server, until):
    connector = TcpConnector()
    async with ConnectionPool.from_url(echo_server.url) as pool:
        idle = await pool.get(timeout=5)
        held = await pool.get(timeout=5)
        pool.put(idle)
        await echo_server.restart()
        await until(lambda: not connector.is_alive(idle) and not connector.is_alive(held))
        # The holder of a dropped connection sees it fail and discards it.
        with pytest.raises((ConnectionError, OSError, EOFError)):  # noqa: PT012
            async with pool.connection(timeout=5) as conn:
                assert conn is not idle  # the dead idle one was not handed out
                pool.remove(held)
                await echo(held)
        assert pool.stats().open == 0
        async with pool.connection(timeout=5) as conn:
            assert await echo(conn) == b"ping\n"


# ---------------------------------------------------------------- TLS
def test_default_tls_context_verifies():
    ctx = default_ssl_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED
    assert ctx.check_hostname is True


async def test_tls_rejects_a_self_signed_server_by_default(tls_server):
    pool = ConnectionPool.from_url(tls_server.url)
    with pytest.raises(ConnectError, match=r"(?i)certificate verify failed"):
        await pool.get(timeout=5)
    await pool.aclose()


async def test_tls_with_a_trusting_context(tls_server, self_signed):
    pool = ConnectionPool.from_url(tls_server.url, connect_options={"ssl": self_signed.client_context()})
    async with pool, pool.connection(timeout=5) as conn:
        assert await echo(conn) == b"ping\n"
        assert conn.writer.get_extra_info("ssl_object") is not None


async def test_tls_checks_the_host_name(tls_server, self_signed):
    pool = ConnectionPool.from_url(
        tls_server.url,
        connect_options={"ssl": self_signed.client_context(), "server_hostname": "not-this-host.example"},
    )
    with pytest.raises(ConnectError, match=r"(?i)certificate verify failed.*(hostname|match)"):
        await pool.get(timeout=5)
    await pool.aclose()


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("url", "options", "exc", "match"),
    [
        (
            "tcp://127.0.0.1",
            {},
            ValueError,
            r"expected a port in the tcp:// URL \(tcp://host:port\), got 'tcp://127.0.0.1'",
        ),
        ("tcp://:80", {}, ValueError, r"expected a host in the tcp:// URL, got 'tcp://:80'"),
        ("tcp://h:99999", {}, ValueError, r"invalid URL 'tcp://h:99999'"),
        (
            "tcp://h:1",
            {"ssl": ssl.create_default_context()},
            ValueError,
            r"the ssl option needs a tls:// URL, got 'tcp://h:1'",
        ),
        ("tcp://h:1", {"server_hostname": "h"}, ValueError, r"server_hostname option needs a tls:// URL"),
        ("tls://h:1", {"ssl": True}, TypeError, r"ssl must be an ssl.SSLContext or None, got bool"),
        (
            "tls://h:1",
            {"verify": False},
            TypeError,
            r"unknown option\(s\) for the tls:// connector: verify; "
            r"expected some of: limit, server_hostname, ssl",
        ),
    ],
)
def test_bad_urls_and_options_are_rejected_by_from_url(url, options, exc, match):
    with pytest.raises(exc, match=match):
        ConnectionPool.from_url(url, connect_options=options)


async def test_connect_rejects_a_foreign_scheme():
    with pytest.raises(ValueError, match=r"expected a tcp:// or tls:// URL, got 'ws://h:1'"):
        await TcpConnector().connect("ws://h:1", 1.0)
