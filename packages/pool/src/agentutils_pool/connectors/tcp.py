"""The ``tcp://`` and ``tls://`` connector, on asyncio streams."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ConnectError
from ..redaction import redact_text, redact_url, url_secrets
from ._url import split_url

if TYPE_CHECKING:
    import ssl as _ssl

__all__ = ["StreamConnection", "TcpConnector", "default_ssl_context"]

_CLOSE_TIMEOUT = 5.0
_OPTIONS = frozenset({"ssl", "server_hostname", "limit"})


def default_ssl_context() -> _ssl.SSLContext:
    """The TLS context used for ``tls://`` when none is given.

    It is :func:`ssl.create_default_context`: certificates are verified against the
    system's trust store (``verify_mode`` is ``CERT_REQUIRED``) and the host name is
    checked (``check_hostname`` is true).
    """
    import ssl

    return ssl.create_default_context(ssl.Purpose.SERVER_AUTH)


@dataclass(eq=False)
class StreamConnection:
    """A pooled TCP (or TLS) connection: an asyncio stream reader and writer pair.

    Attributes:
        reader: the stream to read from.
        writer: the stream to write to.
        url: where it is connected, redacted.

    """

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    url: str = field(default="")

    def is_closing(self) -> bool:
        """Whether the connection is closed or closing (by either side)."""
        return self.writer.is_closing() or self.reader.at_eof() or self.reader.exception() is not None


def _address(url: str) -> tuple[str, str, int]:
    """Return ``(scheme, host, port)`` of a ``tcp://`` or ``tls://`` URL.

    Raises:
        ValueError: the scheme is not tcp/tls, or the host or port is missing or invalid.

    """
    scheme, host, parts = split_url(url, TcpConnector.schemes)
    port = parts.port
    if port is None:
        raise ValueError(
            f"expected a port in the {scheme}:// URL ({scheme}://host:port), got {redact_url(url)!r}"
        )
    return scheme, host, port


class TcpConnector:
    """Opens ``tcp://host:port`` and ``tls://host:port`` connections as :class:`StreamConnection`.

    ``tls://`` verifies the server certificate and host name by default
    (:func:`default_ssl_context`).

    Connect options:
        ssl: an :class:`ssl.SSLContext` for ``tls://`` (for example one trusting a private
            CA); not allowed for ``tcp://``.
        server_hostname: the name to check the certificate against (default: the host).
        limit: the stream reader's buffer limit in bytes (default 64 KiB).
    """

    name = "tcp"
    priority = 0
    schemes = ("tcp", "tls")

    def is_available(self) -> bool:
        """Always true: asyncio streams are in the standard library."""
        return True

    def check_url(self, url: str, **options: Any) -> None:
        """Reject a malformed URL or unknown options before any connect.

        Raises:
            ValueError: see :meth:`connect`.
            TypeError: an unknown option, or an option of the wrong type.

        """
        scheme, _, _ = _address(url)
        unknown = sorted(set(options) - _OPTIONS)
        if unknown:
            raise TypeError(
                f"unknown option(s) for the {scheme}:// connector: {', '.join(unknown)}; "
                f"expected some of: {', '.join(sorted(_OPTIONS))}"
            )
        ssl_option = options.get("ssl")
        if ssl_option is not None:
            import ssl

            if scheme == "tcp":
                raise ValueError(f"the ssl option needs a tls:// URL, got {redact_url(url)!r}")
            if not isinstance(ssl_option, ssl.SSLContext):
                raise TypeError(f"ssl must be an ssl.SSLContext or None, got {type(ssl_option).__name__}")
        if options.get("server_hostname") is not None and scheme == "tcp":
            raise ValueError(f"the server_hostname option needs a tls:// URL, got {redact_url(url)!r}")

    async def connect(
        self,
        url: str,
        timeout: float,
        *,
        ssl: _ssl.SSLContext | None = None,
        server_hostname: str | None = None,
        limit: int = 2**16,
    ) -> StreamConnection:
        """Open a connection to ``url``.

        ``timeout`` (the seconds left) is the caller's to enforce, as the pool does: it
        cancels a connect that outlives it and closes a connection that completes anyway.

        Raises:
            ValueError: the URL has no host or port, or TLS options were given for ``tcp://``.
            ConnectError: the connection was refused, reset, or TLS verification failed.

        """
        self.check_url(url, ssl=ssl, server_hostname=server_hostname)
        scheme, host, port = _address(url)
        redacted = redact_url(url)
        kwargs: dict[str, Any] = {"limit": limit}
        if scheme == "tls":
            kwargs["ssl"] = ssl if ssl is not None else default_ssl_context()
            kwargs["server_hostname"] = server_hostname or host
        try:
            reader, writer = await asyncio.open_connection(host, port, **kwargs)
        except OSError as exc:
            # The OS error carries the address only, never the URL: safe to chain.
            message = redact_text(str(exc), url_secrets(url))
            raise ConnectError(f"cannot connect to {redacted}: {type(exc).__name__}: {message}") from exc
        return StreamConnection(reader, writer, redacted)

    async def close(self, conn: StreamConnection) -> None:
        """Close the connection, waiting a few seconds at most for the peer."""
        writer = conn.writer
        writer.close()
        closed = asyncio.ensure_future(writer.wait_closed())
        try:
            done, _ = await asyncio.wait((closed,), timeout=_CLOSE_TIMEOUT)
        except BaseException:
            closed.cancel()
            writer.transport.abort()
            raise
        if not done:
            closed.cancel()
            writer.transport.abort()
        elif not closed.cancelled() and closed.exception() is not None:
            pass  # a reset or a TLS shutdown error while closing: the connection is gone anyway

    def is_alive(self, conn: StreamConnection) -> bool:
        """Whether neither side has closed the connection."""
        return not conn.is_closing()
