"""agentutils-http.

A per-context aiohttp session with a sound TLS trust store, and a small HTTP server, for realtime agents.
"""

from __future__ import annotations

from .__about__ import __version__

__all__ = ["__version__"]
