"""agentutils-pool: a pool for persistent connections, with connectors chosen by URL scheme.

``ConnectionPool`` keeps the constructor and methods of ``livekit.agents.utils.ConnectionPool``
(connects run in parallel, timeouts are enforced, connections leaving the pool are closed
promptly, and the pool can be bounded). ``ConnectionPool.from_url`` opens connections with
the connector plugged in for the URL's scheme: ``tcp://``, ``tls://``, and ``ws://``/``wss://``
with the ``aiohttp`` extra.
"""

from __future__ import annotations

from .__about__ import __version__
from .connector import (
    CONNECTOR_ENV_VAR,
    CONNECTOR_HOOK,
    PoolConnector,
    check_connector,
    connector_registry,
    resolve_connector,
    scheme_index,
)
from .connectors import StreamConnection, TcpConnector, WebSocketConnector, default_ssl_context
from .errors import ConnectError, PoolClosedError, PoolError, UnsupportedSchemeError
from .pool import ConnectionPool, PoolStats
from .redaction import (
    REDACTED,
    header_secrets,
    is_sensitive_header,
    redact_headers,
    redact_text,
    redact_url,
    url_secrets,
)

__all__ = [
    "CONNECTOR_ENV_VAR",
    "CONNECTOR_HOOK",
    "REDACTED",
    "ConnectError",
    "ConnectionPool",
    "PoolClosedError",
    "PoolConnector",
    "PoolError",
    "PoolStats",
    "StreamConnection",
    "TcpConnector",
    "UnsupportedSchemeError",
    "WebSocketConnector",
    "__version__",
    "check_connector",
    "connector_registry",
    "default_ssl_context",
    "header_secrets",
    "is_sensitive_header",
    "redact_headers",
    "redact_text",
    "redact_url",
    "resolve_connector",
    "scheme_index",
    "url_secrets",
]
