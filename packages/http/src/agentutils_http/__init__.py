"""agentutils-http.

A per-context aiohttp session with a sound TLS trust store, and a small HTTP server, for
realtime agents: ``http_context`` (``open()``, ``http_session()``), ``HttpServer``, and
the TLS trust-store rule (``select_trust_store``, ``create_ssl_context``).

Public names are resolved lazily: ``import agentutils_http`` does not import aiohttp.
"""

from __future__ import annotations

from agentutils_core.lazy import lazy_exports

from .__about__ import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from . import http_context, http_server
    from .http_context import http_session
    from .http_server import HttpServer, add_health_route
    from .tls import (
        SSL_CERT_DIR,
        SSL_CERT_FILE,
        TrustSource,
        TrustStore,
        create_ssl_context,
        has_certificates,
        select_trust_store,
    )

__all__ = [
    "SSL_CERT_DIR",
    "SSL_CERT_FILE",
    "HttpServer",
    "TrustSource",
    "TrustStore",
    "__version__",
    "add_health_route",
    "create_ssl_context",
    "has_certificates",
    "http_context",
    "http_server",
    "http_session",
    "select_trust_store",
]

_LAZY = {
    "http_context": ".http_context",
    "http_server": ".http_server",
    "http_session": ".http_context:http_session",
    "HttpServer": ".http_server:HttpServer",
    "add_health_route": ".http_server:add_health_route",
    "SSL_CERT_DIR": ".tls:SSL_CERT_DIR",
    "SSL_CERT_FILE": ".tls:SSL_CERT_FILE",
    "TrustSource": ".tls:TrustSource",
    "TrustStore": ".tls:TrustStore",
    "create_ssl_context": ".tls:create_ssl_context",
    "has_certificates": ".tls:has_certificates",
    "select_trust_store": ".tls:select_trust_store",
}

__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
