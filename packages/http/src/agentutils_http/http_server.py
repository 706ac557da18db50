"""``HttpServer``: a small aiohttp server (health checks, metrics, a few routes of a worker).

Lifecycle: ``HttpServer(host, port)`` -> add routes to ``app`` -> ``await start()`` ->
``await aclose()`` (idempotent; a closed server does not start again). ``port=0`` binds an
ephemeral port, read back from ``port`` once started. When ``host`` resolves to several
addresses (``localhost`` as ``127.0.0.1`` and ``::1``, or ``""`` for every interface),
every address is bound on the same port.

``start()`` and ``aclose()`` take turns (a lock held for the whole of each, over local
socket set-up only): an ``aclose()`` that comes while ``start()`` is under way makes that
``start()`` fail and clean up, and returns once it has; every ``aclose()`` returns only
once the server is closed, a concurrent one included.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import socket
from typing import TYPE_CHECKING

from aiohttp import web

from agentutils_core import check_count

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from types import TracebackType

    from typing_extensions import Self

    HealthCheck = Callable[[], bool | Awaitable[bool]]

__all__ = ["HttpServer", "add_health_route"]

logger = logging.getLogger("agentutils.http")


def add_health_route(
    app: web.Application, path: str = "/health", *, check: HealthCheck | None = None
) -> None:
    """Add a ``GET path`` (and ``HEAD``) route answering ``200 OK``, or ``503 unhealthy``.

    Args:
        app: the application to add the route to (not started yet).
        path: the route, starting with ``/``.
        check: called on every request (sync or async); a false result or an exception
            (logged) answers 503. Without it the route always answers 200.

    Raises:
        TypeError: ``app`` is not an ``aiohttp.web.Application``, ``path`` not a str, or
            ``check`` not callable.
        ValueError: ``path`` does not start with ``/``.
        RuntimeError: ``app`` is already running (its router is frozen).

    """
    if not isinstance(app, web.Application):
        raise TypeError(f"app must be an aiohttp.web.Application, got {type(app).__name__}")
    if not isinstance(path, str):
        raise TypeError(f"path must be a str starting with '/', got {type(path).__name__}")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/', got {path!r}")
    if check is not None and not callable(check):
        raise TypeError(f"check must be a callable returning a bool, or None, got {type(check).__name__}")
    if app.frozen:
        raise RuntimeError("add the health route before the server starts (its routes are frozen)")

    async def health(request: web.Request) -> web.Response:
        healthy = True
        if check is not None:
            try:
                result = check()
                healthy = bool(await result if inspect.isawaitable(result) else result)
            except Exception:
                logger.exception("health check %s failed", path)
                healthy = False
        if healthy:
            return web.Response(text="OK")
        return web.Response(status=503, text="unhealthy")

    app.router.add_get(path, health)


async def _bind(host: str, port: int) -> list[socket.socket]:
    """Bound (not listening) sockets for every address of ``host``, all on one port."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(
        host or None, port, family=socket.AF_UNSPEC, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    sockets: list[socket.socket] = []
    seen: set[tuple[int, object]] = set()
    try:
        for family, kind, proto, _, address in infos:
            if (family, address[0]) in seen:
                continue
            seen.add((family, address[0]))
            try:
                sock = socket.socket(family, kind, proto)
            except OSError:  # a family this machine cannot use (IPv6 disabled): skip it, as asyncio does
                continue
            sockets.append(sock)
            if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            # The first address picks the port when it is 0; the others take the same one.
            sock.bind((address[0], port, *address[2:]))
            port = sock.getsockname()[1]
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    if not sockets:
        raise OSError(f"no address of host {host!r} can be bound")
    return sockets


