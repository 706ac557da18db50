"""Hook implementations of agentutils-pool: its built-in connectors.

Named by this distribution's ``agentutils`` entry point, exactly as a third-party plugin
registers its own connectors.
"""

from __future__ import annotations

from agentutils_core.hookspecs import hookimpl

__all__ = ["agentutils_pool_connectors"]


@hookimpl
def agentutils_pool_connectors() -> list[object]:
    """Provide the ``tcp``/``tls`` and ``ws``/``wss`` connectors."""
    from .connectors import TcpConnector, WebSocketConnector

    return [TcpConnector(), WebSocketConnector()]
