"""agentutils-http.

A per-context aiohttp session with a sound TLS trust store, and a small HTTP server, for
realtime agents: ``http_context`` (``open()``, ``http_session()``), ``HttpServer``, and
the TLS trust-store rule (``select_trust_store``, ``create_ssl_context``).

Names are resolved lazily: ``import agentutils_http`` does not import aiohttp.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from . import http_context as http_context, http_server as http_server
    from .http_context import http_session as http_session
    from .http_server import HttpServer as HttpServer, add_health_route as add_health_route
    from .tls import (
        SSL_CERT_DIR as SSL_CERT_DIR,
        SSL_CERT_FILE as SSL_CERT_FILE,
        TrustSource as TrustSource,
        TrustStore as TrustStore,
        create_ssl_context as create_ssl_context,
        has_certificates as has_certificates,
        select_trust_store as select_trust_store,
    )

# The public names, each imported from its module on first use: the one table from which
# __all__ and the lazy lookups follow (tests/integration/test_exports.py checks the imports above).
_EXPORTS = {
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

__all__ = exports(__name__, globals(), _EXPORTS)
