"""The ``pillow`` encoder: JPEG, PNG and WEBP through Pillow (the ``pillow`` extra)."""

from __future__ import annotations

import importlib.util
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..raw_image import RawImage

__all__ = ["PillowEncoder"]

# Pillow unpacks each packed layout straight into RGB, dropping alpha, in one copy.
_RAWMODES = {"RGBA": "RGBX", "BGRA": "BGRX", "ARGB": "XRGB", "ABGR": "XBGR", "RGB": "RGB"}


def _ycbcr(image_module: Any, image: RawImage) -> Any:
    """A Pillow ``YCbCr`` image of 4:2:0 planes: what a JPEG stores, so no colour conversion.

    Chroma is repeated over each 2x2 block by Pillow's nearest-neighbour resize, to twice
    its size (exact), then cut to the image's size when that is odd.
    """
    y, u, v = image.full_range_planes()
    size = (image.width, image.height)
    doubled = (2 * u.shape[1], 2 * u.shape[0])

    def plane(values: Any) -> Any:
        return image_module.frombuffer("L", (values.shape[1], values.shape[0]), values, "raw", "L", 0, 1)

    def upsampled(values: Any) -> Any:
        big = plane(values).resize(doubled, image_module.Resampling.NEAREST)
        return big if doubled == size else big.crop((0, 0, *size))

    return image_module.merge("YCbCr", (plane(y), upsampled(u), upsampled(v)))


class PillowEncoder:
    """Writes JPEG, PNG and WEBP with Pillow; available when Pillow is installed.

    Packed frames are unpacked to RGB by Pillow in one copy. 4:2:0 frames become a
    ``YCbCr`` image for JPEG (no colour conversion), and RGB (as :func:`~agentutils_images.to_rgb`)
    for the other formats.
    """

    name = "pillow"
    priority = 10
    formats = frozenset({"JPEG", "PNG", "WEBP"})

    def is_available(self) -> bool:
        """Whether Pillow is installed."""
        return importlib.util.find_spec("PIL") is not None

    def unavailable_reason(self) -> str:
        """Why the encoder is not available, and the extra that fixes it."""
        return "Pillow is not installed: install agentutils-images[pillow]"

    def encode(self, image: RawImage, format: str, quality: int | None) -> bytes:
        """Write ``image`` as ``format`` (see :class:`~agentutils_images.ImageEncoder`)."""
        from PIL import Image

        size = (image.width, image.height)
        if image.pixels is not None:
            pil = Image.frombytes("RGB", size, image.pixels, "raw", _RAWMODES[image.layout])
        elif format == "JPEG":
            pil = _ycbcr(Image, image)
        else:
            pil = Image.frombuffer("RGB", size, image.rgb(), "raw", "RGB", 0, 1)
        out = io.BytesIO()
        if quality is not None and format != "PNG":
            pil.save(out, format, quality=quality)
        else:
            pil.save(out, format)
        return out.getvalue()

    def __repr__(self) -> str:
        return "PillowEncoder()"
