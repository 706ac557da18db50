"""The ws:// and wss:// connector against a real aiohttp websocket server on 127.0.0.1."""

from __future__ import annotations

import ssl

import pytest

from agentutils_pool import ConnectError, ConnectionPool, WebSocketConnector, resolve_connector

aiohttp = pytest.importorskip("aiohttp")


async def echo(ws, text: str = "ping") -> str:
    await ws.send_str(text)
    return await ws.receive_str(timeout=5)


async def test_from_url_ws_echo_and_reuse(ws_server):
    async with ConnectionPool.from_url(ws_server.url) as pool:
        ws = await pool.get(timeout=5)
        assert isinstance(ws, aiohttp.ClientWebSocketResponse)
        assert await echo(ws) == "ping"
        pool.put(ws)
        assert await pool.get(timeout=5) is ws
        assert await echo(ws, "again") == "again"
        pool.put(ws)
    assert ws.closed
    assert ws_server.accepted == 1


async def test_resolves_the_builtin_websocket_connector():
    assert isinstance(resolve_connector("wss://example.com/x"), WebSocketConnector)


async def test_server_closing_idle_websockets_is_caught_by_validation(ws_server, until):
    ws_server.idle_timeout = 0.05
    connector = WebSocketConnector()
    async with ConnectionPool.from_url(ws_server.url) as pool:
        ws = await pool.get(timeout=5)
        assert await echo(ws) == "ping"
        pool.put(ws)
        await ws_server.idle_closed.wait()
        await until(lambda: not connector.is_alive(ws))
        fresh = await pool.get(timeout=5)
        assert fresh is not ws
        assert await echo(fresh) == "ping"
        pool.put(fresh)
    assert ws_server.accepted == 2


async def test_refused_websocket_raises_connect_error(refused_port):
    pool = ConnectionPool.from_url(f"ws://127.0.0.1:{refused_port}/echo")
    with pytest.raises(ConnectError, match=rf"cannot connect to ws://127.0.0.1:{refused_port}/echo: "):
        await pool.get(timeout=5)
    await pool.aclose()


async def test_server_that_never_answers_the_handshake_times_out(silent_server):
    pool = ConnectionPool.from_url(f"ws://127.0.0.1:{silent_server.port}/echo")
    with pytest.raises(TimeoutError, match=r"timed out after 0.1"):
        await pool.get(timeout=0.1)
    assert pool.stats().open == 0
    await pool.aclose()


async def test_server_restarted_mid_test(ws_server, until):
    connector = WebSocketConnector()
    async with ConnectionPool.from_url(ws_server.url) as pool:
        ws = await pool.get(timeout=5)
        pool.put(ws)
        await ws_server.restart()
        await until(lambda: not connector.is_alive(ws))
        async with pool.connection(timeout=5) as fresh:
            assert fresh is not ws
            assert await echo(fresh) == "ping"


async def test_rejected_handshake_reports_the_status(ws_server):
    ws_server.token = "right"
    pool = ConnectionPool.from_url(ws_server.url + "?token=wrong")
    with pytest.raises(ConnectError, match=r"websocket handshake with .* was rejected: HTTP 401") as info:
        await pool.get(timeout=5)
    assert info.value.status == 401
    await pool.aclose()
    async with ConnectionPool.from_url(ws_server.url + "?token=right") as ok, ok.connection(timeout=5) as ws:
        assert await echo(ws) == "ping"


async def test_wss_rejects_a_self_signed_server_by_default(wss_server):
    pool = ConnectionPool.from_url(wss_server.url)
    with pytest.raises(ConnectError, match=r"(?i)certificate verify failed"):
        await pool.get(timeout=5)
    await pool.aclose()


async def test_wss_with_a_trusting_context(wss_server, self_signed):
    pool = ConnectionPool.from_url(wss_server.url, connect_options={"ssl": self_signed.client_context()})
    async with pool, pool.connection(timeout=5) as ws:
        assert await echo(ws) == "ping"
        assert ws.get_extra_info("ssl_object") is not None


async def test_a_session_passed_in_is_used_and_left_open(ws_server):
    async with aiohttp.ClientSession() as session:
        pool = ConnectionPool.from_url(ws_server.url, connect_options={"session": session})
        async with pool, pool.connection(timeout=5) as ws:
            assert await echo(ws) == "ping"
        assert ws.closed
        assert not session.closed


@pytest.mark.parametrize(
    ("url", "options", "exc", "match"),
    [
        (
            "ws://h/x",
            {"ssl": ssl.create_default_context()},
            ValueError,
            r"the ssl option needs a wss:// URL, got 'ws://h/x'",
        ),
        ("ws:///x", {}, ValueError, r"expected a host in the ws:// URL, got 'ws:///x'"),
        ("ws://h:99999/x", {}, ValueError, r"invalid URL 'ws://h:99999/x'"),
        (
            "ws://h/x",
            {"session": "s"},
            TypeError,
            r"session must be an aiohttp.ClientSession or None, got str",
        ),
        (
            "ws://me:pw@h/x",
            {"headers": {"authorization": "Bearer t"}},
            ValueError,
            r"expected credentials either in the URL or in an Authorization header, got both \('ws://\*\*\*@h/x'",
        ),
    ],
)
def test_bad_urls_and_options_are_rejected_by_from_url(url, options, exc, match):
    with pytest.raises(exc, match=match):
        ConnectionPool.from_url(url, connect_options=options)
