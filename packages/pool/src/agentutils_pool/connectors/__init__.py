"""The built-in connectors: ``tcp://``/``tls://`` and ``ws://``/``wss://``."""

from __future__ import annotations

from .tcp import StreamConnection, TcpConnector, default_ssl_context
from .websocket import WebSocketConnector

__all__ = ["StreamConnection", "TcpConnector", "WebSocketConnector", "default_ssl_context"]
