"""Credentials never reach logs or error messages: the helpers, then every failure path."""

from __future__ import annotations

import logging
import re
import traceback

import pytest

from agentutils_pool import (
    ConnectError,
    ConnectionPool,
    header_secrets,
    is_sensitive_header,
    redact_headers,
    redact_text,
    redact_url,
    url_secrets,
)

PASSWORD = "hunter2-PASSWORD-5f3a"
TOKEN = "tok-SECRET-9c1e77"
API_KEY = "sk-APIKEY-42d0b1"
SECRETS = (PASSWORD, TOKEN, API_KEY)


# ---------------------------------------------------------------- helpers
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "wss://user:pw@api.example.com/v1?model=nova&token=abc#frag",
            "wss://***@api.example.com/v1?model=***&token=***#***",
        ),
        ("tcp://127.0.0.1:9000", "tcp://127.0.0.1:9000"),
        ("ws://key@host/x", "ws://***@host/x"),
        ("ws://host/x?flag", "ws://host/x?***"),
        ("ws://host/x?sk-bare-key&a=1", "ws://host/x?***&a=***"),
        ("tcp://h:99999", "tcp://h:99999"),
        ("ws://[::1/x", "<unparseable URL>"),
        # no "//": urlsplit sees no userinfo, but the part before "@" is still one
        ("user:pw@api.example.com/x?token=t", "***@api.example.com/x?token=***"),
        ("key@host", "***@host"),
        ("host/x?next=a@b", "host/x?next=***"),
    ],
)
def test_redact_url(url, expected):
    assert redact_url(url) == expected


def test_url_secrets_include_decoded_forms():
    secrets = url_secrets("wss://me:p%40ss@h/x?token=a%2Bb&q=hello+world")
    assert {"me", "p%40ss", "p@ss", "a%2Bb", "a+b", "hello+world", "hello world"} <= set(secrets)
    assert "sk-bare-key" in url_secrets("ws://h/x?sk-bare-key")


def test_redact_headers_and_header_secrets():
    headers = {"Authorization": "Bearer abcdefgh12345", "X-Api-Key": "k", "User-Agent": "ua", "Cookie": "c=1"}
    assert redact_headers(headers) == {
        "Authorization": "***",
        "X-Api-Key": "***",
        "User-Agent": "ua",
        "Cookie": "***",
    }
    assert header_secrets(headers) == ["Bearer abcdefgh12345", "abcdefgh12345", "k", "c=1"]
    assert header_secrets([("x-auth-token", "t0ken-value")]) == ["t0ken-value", "t0ken-value"]
    assert header_secrets(None) == []
    assert is_sensitive_header("Proxy-Authorization")
    assert not is_sensitive_header("Content-Type")


def test_redact_text():
    text = (
        f"failed: 401, url=URL('wss://h/v1?token={TOKEN}') Authorization: Bearer {API_KEY} pw={PASSWORD} ok=1"
    )
    cleaned = redact_text(text, [PASSWORD, "1"])
    for secret in SECRETS:
        assert secret not in cleaned
    assert "wss://h/v1?token=***" in cleaned
    assert "Bearer ***" in cleaned
    assert "ok=1" in cleaned  # secrets shorter than 4 characters are not replaced


# ---------------------------------------------------------------- failure paths
def assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"secret leaked: {text!r}"


