"""The built-in image encoders: ``pillow`` (JPEG, PNG, WEBP) and ``simplejpeg`` (JPEG)."""

from __future__ import annotations

from .pillow_encoder import PillowEncoder
from .simplejpeg_encoder import SimpleJpegEncoder

__all__ = ["PillowEncoder", "SimpleJpegEncoder"]
