"""Hook implementations of the example plugin (named by its ``agentutils`` entry point)."""

from __future__ import annotations

__all__: list[str] = []