def formatted(exc: BaseException) -> str:
    """The traceback as printed, plus every exception chained to ``exc`` by any route.

    ``raise ... from None`` only hides ``__context__`` from the printed traceback: the
    exception is still reachable (error reporters, debuggers), so it is checked too.
    """
    texts = ["".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        texts += [str(item), repr(item), repr(item.args), repr(vars(item))]
        todo += [item.__cause__, item.__context__]
    return "\n".join(texts)


def secret_url(scheme: str, port: int, path: str = "") -> str:
    return f"{scheme}://user:{PASSWORD}@127.0.0.1:{port}{path}?token={TOKEN}&api_key={API_KEY}"


async def get_error(pool: ConnectionPool, timeout: float = 5) -> BaseException:
    with pytest.raises(Exception) as info:
        await pool.get(timeout=timeout)
    await pool.aclose()
    return info.value


async def test_refused_tcp(refused_port, caplog):
    caplog.set_level(logging.DEBUG)
    pool = ConnectionPool.from_url(secret_url("tcp", refused_port))
    exc = await get_error(pool)
    assert isinstance(exc, ConnectError)
    assert_clean(str(exc), formatted(exc), caplog.text, repr(pool))
    assert f"tcp://***@127.0.0.1:{refused_port}?token=***&api_key=***" in str(exc)


def test_url_without_scheme(caplog):
    shown = re.escape("got '***@127.0.0.1:9/x?token=***'")
    with pytest.raises(ValueError, match=rf"expected a URL with a scheme, .* {shown}") as info:
        ConnectionPool.from_url(f"user:{PASSWORD}@127.0.0.1:9/x?token={TOKEN}")
    assert_clean(str(info.value), formatted(info.value))
    assert {"user", PASSWORD} <= set(url_secrets(f"user:{PASSWORD}@127.0.0.1:9/x"))


def test_malformed_url(caplog):
    with pytest.raises(ValueError, match="expected a port") as info:
        ConnectionPool.from_url(f"tcp://user:{PASSWORD}@127.0.0.1?token={TOKEN}")
    assert_clean(str(info.value), formatted(info.value))


async def test_tls_verification_failure(tls_server, caplog):
    caplog.set_level(logging.DEBUG)
    exc = await get_error(ConnectionPool.from_url(secret_url("tls", tls_server.port)))
    assert isinstance(exc, ConnectError)
    assert_clean(str(exc), formatted(exc), caplog.text)


async def test_timeout(silent_server, caplog):
    caplog.set_level(logging.DEBUG)
    exc = await get_error(ConnectionPool.from_url(secret_url("tls", silent_server.port)), timeout=0.1)
    assert isinstance(exc, TimeoutError)
    assert_clean(str(exc), formatted(exc), caplog.text)
    assert "tls://***@127.0.0.1" in str(exc)


async def test_prewarm_failure_log(refused_port, caplog, until):
    caplog.set_level(logging.DEBUG)
    pool = ConnectionPool.from_url(secret_url("tcp", refused_port))
    pool.prewarm()
    await until(lambda: "failed to prewarm" in caplog.text)
    await pool.aclose()
    assert "failed to prewarm connection pool to tcp://***@127.0.0.1" in caplog.text
    assert_clean(caplog.text)


class LeakyConnector:
    """A third-party connector whose errors quote the URL and headers verbatim."""

    name = "leaky"
    priority = 0
    schemes = ("leaky",)

    def __init__(self) -> None:
        self.url = ""

    def is_available(self) -> bool:
        return True

    async def connect(self, url: str, timeout: float, **options) -> object:
        self.url = url
        return object()

    async def close(self, conn: object) -> None:
        raise RuntimeError(f"close failed for {self.url}")

    def is_alive(self, conn: object) -> bool:
        raise RuntimeError(f"ping failed with header Authorization: Bearer {API_KEY} on {self.url}")


async def test_close_and_validate_failures_of_a_third_party_connector(monkeypatch, caplog):
    import agentutils_pool.connector as connector_module

    leaky = LeakyConnector()
    monkeypatch.setattr(connector_module, "resolve_connector", lambda url, name=None: leaky)
    caplog.set_level(logging.DEBUG)
    url = f"leaky://user:{PASSWORD}@host/x?token={TOKEN}"
    pool = ConnectionPool.from_url(url, connect_options={"headers": {"X-Api-Key": API_KEY}})
    conn = await pool.get(timeout=1)
    pool.put(conn)
    await pool.get(timeout=1)  # is_alive raises: logged, connection replaced
    await pool.aclose()
    assert "validate_cb to leaky://***@host/x?token=*** raised" in caplog.text
    assert (
        "error closing a connection to leaky://***@host/x?token=***: RuntimeError: close failed"
        in caplog.text
    )
    assert_clean(caplog.text, repr(pool))


async def test_rejected_websocket_handshake(ws_server, caplog):
    caplog.set_level(logging.DEBUG)
    ws_server.token = "expected"
    pool = ConnectionPool.from_url(
        f"ws://127.0.0.1:{ws_server.port}/echo?token={TOKEN}",
        connect_options={"headers": {"Authorization": f"Bearer {API_KEY}", "X-Password": PASSWORD}},
    )
    exc = await get_error(pool)
    assert isinstance(exc, ConnectError)
    assert exc.status == 401
    assert exc.__cause__ is None
    assert exc.__context__ is None  # not merely hidden: aiohttp's error keeps the headers
    assert_clean(str(exc), formatted(exc), caplog.text)


async def test_refused_websocket(refused_port, caplog):
    pytest.importorskip("aiohttp")
    caplog.set_level(logging.DEBUG)
    exc = await get_error(ConnectionPool.from_url(secret_url("ws", refused_port, "/x")))
    assert isinstance(exc, ConnectError)
    assert_clean(str(exc), formatted(exc), caplog.text)


async def test_silent_websocket(silent_server, caplog):
    pytest.importorskip("aiohttp")
    caplog.set_level(logging.DEBUG)
    exc = await get_error(ConnectionPool.from_url(secret_url("ws", silent_server.port, "/x")), timeout=0.1)
    assert isinstance(exc, TimeoutError)
    assert_clean(str(exc), formatted(exc), caplog.text)