class HttpServer:
    """A small aiohttp server: add routes to :attr:`app`, then ``await start()``.

    Args:
        host: the interface to listen on (``"127.0.0.1"``, ``"localhost"``, ``""`` for all).
        port: the TCP port, or 0 for an ephemeral one (read back from :attr:`port`).

    Raises:
        TypeError: ``host`` is not a str, or ``port`` not an int (a ``bool`` included).
        ValueError: ``port`` is not within 0..65535.

    Also an async context manager: ``async with HttpServer("127.0.0.1", 0) as server``
    starts it and closes it.

    """

    def __init__(self, host: str, port: int) -> None:
        if not isinstance(host, str):
            raise TypeError(f"host must be a str, got {type(host).__name__}")
        check_count(port, "port")
        if port > 65535:
            raise ValueError(f"port must be an int within 0..65535, got {port!r}")
        self._host = host
        self._port = port
        self._app = web.Application()
        self._runner: web.AppRunner | None = None
        self._closed = False
        self._turn = asyncio.Lock()  # start() and aclose() one at a time
        self._turn_holder: asyncio.Task[object] | None = None  # the task inside start() or aclose()
        self._addresses: list[tuple[str, int]] = []

    @property
    def app(self) -> web.Application:
        """The aiohttp application: add routes to it before :meth:`start`."""
        return self._app

    @property
    def host(self) -> str:
        """The host given to the constructor."""
        return self._host

    @property
    def port(self) -> int:
        """The port: the one given, or the bound one once started with ``port=0``."""
        return self._port

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """The ``(address, port)`` pairs listened on (empty unless started)."""
        return list(self._addresses)

    @property
    def started(self) -> bool:
        """Whether the server is listening."""
        return bool(self._addresses)

    def add_health_route(self, path: str = "/health", *, check: HealthCheck | None = None) -> None:
        """Add a health route to :attr:`app` (see :func:`add_health_route`); before :meth:`start`."""
        add_health_route(self._app, path, check=check)

    async def start(self) -> None:
        """Start listening.

        Raises:
            RuntimeError: the server was already started, or is closed (before or while
                it was starting).
            OSError: the address cannot be bound (in use, not local).

        """
        if self._closed:
            raise RuntimeError("HttpServer is closed: create a new one")
        if self._runner is not None or self._turn.locked():
            raise RuntimeError("HttpServer is already started")
        async with self._turn:
            if self._closed:  # aclose() came while this start() waited for its turn
                raise RuntimeError("HttpServer was closed while it was starting")
            self._turn_holder = asyncio.current_task()
            try:
                await self._start()
            finally:
                self._turn_holder = None

    async def _start(self) -> None:
        runner = web.AppRunner(self._app)
        sockets: list[socket.socket] = []
        try:
            await runner.setup()
            sockets = await _bind(self._host, self._port)
            for sock in sockets:
                await web.SockSite(runner, sock).start()
            if self._closed:
                raise RuntimeError("HttpServer was closed while it was starting")
        except BaseException:
            await runner.cleanup()
            for sock in sockets:  # those no site took over
                sock.close()
            raise
        self._runner = runner
        self._addresses = [(sock.getsockname()[0], sock.getsockname()[1]) for sock in sockets]
        self._port = self._addresses[0][1]

    async def aclose(self) -> None:
        """Stop listening and release the application; calling it again does nothing.

        Returns once the server is closed: an ``aclose()`` during ``start()`` or during
        another ``aclose()`` waits for it. Called by one of the application's own
        ``on_startup``/``on_cleanup`` handlers, it returns at once, and the ``start()``
        (which then fails) or ``aclose()`` running that handler finishes the job.
        """
        self._closed = True
        if self._turn_holder is not None and self._turn_holder is asyncio.current_task():
            # Called by an on_startup/on_cleanup handler, inside start() or aclose(): that
            # call sees the flag and finishes the job; waiting for it would deadlock.
            return
        async with self._turn:
            self._turn_holder = asyncio.current_task()
            try:
                self._addresses = []
                if self._runner is not None:
                    # Forgotten only once cleaned up: a cancelled aclose() leaves the rest
                    # (aiohttp's cleanup can be resumed) to the next one.
                    await self._runner.cleanup()
                    self._runner = None
            finally:
                self._turn_holder = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "started" if self._runner is not None else "new"
        return f"HttpServer(host={self._host!r}, port={self._port}, {state})"
