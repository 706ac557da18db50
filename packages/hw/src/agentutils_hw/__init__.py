"""agentutils-hw.

CPU count and load that understand containers (cgroup v1 and v2), for realtime agents.
"""

from __future__ import annotations

from .__about__ import __version__

__all__ = ["__version__"]
