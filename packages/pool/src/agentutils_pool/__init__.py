"""agentutils-pool: a pool for persistent connections, with connectors chosen by URL scheme.

``ConnectionPool`` keeps the constructor and methods of ``livekit.agents.utils.ConnectionPool``
(connects run in parallel, timeouts are enforced, connections leaving the pool are closed
promptly, and the pool can be bounded). ``ConnectionPool.from_url`` opens connections with
the connector plugged in for the URL's scheme: ``tcp://``, ``tls://``, and ``ws://``/``wss://``
with the ``aiohttp`` extra.

Public names are resolved on first use: ``ConnectionPool`` costs asyncio and little else,
and the plugin machinery, the connectors and ``ssl`` load when a URL first asks for them.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from .connector import (
        CONNECTOR_ENV_VAR as CONNECTOR_ENV_VAR,
        CONNECTOR_HOOK as CONNECTOR_HOOK,
        PoolConnector as PoolConnector,
        check_connector as check_connector,
        connector_registry as connector_registry,
        resolve_connector as resolve_connector,
        scheme_index as scheme_index,
    )
    from .connectors import (
        StreamConnection as StreamConnection,
        TcpConnector as TcpConnector,
        WebSocketConnector as WebSocketConnector,
        default_ssl_context as default_ssl_context,
    )
    from .errors import (
        ConnectError as ConnectError,
        PoolClosedError as PoolClosedError,
        PoolError as PoolError,
        UnsupportedSchemeError as UnsupportedSchemeError,
    )
    from .pool import ConnectionPool as ConnectionPool
    from .redaction import (
        REDACTED as REDACTED,
        header_secrets as header_secrets,
        is_sensitive_header as is_sensitive_header,
        redact_headers as redact_headers,
        redact_text as redact_text,
        redact_url as redact_url,
        url_secrets as url_secrets,
    )
    from .stats import PoolStats as PoolStats

_EXPORTS = {
    "CONNECTOR_ENV_VAR": ".connector:CONNECTOR_ENV_VAR",
    "CONNECTOR_HOOK": ".connector:CONNECTOR_HOOK",
    "PoolConnector": ".connector:PoolConnector",
    "check_connector": ".connector:check_connector",
    "connector_registry": ".connector:connector_registry",
    "resolve_connector": ".connector:resolve_connector",
    "scheme_index": ".connector:scheme_index",
    "StreamConnection": ".connectors:StreamConnection",
    "TcpConnector": ".connectors:TcpConnector",
    "WebSocketConnector": ".connectors:WebSocketConnector",
    "default_ssl_context": ".connectors:default_ssl_context",
    "ConnectError": ".errors:ConnectError",
    "PoolClosedError": ".errors:PoolClosedError",
    "PoolError": ".errors:PoolError",
    "UnsupportedSchemeError": ".errors:UnsupportedSchemeError",
    "ConnectionPool": ".pool:ConnectionPool",
    "REDACTED": ".redaction:REDACTED",
    "header_secrets": ".redaction:header_secrets",
    "is_sensitive_header": ".redaction:is_sensitive_header",
    "redact_headers": ".redaction:redact_headers",
    "redact_text": ".redaction:redact_text",
    "redact_url": ".redaction:redact_url",
    "url_secrets": ".redaction:url_secrets",
    "PoolStats": ".stats:PoolStats",
}

__all__ = exports(__name__, globals(), _EXPORTS)
