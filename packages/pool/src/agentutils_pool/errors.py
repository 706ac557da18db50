"""Exceptions raised by agentutils-pool."""

from __future__ import annotations

from agentutils_core.errors import NoProviderError, UnknownProviderError

__all__ = ["ConnectError", "PoolClosedError", "PoolError", "UnsupportedSchemeError"]


class PoolError(Exception):
    """Base class of the errors raised by the connection pool and its connectors."""


class PoolClosedError(PoolError, RuntimeError):
    """The pool was closed with :meth:`ConnectionPool.aclose`: it hands out no more connections."""


class ConnectError(PoolError, ConnectionError):
    """A connector could not open a connection.

    The message never contains credentials: URLs are redacted, and the underlying
    exception is only chained when its own message cannot contain them.

    Attributes:
        status: the HTTP status of a refused websocket handshake, else ``None``.

    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnsupportedSchemeError(NoProviderError, UnknownProviderError):
    """No pool connector serves the URL scheme that was asked for."""
