"""http_context: open()/http_session() against a real server, re-entrancy, per-task isolation."""

from __future__ import annotations

import asyncio
import contextvars
import importlib

import pytest

from agentutils_http import HttpServer

aiohttp = pytest.importorskip("aiohttp")
http_context = importlib.import_module("agentutils_http.http_context")

OUTSIDE = (
    r"outside an HTTP session context: wrap the code in `async with agentutils_http\.http_context\.open\(\)"
)


@pytest.fixture
async def server():
    server = HttpServer("127.0.0.1", 0)
    hits: list[str] = []

    async def echo(request):
        hits.append(request.path)
        return aiohttp.web.Response(text=request.path)

    server.app.router.add_get("/{name}", echo)
    async with server:
        server.hits = hits
        yield server


def url(server, name: str) -> str:
    return f"http://127.0.0.1:{server.port}/{name}"


async def fetch(server, name: str) -> str:
    async with http_context.http_session().get(url(server, name)) as response:
        return await response.text()


async def test_outside_open_says_to_use_open():
    with pytest.raises(RuntimeError, match=OUTSIDE):
        http_context.http_session()


def test_outside_a_running_loop():
    with pytest.raises(RuntimeError, match=OUTSIDE):
        http_context.http_session()


async def test_open_binds_one_session_and_closes_it(server):
    async with http_context.open() as session:
        assert http_context.http_session() is session
        assert await fetch(server, "a") == "/a"
        assert not session.closed
    assert session.closed
    with pytest.raises(RuntimeError, match=OUTSIDE):
        http_context.http_session()


async def test_reentrant_inner_open_yields_the_outer_session_and_leaves_it_open(server):
    async with http_context.open() as outer:
        async with http_context.open() as inner:
            assert inner is outer
            assert await fetch(server, "inner") == "/inner"
        assert not outer.closed
        assert http_context.http_session() is outer
        assert await fetch(server, "after") == "/after"
    assert outer.closed
    assert server.hits == ["/inner", "/after"]


async def test_each_task_that_opens_gets_its_own_session(server):
    entered = [asyncio.Event(), asyncio.Event()]

    async def worker(n: int) -> aiohttp.ClientSession:
        async with http_context.open() as session:
            entered[n].set()
            await entered[1 - n].wait()  # both blocks are open at the same time
            assert http_context.http_session() is session
            assert await fetch(server, f"task{n}") == f"/task{n}"
            return session

    first, second = await asyncio.gather(worker(0), worker(1))
    assert first is not second
    assert first.closed
    assert second.closed


async def test_a_task_outside_any_open_block_sees_no_session():
    opened = asyncio.Event()
    release = asyncio.Event()

    async def holder():
        async with http_context.open():
            opened.set()
            await release.wait()

    async def stranger():
        await opened.wait()
        with pytest.raises(RuntimeError, match=OUTSIDE):
            http_context.http_session()

    task = asyncio.create_task(holder())
    await stranger()
    release.set()
    await task


async def test_child_tasks_share_the_parent_session(server):
    async with http_context.open() as session:
        child = await asyncio.create_task(asyncio.sleep(0, http_context.http_session()))
        assert child is session
        assert await asyncio.create_task(fetch(server, "child")) == "/child"


async def test_a_task_outliving_the_block_gets_an_error_not_a_closed_session():
    proceed = asyncio.Event()

    async def late():
        await proceed.wait()
        http_context.http_session()

    async with http_context.open():
        task = asyncio.create_task(late())
    proceed.set()
    with pytest.raises(
        RuntimeError, match=r"the http_context.open\(\) block that bound this session has exited"
    ):
        await task


async def test_open_inside_a_task_outliving_the_block_binds_a_new_session(server):
    proceed = asyncio.Event()

    async def late():
        await proceed.wait()
        async with http_context.open() as session:
            assert await fetch(server, "late") == "/late"
            return session

    async with http_context.open() as first:
        task = asyncio.create_task(late())
    proceed.set()
    second = await task
    assert second is not first
    assert second.closed


async def test_a_session_closed_by_its_user_is_replaced(server):
    async with http_context.open() as first:
        await first.close()
        second = http_context.http_session()
        assert second is not first
        assert not second.closed
        assert await fetch(server, "again") == "/again"
    assert second.closed


async def test_a_binding_of_another_loop_is_refused_while_open():
    started, release = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    captured: list[contextvars.Context] = []

    async def holder():
        async with http_context.open():
            captured.append(contextvars.copy_context())
            started.set()
            await release.wait()

    task = asyncio.create_task(holder())
    await started.wait()

    def other_loop() -> str:
        async def use() -> str:
            try:
                http_context.http_session()
            except RuntimeError as exc:
                return str(exc)
            return "no error"

        return asyncio.run(use())

    message = await loop.run_in_executor(None, captured[0].run, other_loop)
    release.set()
    await task
    assert "bound by http_context.open() on another event loop" in message


async def test_connector_settings(server):
    async with http_context.open() as session:
        connector = session.connector
        assert isinstance(connector, aiohttp.TCPConnector)
        assert connector.limit_per_host == 50


async def test_an_exception_in_the_block_closes_the_session_and_unbinds(server):
    sessions: list[aiohttp.ClientSession] = []

    async def failing() -> None:
        async with http_context.open() as session:
            sessions.append(session)
            assert await fetch(server, "x") == "/x"
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await failing()
    assert sessions[0].closed
    with pytest.raises(RuntimeError, match=OUTSIDE):
        http_context.http_session()


async def test_a_cancelled_task_closes_its_session(server):
    inside = asyncio.Event()
    sessions: list[aiohttp.ClientSession] = []

    async def worker():
        async with http_context.open() as session:
            sessions.append(session)
            assert await fetch(server, "w") == "/w"  # a pooled keep-alive connection to close too
            inside.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(worker())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sessions[0].closed
