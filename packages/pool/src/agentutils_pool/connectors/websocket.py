"""The ``ws://`` and ``wss://`` connector, on aiohttp (extra ``agentutils-pool[aiohttp]``).

aiohttp is imported only when a pool is built for a ``ws://`` or ``wss://`` URL (by
:meth:`WebSocketConnector.check_url`), so importing this module (and registering the
connector) costs nothing where aiohttp is absent, and the first connect does not import
it on the event loop.
"""

from __future__ import annotations

import asyncio
import importlib.util
from typing import TYPE_CHECKING, Any

from agentutils_core.errors import ProviderUnavailableError

from ..errors import ConnectError
from ..redaction import header_secrets, redact_text, redact_url, url_secrets
from ._url import split_url

if TYPE_CHECKING:
    import ssl as _ssl
    from collections.abc import Mapping, Sequence

    import aiohttp

__all__ = ["WebSocketConnector"]

_EXTRA_HINT = "aiohttp is not installed; install the extra: pip install 'agentutils-pool[aiohttp]'"
_MISSING = object()


class WebSocketConnector:
    """Opens ``ws://`` and ``wss://`` connections as ``aiohttp.ClientWebSocketResponse``.

    ``wss://`` verifies the server certificate and host name by default (aiohttp's
    default TLS context). Each connection gets its own ``aiohttp.ClientSession``, closed
    with it, unless a ``session`` is passed.

    Connect options:
        session: an ``aiohttp.ClientSession`` to open the websocket with (not closed by
            the pool).
        headers: request headers (credentials in them never appear in errors or logs).
        protocols: websocket subprotocols to offer.
        heartbeat: seconds between pings, so that a dead peer is detected (default: none).
        ssl: an :class:`ssl.SSLContext` for ``wss://``.
        close_timeout: seconds to wait for the peer's close frame (default 5).
        Any other option is passed to ``aiohttp.ClientSession.ws_connect``.

    Liveness (:meth:`is_alive`) sees a connection closed locally, failed, or whose TCP
    connection is gone; a close frame the peer sent but nobody has read yet is only
    seen once the peer drops the TCP connection (aiohttp exposes no public way to peek).
    """

    name = "websocket"
    priority = 0
    schemes = ("ws", "wss")

    def __init__(self) -> None:
        self._owned_sessions: dict[aiohttp.ClientWebSocketResponse[bool], aiohttp.ClientSession] = {}

    def is_available(self) -> bool:
        """Whether aiohttp is installed."""
        return importlib.util.find_spec("aiohttp") is not None

    def unavailable_reason(self) -> str | None:
        """Why the connector cannot work here (the extra to install), or ``None``."""
        return None if self.is_available() else _EXTRA_HINT

    def _require_aiohttp(self) -> None:
        if not self.is_available():
            raise ProviderUnavailableError(f"pool connector 'websocket' is not available: {_EXTRA_HINT}")

    def check_url(self, url: str, **options: Any) -> None:
        """Reject a malformed URL or misused options before any connect, and import aiohttp.

        Raises:
            agentutils_core.ProviderUnavailableError: aiohttp is not installed.
            ValueError: the URL is not ``ws://``/``wss://`` with a host, ``ssl`` is given
                for ``ws://``, or credentials are both in the URL and in an
                ``Authorization`` header.
            TypeError: an option has the wrong type.

        """
        self._require_aiohttp()
        import aiohttp  # now, rather than on the event loop during the first connect

        scheme, _, parts = split_url(url, self.schemes)
        ssl_option = options.get("ssl")
        if ssl_option is not None and scheme == "ws":
            raise ValueError(f"the ssl option needs a wss:// URL, got {redact_url(url)!r}")
        headers = options.get("headers") or {}
        header_names = {
            str(k).lower() for k in (headers.keys() if hasattr(headers, "keys") else dict(headers))
        }
        if parts.username is not None and "authorization" in header_names:
            raise ValueError(
                "expected credentials either in the URL or in an Authorization header, got both "
                f"({redact_url(url)!r} and an Authorization header)"
            )
        session = options.get("session")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(f"session must be an aiohttp.ClientSession or None, got {type(session).__name__}")

    async def connect(
        self,
        url: str,
        timeout: float,
        *,
        session: aiohttp.ClientSession | None = None,
        headers: Mapping[str, str] | None = None,
        protocols: Sequence[str] = (),
        heartbeat: float | None = None,
        ssl: _ssl.SSLContext | None = None,
        close_timeout: float = 5.0,
        **ws_options: Any,
    ) -> aiohttp.ClientWebSocketResponse[bool]:
        """Open a websocket to ``url``.

        ``timeout`` (the seconds left) is the caller's to enforce, as the pool does: it
        cancels a connect that outlives it and closes a connection that completes anyway.

        Raises:
            agentutils_core.ProviderUnavailableError: aiohttp is not installed.
            ValueError: see :meth:`check_url`.
            ConnectError: refused, handshake rejected (``status`` holds the HTTP status),
                or TLS verification failed; credentials are redacted from the message.

        """
        self.check_url(url, ssl=ssl, session=session, headers=headers)
        import aiohttp

        redacted = redact_url(url)
        secrets = [*url_secrets(url), *header_secrets(headers)]
        options: dict[str, Any] = dict(ws_options)
        options["headers"] = headers
        options["protocols"] = tuple(protocols)
        options["heartbeat"] = heartbeat
        options["timeout"] = aiohttp.ClientWSTimeout(ws_receive=None, ws_close=close_timeout)
        if ssl is not None:
            options["ssl"] = ssl

        async def open_ws() -> aiohttp.ClientWebSocketResponse[bool]:
            owned = session is None
            client = aiohttp.ClientSession() if session is None else session
            try:
                ws = await client.ws_connect(url, **options)
            except BaseException:
                if owned:
                    await client.close()
                raise
            if owned:
                self._owned_sessions[ws] = client
            return ws

        error: ConnectError
        try:
            return await open_ws()
        except aiohttp.WSServerHandshakeError as exc:
            reason = redact_text(str(exc.message), secrets)
            error = ConnectError(
                f"websocket handshake with {redacted} was rejected: HTTP {exc.status} {reason}".rstrip(),
                status=exc.status,
            )
        except (aiohttp.ClientError, OSError) as exc:
            message = redact_text(str(exc), secrets)
            error = ConnectError(f"cannot connect to {redacted}: {type(exc).__name__}: {message}")
        # aiohttp quotes the full URL (query tokens included) in its messages, and keeps
        # the request headers in its objects: raised out here, its exception is not even
        # reachable as __context__ (``from None`` only hides it from tracebacks).
        raise error

    async def close(self, conn: aiohttp.ClientWebSocketResponse[bool]) -> None:
        """Close the websocket (and the session opened for it)."""
        session = self._owned_sessions.pop(conn, None)
        try:
            await conn.close()
        except (OSError, TimeoutError, asyncio.TimeoutError):  # distinct classes before 3.11
            pass  # the peer is gone: the connection is closed anyway
        except Exception as exc:
            import aiohttp

            if not isinstance(exc, aiohttp.ClientError):
                raise
        finally:
            if session is not None:
                await session.close()

    def is_alive(self, conn: aiohttp.ClientWebSocketResponse[bool]) -> bool:
        """Whether the websocket is open, has not failed, and still has its TCP connection."""
        return (
            not conn.closed
            and conn.exception() is None
            and conn.get_extra_info("socket", _MISSING) is not _MISSING
        )
