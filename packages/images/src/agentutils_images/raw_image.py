"""``RawImage``: a frame resized and ready for an encoder, packed pixels or 4:2:0 planes.

:func:`prepare_image` resizes a frame in its own layout (no colour conversion): a packed frame
stays packed, an ``I420`` or ``NV12`` frame becomes three planes. Encoders then pick their
fastest path: simplejpeg writes the planes straight into the JPEG.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from .conversions import PACKED_ORDER, packed_pixels, yuv420_planes, yuv420_to_rgb
from .resize import ResizeOptions, ResizePlan, paste_pixels, resample_pixels, resize_plan

if TYPE_CHECKING:
    from .conversions import U8
    from .frame import VideoFrame

__all__ = ["RawImage", "prepare_image"]

Layout = Literal["RGBA", "BGRA", "ARGB", "ABGR", "RGB", "YUV420"]


@dataclass(frozen=True)
class RawImage:
    """An image for an encoder: its size and either packed pixels or 4:2:0 planes.

    Attributes:
        width: width in pixels (any, odd included).
        height: height in pixels.
        layout: ``"RGBA"``, ``"BGRA"``, ``"ARGB"``, ``"ABGR"``, ``"RGB"`` (the channel
            order of ``pixels``) or ``"YUV420"`` (``planes``).
        pixels: ``(height, width, channels)`` uint8 when packed, else None. Alpha, if
            any, is to be ignored: encoders write opaque RGB, as upstream does.
        planes: the Y ``(height, width)``, U and V ``(ceil(height / 2), ceil(width / 2))``
            uint8 planes, BT.601 limited range, when ``layout`` is ``"YUV420"``.

    """

    width: int
    height: int
    layout: Layout
    pixels: U8 | None = None
    planes: tuple[U8, U8, U8] | None = None

    def rgb(self) -> U8:
        """The pixels as a ``(height, width, 3)`` RGB array (BT.601 for planes; for RGB, the pixels)."""
        import numpy as np

        if self.planes is not None:
            out = np.empty((self.height, self.width, 3), dtype=np.uint8)
            return yuv420_to_rgb(*self.planes, out)
        assert self.pixels is not None
        if self.layout == "RGB":
            return self.pixels
        order = self.layout
        return np.stack([self.pixels[..., order.index(c)] for c in "RGB"], axis=-1)

    def full_range_planes(self) -> tuple[U8, U8, U8]:
        """The planes in JPEG's full range (JFIF YCbCr), new arrays: what a JPEG stores."""
        assert self.planes is not None
        luma, chroma = _full_range_tables()
        y, u, v = self.planes
        return _lookup(luma, y), _lookup(chroma, u), _lookup(chroma, v)


@cache
def _full_range_tables() -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Limited to full range: Y 16..235 -> 0..255, U and V 16..240 -> 1..255 around 128.

    Each table comes with its 65536-entry twin mapping two pixels at once (see _lookup).
    """
    import numpy as np

    i = np.arange(256, dtype=np.float64)
    luma = np.clip(np.round((i - 16) * 255 / 219), 0, 255).astype(np.uint8)
    chroma = np.clip(np.round((i - 128) * 255 / 224 + 128), 0, 255).astype(np.uint8)
    pairs = np.arange(1 << 16, dtype=np.uint16).view(np.uint8)  # every pair of bytes, native order
    return (luma, luma[pairs].view(np.uint16)), (chroma, chroma[pairs].view(np.uint16))


def _lookup(tables: tuple[Any, Any], plane: U8) -> U8:
    """``table[plane]`` as a new contiguous array.

    Looked up two pixels at a time in the 65536-entry table when the plane is contiguous
    and even-sized: half the lookups, from a table that still fits the cache (about 10x
    faster than numpy's byte lookup on a 1080p plane).
    """
    import numpy as np

    table, pair_table = tables
    if plane.flags.c_contiguous and plane.size % 2 == 0:
        pairs = plane.reshape(-1).view(np.uint16)
        return np.take(pair_table, pairs).view(np.uint8).reshape(plane.shape)
    return np.take(table, plane)


def _canvas(shape: tuple[int, ...], fill: int) -> U8:
    import numpy as np

    return np.full(shape, fill, dtype=np.uint8)


def _neutral_shared_blocks(plan: ResizePlan, u: U8, v: U8) -> None:
    """Grey the chroma of 2x2 blocks a bar shares with the image, so that bars stay black.

    An image edge at an odd offset puts a bar pixel and an image pixel in one chroma block;
    with the image's colour there, the bar pixel would not be black.
    """
    for plane in (u, v):
        for edge in (plan.x, plan.x + plan.scaled_width):
            if edge % 2 and 0 < edge < plan.width:
                plane[:, edge // 2] = 128
        for edge in (plan.y, plan.y + plan.scaled_height):
            if edge % 2 and 0 < edge < plan.height:
                plane[edge // 2, :] = 128


def prepare_image(frame: VideoFrame, options: ResizeOptions | None) -> RawImage:
    """Resize ``frame`` as ``options`` say, keeping its layout; bars are black.

    Without ``options`` the result shares the frame's memory.
    """
    plan = resize_plan(frame.width, frame.height, options)
    # centre strategies place the scaled frame on the output: letterboxed or cropped
    placed = (plan.scaled_width, plan.scaled_height) != (plan.width, plan.height)
    if not frame.type.is_yuv420:
        order = PACKED_ORDER[frame.type]
        pixels = resample_pixels(packed_pixels(frame), plan.scaled_width, plan.scaled_height)
        if placed:
            pixels = paste_pixels(
                _canvas((plan.height, plan.width, pixels.shape[2]), 0), pixels, plan.x, plan.y
            )
        return RawImage(plan.width, plan.height, order, pixels=pixels)  # type: ignore[arg-type]
    y, u, v = yuv420_planes(frame)
    cw, ch = (plan.scaled_width + 1) // 2, (plan.scaled_height + 1) // 2
    y, u, v = (
        resample_pixels(y, plan.scaled_width, plan.scaled_height),
        resample_pixels(u, cw, ch),
        resample_pixels(v, cw, ch),
    )
    if placed:
        # Black is Y 16, U and V 128 in limited range.
        chroma_shape = ((plan.height + 1) // 2, (plan.width + 1) // 2)
        y = paste_pixels(_canvas((plan.height, plan.width), 16), y, plan.x, plan.y)
        u = paste_pixels(_canvas(chroma_shape, 128), u, plan.x // 2, plan.y // 2)
        v = paste_pixels(_canvas(chroma_shape, 128), v, plan.x // 2, plan.y // 2)
        _neutral_shared_blocks(plan, u, v)
    return RawImage(plan.width, plan.height, "YUV420", planes=(y, u, v))
