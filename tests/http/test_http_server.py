"""HttpServer on 127.0.0.1: ephemeral ports, the health route, the lifecycle, bad arguments."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from agentutils_http import HttpServer, add_health_route

aiohttp = pytest.importorskip("aiohttp")
web = aiohttp.web


async def get(port: int, path: str = "/health", host: str = "127.0.0.1") -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(f"http://{host}:{port}{path}") as response:
        return response.status, await response.text()


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


class TestStart:
    async def test_port_zero_reads_back_the_bound_port(self):
        server = HttpServer("127.0.0.1", 0)
        server.add_health_route()
        assert server.port == 0
        assert not server.started
        await server.start()
        try:
            assert server.started
            assert server.port > 0
            assert server.addresses == [("127.0.0.1", server.port)]
            assert await get(server.port) == (200, "OK")
        finally:
            await server.aclose()

    async def test_given_port(self):
        with socket.socket() as probe:  # a port that was free a moment ago
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        async with HttpServer("127.0.0.1", port) as server:
            assert server.port == port
            assert server.addresses == [("127.0.0.1", port)]

    async def test_routes_of_the_app(self):
        server = HttpServer("127.0.0.1", 0)

        async def hello(request: web.Request) -> web.Response:
            return web.json_response({"hello": request.match_info["name"]})

        server.app.router.add_get("/hello/{name}", hello)
        async with server:
            assert await get(server.port, "/hello/agent") == (200, '{"hello": "agent"}')
            assert (await get(server.port, "/nope"))[0] == 404

    async def test_every_address_of_the_host_on_one_port(self, monkeypatch):
        if not ipv6_loopback():
            pytest.skip("no IPv6 loopback here")
        loop = asyncio.get_running_loop()

        async def both_loopbacks(host, port, **kwargs):
            assert host == "dual.test"
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
            ]

        monkeypatch.setattr(loop, "getaddrinfo", both_loopbacks)
        async with HttpServer("dual.test", 0) as server:
            server_port = server.port
            assert server.addresses == [("127.0.0.1", server_port), ("::1", server_port)]
            monkeypatch.undo()
            assert (await get(server_port, "/", "127.0.0.1"))[0] == 404
            assert (await get(server_port, "/", "[::1]"))[0] == 404

    async def test_port_in_use(self):
        async with HttpServer("127.0.0.1", 0) as first:
            second = HttpServer("127.0.0.1", first.port)
            with pytest.raises(OSError):
                await second.start()
            assert not second.started
            await second.aclose()


class TestHealth:
    @pytest.mark.parametrize(("healthy", "expected"), [(True, (200, "OK")), (False, (503, "unhealthy"))])
    async def test_sync_and_async_checks(self, healthy, expected):
        async def async_check() -> bool:
            await asyncio.sleep(0)
            return healthy

        server = HttpServer("127.0.0.1", 0)
        server.add_health_route(check=lambda: healthy)
        server.add_health_route("/ready", check=async_check)
        async with server:
            assert await get(server.port) == expected
            assert await get(server.port, "/ready") == expected

    async def test_a_raising_check_is_unhealthy_and_logged(self, caplog):
        def broken() -> bool:
            raise ValueError("database gone")

        server = HttpServer("127.0.0.1", 0)
        server.add_health_route(check=broken)
        with caplog.at_level(logging.ERROR, logger="agentutils.http"):
            async with server:
                assert await get(server.port) == (503, "unhealthy")
        (record,) = [r for r in caplog.records if r.name == "agentutils.http"]
        assert record.getMessage() == "health check /health failed"
        assert record.exc_info is not None
        assert isinstance(record.exc_info[1], ValueError)

    async def test_on_any_application(self):
        app = web.Application()
        add_health_route(app, "/healthz")
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            assert await get(runner.addresses[0][1], "/healthz") == (200, "OK")
        finally:
            await runner.cleanup()

    async def test_after_start(self):
        async with HttpServer("127.0.0.1", 0) as server:
            with pytest.raises(RuntimeError, match="add the health route before the server starts"):
                server.add_health_route()

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"path": "health"}, ValueError, "path must start with '/', got 'health'"),
            ({"path": 5}, TypeError, "path must be a str starting with '/', got int"),
            ({"check": "yes"}, TypeError, "check must be a callable returning a bool, or None, got str"),
        ],
    )
    def test_bad_arguments(self, kwargs, error, message):
        with pytest.raises(error, match=message):
            HttpServer("127.0.0.1", 0).add_health_route(**kwargs)

    def test_not_an_application(self):
        with pytest.raises(TypeError, match=r"app must be an aiohttp\.web\.Application, got dict"):
            add_health_route({})  # type: ignore[arg-type]


class TestLifecycle:
    async def test_aclose_is_idempotent_and_stops_listening(self):
        server = HttpServer("127.0.0.1", 0)
        server.add_health_route()
        await server.start()
        port = server.port
        await server.aclose()
        await server.aclose()
        assert not server.started
        assert server.addresses == []
        with pytest.raises(aiohttp.ClientConnectorError):
            await get(port)

    async def test_aclose_before_start(self):
        server = HttpServer("127.0.0.1", 0)
        await server.aclose()
        with pytest.raises(RuntimeError, match="HttpServer is closed: create a new one"):
            await server.start()

    async def test_start_twice(self):
        async with HttpServer("127.0.0.1", 0) as server:
            with pytest.raises(RuntimeError, match="HttpServer is already started"):
                await server.start()

    @pytest.mark.parametrize("steps", range(8))
    async def test_aclose_during_start_leaves_nothing_listening(self, steps):
        # aclose() may come at any await of start(): a start() still under way then fails
        # with our message (not aiohttp's), and once aclose() returns nothing listens.
        server = HttpServer("127.0.0.1", 0)
        server.add_health_route()
        starting = asyncio.create_task(server.start())
        for _ in range(steps):
            await asyncio.sleep(0)
        started_first = starting.done()
        await server.aclose()
        assert not server.started
        if started_first:
            await starting
        else:
            with pytest.raises(
                RuntimeError,
                match=r"^HttpServer (is closed: create a new one|was closed while it was starting)$",
            ):
                await starting
        assert not server.started
        assert server.addresses == []
        assert repr(server).endswith("closed)")
        if server.port:
            with pytest.raises(aiohttp.ClientConnectorError):
                await get(server.port)

    async def test_concurrent_aclose_returns_once_the_server_is_closed(self):
        server = HttpServer("127.0.0.1", 0)
        entered, release = asyncio.Event(), asyncio.Event()
        cleaned: list[str] = []

        async def on_cleanup(app: web.Application) -> None:
            entered.set()
            await release.wait()
            cleaned.append("done")

        server.app.on_cleanup.append(on_cleanup)
        await server.start()
        first = asyncio.create_task(server.aclose())
        await entered.wait()
        second = asyncio.create_task(server.aclose())
        for _ in range(5):
            await asyncio.sleep(0)
        assert not second.done()  # the application is still being cleaned up
        release.set()
        await second
        assert cleaned == ["done"]
        assert first.done()
        await first

    async def test_aclose_from_a_startup_handler(self):
        # the handler runs inside start(): waiting for start() to finish would deadlock
        server = HttpServer("127.0.0.1", 0)

        async def on_startup(app: web.Application) -> None:
            await server.aclose()

        server.app.on_startup.append(on_startup)
        with pytest.raises(RuntimeError, match=r"^HttpServer was closed while it was starting$"):
            await asyncio.wait_for(server.start(), 30)  # a deadlock fails, not hangs
        assert not server.started
        assert repr(server).endswith("closed)")

    async def test_aclose_from_a_cleanup_handler(self):
        server = HttpServer("127.0.0.1", 0)
        server.add_health_route()
        calls: list[str] = []

        async def on_cleanup(app: web.Application) -> None:
            await server.aclose()
            calls.append("inner returned")

        server.app.on_cleanup.append(on_cleanup)
        await server.start()
        port = server.port
        await asyncio.wait_for(server.aclose(), 30)  # a deadlock fails, not hangs
        assert calls == ["inner returned"]
        with pytest.raises(aiohttp.ClientConnectorError):
            await get(port)

    async def test_a_cancelled_aclose_can_be_finished_by_another(self):
        # cancel-safe: an aclose() cancelled half-way leaves the rest for the next one,
        # which must not return at once as if the server were closed
        server = HttpServer("127.0.0.1", 0)
        entered = asyncio.Event()
        cleaned: list[str] = []

        async def on_cleanup(app: web.Application) -> None:
            if not entered.is_set():
                entered.set()
                await asyncio.Event().wait()  # cancelled here
            cleaned.append("done")

        server.app.on_cleanup.append(on_cleanup)
        await server.start()
        first = asyncio.create_task(server.aclose())
        await entered.wait()
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        await server.aclose()
        assert cleaned == ["done"]

    async def test_repr(self):
        server = HttpServer("127.0.0.1", 0)
        assert repr(server) == "HttpServer(host='127.0.0.1', port=0, new)"
        async with server:
            assert repr(server) == f"HttpServer(host='127.0.0.1', port={server.port}, started)"
        assert repr(server) == f"HttpServer(host='127.0.0.1', port={server.port}, closed)"


@pytest.mark.parametrize(
    ("host", "port", "error", "message"),
    [
        (None, 0, TypeError, "host must be a str, got NoneType"),
        ("127.0.0.1", "80", TypeError, "port must be an int, got str: '80'"),
        ("127.0.0.1", True, TypeError, "port must be an int, got bool: True"),
        ("127.0.0.1", 80.0, TypeError, "port must be an int, got float: 80.0"),
        ("127.0.0.1", -1, ValueError, "port must be an int >= 0, got -1"),
        ("127.0.0.1", 65536, ValueError, "port must be an int within 0..65535, got 65536"),
    ],
)
def test_bad_constructor_arguments(host, port, error, message):
    with pytest.raises(error, match=message):
        HttpServer(host, port)


class ServerLifecycle(RuleBasedStateMachine):
    """Any sequence of start/aclose/requests: the server answers exactly while started."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.server = HttpServer("127.0.0.1", 0)
        self.server.add_health_route()
        self.state = "new"
        self.ever_started = False

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    @rule()
    def start(self) -> None:
        if self.state == "new":
            self.run(self.server.start())
            self.state = "started"
            self.ever_started = True
        else:
            expected = "already started" if self.state == "started" else "is closed"
            with pytest.raises(RuntimeError, match=expected):
                self.run(self.server.start())

    @rule()
    def aclose(self) -> None:
        self.run(self.server.aclose())
        self.state = "closed"

    @precondition(lambda self: self.state == "started")
    @rule()
    def request(self) -> None:
        assert self.run(get(self.server.port)) == (200, "OK")

    @invariant()
    def started_matches(self) -> None:
        assert self.server.started == (self.state == "started")
        assert (self.server.port > 0) == self.ever_started

    def teardown(self) -> None:
        self.run(self.server.aclose())
        self.loop.close()


TestServerLifecycle = ServerLifecycle.TestCase
TestServerLifecycle.settings = settings(max_examples=15, stateful_step_count=8, deadline=None)
