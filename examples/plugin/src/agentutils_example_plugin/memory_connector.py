"""An in-memory echo connector for ``memory://<name>`` URLs: a third-party pool connector.

It satisfies ``agentutils_pool.PoolConnector`` structurally (no import of agentutils-pool
needed): ``name``, ``priority``, ``schemes``, ``is_available()``, ``connect``, ``close``
and ``is_alive``. Each connection echoes back what is sent on it, which makes it a handy
stand-in for a real service in tests and demos::

    pool = ConnectionPool.from_url("memory://demo")
    async with pool.connection(timeout=1) as conn:
        await conn.send(b"hi")
        assert await conn.recv() == b"hi"
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

__all__ = ["MemoryConnector", "MemoryEchoConnection"]


class MemoryEchoConnection:
    """One in-memory connection: every message sent comes back, in order.

    Attributes:
        name: the host part of the ``memory://`` URL it was opened for.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    async def send(self, data: bytes) -> None:
        """Send ``data``; it can be received back with :meth:`recv`.

        Raises:
            ConnectionError: the connection is closed.
        """
        if self._closed:
            raise ConnectionError(f"memory://{self.name} connection is closed")
        self._queue.put_nowait(bytes(data))

    async def recv(self) -> bytes:
        """Return the oldest message sent and not yet received (waiting for one)."""
        return await self._queue.get()

    def close(self) -> None:
        """Close the connection; later sends raise ``ConnectionError``."""
        self._closed = True


class MemoryConnector:
    """Opens :class:`MemoryEchoConnection` objects for ``memory://<name>`` URLs.

    Attributes:
        opened: connections opened so far.
        closed: connections closed so far.
    """

    name = "memory"
    priority = 0
    schemes = ("memory",)

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0

    def is_available(self) -> bool:
        """Always true: it needs nothing."""
        return True

    def check_url(self, url: str, **options: Any) -> None:
        """Reject a URL without a name, or any option (there are none).

        Like every connector, it never quotes credentials: its messages show the URL
        without userinfo, query or fragment.

        Raises:
            ValueError: the URL is not ``memory://<name>``.
            TypeError: options were given.
        """
        parts = urlsplit(url)
        if parts.scheme.lower() != "memory" or not _name(url):
            shown = f"{parts.scheme}://{_name(url)}{parts.path}"
            raise ValueError(f"expected a memory://<name> URL, got {shown!r}")
        if options:
            raise TypeError(f"the memory:// connector takes no options, got {', '.join(sorted(options))}")

    async def connect(self, url: str, timeout: float, **options: Any) -> MemoryEchoConnection:
        """Open a connection named after the URL's host part (credentials left out)."""
        self.check_url(url, **options)
        await asyncio.sleep(0)  # a real connector awaits its handshake here
        self.opened += 1
        return MemoryEchoConnection(_name(url))

    async def close(self, conn: MemoryEchoConnection) -> None:
        """Close the connection."""
        conn.close()
        self.closed += 1

    def is_alive(self, conn: MemoryEchoConnection) -> bool:
        """Whether the connection is still open."""
        return not conn.closed


def _name(url: str) -> str:
    """The host part of ``url``, without any ``user:password@``."""
    return urlsplit(url).netloc.rpartition("@")[2]
