"""Hook implementations of agentutils-images, named by its ``agentutils`` entry point.

The built-in encoders are registered here exactly as a third-party plugin registers its
own: nothing is registered when :mod:`agentutils_images` is imported.
"""

from __future__ import annotations

from agentutils_core import hookimpl

from .encoders import PillowEncoder, SimpleJpegEncoder

__all__ = ["agentutils_image_encoders"]


@hookimpl
def agentutils_image_encoders() -> list[object]:
    """Provide the ``pillow`` and ``simplejpeg`` encoders (each available when its library is)."""
    return [PillowEncoder(), SimpleJpegEncoder()]
