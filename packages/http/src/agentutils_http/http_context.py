"""A per-context aiohttp session: ``open()`` binds one, ``http_session()`` returns it.

The module of ``livekit.agents.utils.http_context``, usable anywhere (a script, a test, a
notebook), not only inside a worker job::

    from agentutils_http import http_context

    async with http_context.open():
        async with http_context.http_session().get(url) as response: ...

- The binding lives in a ``contextvars.ContextVar``: it is seen by the code of the task
  that opened it and by the tasks that task creates (they copy its context), and by no
  other task. Two tasks that each call ``open()`` get two sessions.
- ``open()`` is re-entrant: inside an open block, ``open()`` yields the same session and
  leaves it open on exit; the outermost ``open()`` closes it.
- A session closed by its user is replaced by a new one on the next ``http_session()``;
  every session made by a block is closed when the block exits.
- TLS: the session's connector verifies servers against the trust store of
  :func:`agentutils_http.tls.select_trust_store` (``SSL_CERT_FILE``/``SSL_CERT_DIR``, else
  the system store when it has certificates, else certifi); verification is never off.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from typing import TYPE_CHECKING

import aiohttp

from .tls import _shared_context

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["http_session", "open"]

logger = logging.getLogger("agentutils.http")

_OUTSIDE = (
    "http_session() was called outside an HTTP session context: wrap the code in "
    "`async with agentutils_http.http_context.open(): ...` (or create an aiohttp.ClientSession "
    "yourself and pass it where a session is accepted)"
)


class _Binding:
    """The session of one ``open()`` block, made again if its user closes it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.closed = False
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            logger.debug("http_context: creating an aiohttp session")
            connector = aiohttp.TCPConnector(
                limit_per_host=50,
                keepalive_timeout=120,  # aiohttp's default of 15 s drops warm connections between turns
                ssl=_shared_context(),
            )
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def aclose(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            logger.debug("http_context: closing the aiohttp session")
            await session.close()


_binding: contextvars.ContextVar[_Binding | None] = contextvars.ContextVar(
    "agentutils_http_session", default=None
)


def _usable(binding: _Binding | None, loop: asyncio.AbstractEventLoop) -> bool:
    return binding is not None and not binding.closed and binding.loop is loop


def http_session() -> aiohttp.ClientSession:
    """Return the aiohttp session bound to the current context by :func:`open`.

    Raises:
        RuntimeError: there is no open binding here (outside ``http_context.open()``, after
            its block exited, or in a task of another event loop); the message says to use
            ``http_context.open()``.

    """
    binding = _binding.get()
    if binding is None:
        raise RuntimeError(_OUTSIDE)
    if binding.closed:
        raise RuntimeError(
            "http_session(): the http_context.open() block that bound this session has exited; "
            "open a new one with `async with agentutils_http.http_context.open(): ...`"
        )
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(f"{_OUTSIDE}; there is no running event loop here") from None
    if binding.loop is not loop:
        raise RuntimeError(
            "http_session(): the session was bound by http_context.open() on another event loop; "
            "use `async with agentutils_http.http_context.open(): ...` on this one"
        )
    return binding.session()


@contextlib.asynccontextmanager
async def open() -> AsyncIterator[aiohttp.ClientSession]:
    """Bind an aiohttp session to the current context for the duration of the block.

    Yields the session that :func:`http_session` returns inside the block. Nested in
    another open block of the same context, yields that block's session and does not
    close it; otherwise the session is closed and the binding removed on exit.

    Raises:
        FileNotFoundError: ``SSL_CERT_FILE`` names something that is not a file.
        NotADirectoryError: ``SSL_CERT_DIR`` names no existing folder.
        ssl.SSLError: ``SSL_CERT_FILE`` holds no certificate.

    """
    loop = asyncio.get_running_loop()
    outer = _binding.get()
    if outer is not None and _usable(outer, loop):
        yield outer.session()
        return
    binding = _Binding(loop)
    token = _binding.set(binding)
    try:
        yield binding.session()
    finally:
        try:
            _binding.reset(token)
        except ValueError:  # exited in another context than the one it was entered in
            _binding.set(outer)
        await binding.aclose()
