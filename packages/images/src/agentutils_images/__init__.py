"""agentutils-images.

Encode video frames (RGBA, I420, NV12...) as JPEG/PNG for vision models, with pluggable encoders.
"""

from __future__ import annotations

from .__about__ import __version__

__all__ = ["__version__"]
