"""Fixtures of the pool tests: fake connections, real servers on 127.0.0.1, a self-signed cert."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

# The suite's virtual clock (a ``clock`` fixture): the pool reads loop.time(), so it drives
# the pool's timing tests too.
from tests.conftest import SelfSigned
from tests.core.aio.conftest import clock  # noqa: F401

from agentutils_pool import ConnectionPool


# ---------------------------------------------------------------- fake connections
class FakeConn:
    """A connection double: records how often it was closed."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.closed = 0
        self.alive = True

    def __repr__(self) -> str:
        return f"FakeConn({self.n})"


@dataclass
class FakeBackend:
    """connect_cb/close_cb/validate_cb doubles with controllable behaviour.

    Attributes:
        gate: when set, every connect waits for it.
        fail: exception raised by the next connects (while set).
        made: connections created, in order.
        closed_event: set each time a connection is closed.
    """

    gate: asyncio.Event | None = None
    fail: BaseException | None = None
    fail_once: BaseException | None = None
    stubborn: bool = False
    made: list[FakeConn] = field(default_factory=list)
    connects_started: int = 0
    connects_cancelled: int = 0
    timeouts_seen: list[float] = field(default_factory=list)
    close_error: Exception | None = None
    close_gate: asyncio.Event | None = None
    closed_event: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(self, timeout: float) -> FakeConn:
        self.connects_started += 1
        self.timeouts_seen.append(timeout)
        try:
            if self.gate is not None:
                await self.gate.wait()
            else:
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            self.connects_cancelled += 1
            if not self.stubborn:
                raise
            # A connect that completes although it was cancelled (a library swallowing
            # the cancellation): the pool must close what it returns.
        if self.fail is not None:
            raise self.fail
        if self.fail_once is not None:
            exc, self.fail_once = self.fail_once, None
            raise exc
        conn = FakeConn(len(self.made))
        self.made.append(conn)
        return conn

    async def close(self, conn: FakeConn) -> None:
        if self.close_gate is not None:
            await self.close_gate.wait()
        conn.closed += 1
        self.closed_event.set()
        if self.close_error is not None:
            raise self.close_error

    def validate(self, conn: FakeConn) -> bool:
        return conn.alive

    async def wait_closed(self, conn: FakeConn, timeout: float = 5.0) -> None:
        """Wait until ``conn`` has been closed (a generous bound, not a timing assertion)."""
        await _until(lambda: conn.closed > 0, timeout)


def make_pool(backend: FakeBackend, **kwargs: Any) -> ConnectionPool[Any]:
    """A pool over ``backend``'s connect and close, with the other arguments as given."""
    kwargs.setdefault("connect_cb", backend.connect)
    kwargs.setdefault("close_cb", backend.close)
    return ConnectionPool(**kwargs)


async def ticks(n: int = 10) -> None:
    """Let the event loop run ``n`` rounds of ready callbacks."""
    for _ in range(n):
        await asyncio.sleep(0)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


async def _until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.002)


@pytest.fixture
def until() -> Callable[..., Any]:
    """``await until(predicate)``: poll until true (bounded, for events seen by the OS)."""
    return _until


# ---------------------------------------------------------------- TCP echo server
class EchoServer:
    """An asyncio TCP (optionally TLS) echo server on 127.0.0.1 with fault modes.

    Attributes:
        idle_timeout: close a connection that stays silent this long (seconds).
        silent: accept connections but never read nor answer (a stuck server).
        accepted: connections accepted so far.
        idle_closed: set when the server closed a connection for being idle.
    """

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.idle_timeout: float | None = None
        self.silent = False
        self.accepted = 0
        self.port = 0
        self.idle_closed = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        scheme = "tls" if self.ssl_context is not None else "tcp"
        return f"{scheme}://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, ssl=self.ssl_context, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and drop every open connection."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.transport.abort()
            for task in list(self._handlers):
                task.cancel()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.accepted += 1
        self._writers.add(writer)
        try:
            if self.silent:
                await asyncio.Event().wait()
            while True:
                if self.idle_timeout is not None:
                    try:
                        data = await asyncio.wait_for(reader.read(4096), self.idle_timeout)
                    except (asyncio.TimeoutError, TimeoutError):
                        self.idle_closed.set()
                        return
                else:
                    data = await reader.read(4096)
                if not data:
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError, ssl.SSLError):
            pass
        finally:
            self._writers.discard(writer)
            self._handlers.discard(task)
            writer.transport.abort()


@pytest.fixture
async def echo_server() -> AsyncIterator[EchoServer]:
    server = EchoServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def silent_server() -> AsyncIterator[EchoServer]:
    """Accepts TCP connections and never says a word (no TLS handshake, no HTTP response)."""
    server = EchoServer()
    server.silent = True
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------- TLS material
@pytest.fixture
async def tls_server(self_signed: SelfSigned) -> AsyncIterator[EchoServer]:
    server = EchoServer(self_signed.server_context())
    await server.start()
    yield server
    await server.stop()


# ---------------------------------------------------------------- websocket echo server
class WsServer:
    """An aiohttp websocket echo server on 127.0.0.1 with fault modes.

    Attributes:
        token: when set, the handshake needs ``?token=<token>``, else HTTP 401.
        idle_timeout: close a websocket (and its TCP connection) silent this long.
        accepted: websockets accepted so far.
    """

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.token: str | None = None
        self.idle_timeout: float | None = None
        self.accepted = 0
        self.port = 0
        self.idle_closed = asyncio.Event()
        self._runner: Any = None
        self._sockets: set[Any] = set()

    @property
    def url(self) -> str:
        scheme = "wss" if self.ssl_context is not None else "ws"
        return f"{scheme}://127.0.0.1:{self.port}/echo"

    async def _handle(self, request: Any) -> Any:
        from aiohttp import WSMsgType, web

        if self.token is not None and request.query.get("token") != self.token:
            raise web.HTTPUnauthorized(text="bad token")
        ws = web.WebSocketResponse(timeout=0.05)
        await ws.prepare(request)
        self.accepted += 1
        self._sockets.add(ws)
        try:
            while True:
                try:
                    msg = await ws.receive(timeout=self.idle_timeout)
                except (asyncio.TimeoutError, TimeoutError):
                    self.idle_closed.set()
                    request.transport.close()  # drop it, as a load balancer does
                    break
                if msg.type == WSMsgType.TEXT:
                    await ws.send_str(msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await ws.send_bytes(msg.data)
                else:
                    break
        finally:
            self._sockets.discard(ws)
        return ws

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/echo", self._handle)
        # No access log: it is the server's, and would quote the test secrets in the URL.
        self._runner = web.AppRunner(app, shutdown_timeout=0.1, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner, "127.0.0.1", self.port, ssl_context=self.ssl_context, reuse_address=True
        )
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            for ws in list(self._sockets):
                await ws.close()
            await self._runner.cleanup()
            self._runner = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()


@pytest.fixture
async def ws_server() -> AsyncIterator[WsServer]:
    pytest.importorskip("aiohttp")
    server = WsServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def wss_server(self_signed: SelfSigned) -> AsyncIterator[WsServer]:
    pytest.importorskip("aiohttp")
    server = WsServer(self_signed.server_context())
    await server.start()
    yield server
    await server.stop()
