"""``ResizeOptions`` and the geometry and resampling behind them.

The output size of every strategy is computed with upstream's arithmetic
(``livekit.agents.utils.images``), so sizes are identical; the one difference is that a
scaled side that upstream computes as 0 (and then fails on) is 1 here.

Resampling is an antialiased bilinear (triangle) filter: Pillow's ``BILINEAR`` when
Pillow is installed, else the same filter in numpy (within 1 of Pillow's, about 4x slower).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    U8 = npt.NDArray[np.uint8]

__all__ = ["ResizeOptions", "ResizePlan", "ResizeStrategy", "paste_pixels", "resample_pixels", "resize_plan"]

ResizeStrategy = Literal[
    "center_aspect_fit",
    "center_aspect_cover",
    "scale_aspect_fit",
    "scale_aspect_cover",
    "skew",
]
"""How :class:`ResizeOptions` maps a frame onto its width and height:

- ``center_aspect_fit``: the requested size, the frame scaled to fit inside it and
  centred, with black bars (letterbox);
- ``center_aspect_cover``: the requested size, the frame scaled to cover it and centred,
  its overflow cropped;
- ``scale_aspect_fit``: the frame scaled to fit inside the requested size, aspect kept
  (one side smaller than asked);
- ``scale_aspect_cover``: the frame scaled to cover the requested size, aspect kept (one
  side larger than asked);
- ``skew``: exactly the requested size, aspect not kept.
"""

_STRATEGIES: tuple[str, ...] = get_args(ResizeStrategy)


def _side(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"ResizeOptions.{name} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"ResizeOptions.{name} must be greater than 0, got {value}")
    return value


@dataclass
class ResizeOptions:
    """How to resize a frame while encoding it, as upstream's ``ResizeOptions``.

    Attributes:
        width: the requested width in pixels (> 0).
        height: the requested height in pixels (> 0).
        strategy: one of :data:`ResizeStrategy`.

    Raises:
        TypeError: a side is not an int.
        ValueError: a side is below 1 or the strategy is unknown.

    """

    width: int
    height: int
    strategy: ResizeStrategy

    def __post_init__(self) -> None:
        check_resize_options(self)


def check_resize_options(options: Any) -> ResizeOptions:
    """Validate resize options (ours or upstream's, which may have been changed since built)."""
    if not isinstance(options, ResizeOptions) and not all(
        hasattr(options, field) for field in ("width", "height", "strategy")
    ):
        raise TypeError(f"resize_options must be a ResizeOptions or None, got {type(options).__name__}")
    width = _side("width", getattr(options, "width", None))
    height = _side("height", getattr(options, "height", None))
    strategy = getattr(options, "strategy", None)
    if strategy not in _STRATEGIES:
        raise ValueError(f"unknown resize strategy {strategy!r}; expected one of {', '.join(_STRATEGIES)}")
    if isinstance(options, ResizeOptions):
        return options
    return ResizeOptions(width, height, strategy)


@dataclass(frozen=True)
class ResizePlan:
    """Where a resized frame lands: the output size, the scaled frame's size and its offset.

    The scaled frame's top-left corner is at ``(x, y)`` in the output; a negative offset
    crops it (cover), a positive one leaves black bars (fit).
    """

    width: int
    height: int
    scaled_width: int
    scaled_height: int
    x: int = 0
    y: int = 0


def _fit(w: int, h: int, width: int, height: int) -> tuple[int, int]:
    # upstream's center_aspect_fit: width-limited unless the box is relatively wider
    if width / height > w / h:
        return int(w * (height / h)), height
    return width, int(h * (width / w))


def _cover(w: int, h: int, width: int, height: int) -> tuple[int, int]:
    # upstream's center_aspect_cover: width-limited unless the box is relatively taller
    if height / width > h / w:
        return int(w * (height / h)), height
    return width, int(h * (width / w))


def _scale_fit(w: int, h: int, width: int, height: int) -> tuple[int, int]:
    scaled_height = int(h * (width / w))
    if scaled_height > height:
        return int(w * (height / h)), height
    return width, scaled_height


def _scale_cover(w: int, h: int, width: int, height: int) -> tuple[int, int]:
    scaled_height = int(h * (width / w))
    if scaled_height < height:
        return int(w * (height / h)), height
    return width, scaled_height


_SCALERS = {
    "center_aspect_fit": _fit,
    "center_aspect_cover": _cover,
    "scale_aspect_fit": _scale_fit,
    "scale_aspect_cover": _scale_cover,
}


def resize_plan(width: int, height: int, options: ResizeOptions | None) -> ResizePlan:
    """Plan the resize of a ``width`` x ``height`` frame (no resize when ``options`` is None)."""
    if options is None:
        return ResizePlan(width, height, width, height)
    if options.strategy == "skew":
        return ResizePlan(options.width, options.height, options.width, options.height)
    sw, sh = _SCALERS[options.strategy](width, height, options.width, options.height)
    sw, sh = max(sw, 1), max(sh, 1)
    if options.strategy.startswith("center"):
        # floor division, as upstream: a centred crop of an odd overflow drops its extra pixel left/top
        return ResizePlan(
            options.width, options.height, sw, sh, (options.width - sw) // 2, (options.height - sh) // 2
        )
    return ResizePlan(sw, sh, sw, sh)


def _numpy() -> Any:
    import numpy

    return numpy


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image


def _taps(size_in: int, size_out: int) -> tuple[Any, Any]:
    """Source indices and weights of the antialiased triangle filter, one row per tap."""
    np = _numpy()
    scale = size_in / size_out
    support = max(scale, 1.0)
    centers = (np.arange(size_out) + 0.5) * scale
    first = np.floor(centers - support).astype(np.intp)
    count = int(np.ceil(2 * support)) + 1
    index = first[:, None] + np.arange(count)[None, :]
    weight = np.clip(1.0 - np.abs((index + 0.5 - centers[:, None]) / support), 0.0, None)
    weight[(index < 0) | (index >= size_in)] = 0.0
    weight /= weight.sum(axis=1, keepdims=True)
    used = weight.any(axis=0)
    return np.clip(index, 0, size_in - 1)[:, used].T, weight[:, used].T.astype(np.float32)


def _resample_numpy(pixels: Any, width: int, height: int) -> Any:
    np = _numpy()
    h, w = pixels.shape[:2]
    extra = (None,) * (pixels.ndim - 2)  # broadcast the weights over channels
    per_row, per_column = (slice(None), None, *extra), (None, slice(None), *extra)
    rows, row_weights = _taps(h, height)
    tall = np.zeros((height, w, *pixels.shape[2:]), dtype=np.float32)
    for index, weight in zip(rows, row_weights, strict=True):
        tall += pixels[index] * weight[per_row]
    cols, col_weights = _taps(w, width)
    out = np.zeros((height, width, *pixels.shape[2:]), dtype=np.float32)
    for index, weight in zip(cols, col_weights, strict=True):
        out += tall[:, index] * weight[per_column]
    out += 0.5
    return np.clip(out, 0, 255).astype(np.uint8)


_PILLOW_MODES = {2: "L", 3: "RGB", 4: "RGBX"}  # RGBX, not RGBA: Pillow premultiplies RGBA


def resample_pixels(pixels: U8, width: int, height: int) -> U8:
    """Resize a ``(h, w)`` plane or ``(h, w, channels)`` image (1, 3 or 4 channels) of uint8.

    An antialiased bilinear filter: Pillow's when it is installed, else numpy's.
    """
    if pixels.shape[:2] == (height, width):
        return pixels
    image_module = _pillow()
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if image_module is None or (channels == 1 and pixels.ndim == 3):
        return _resample_numpy(pixels, width, height)  # type: ignore[no-any-return]
    np = _numpy()
    mode = _PILLOW_MODES[2 if channels == 1 else channels]
    h, w = pixels.shape[:2]
    source = np.ascontiguousarray(pixels)
    image = image_module.frombuffer(mode, (w, h), source, "raw", mode, 0, 1)
    resized = image.resize((width, height), image_module.Resampling.BILINEAR)
    return np.asarray(resized)  # type: ignore[no-any-return]


def paste_pixels(canvas: U8, image: U8, x: int, y: int) -> U8:
    """Copy ``image`` into ``canvas`` with its top-left corner at ``(x, y)``, clipped."""
    ch, cw = canvas.shape[:2]
    ih, iw = image.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + iw, cw), min(y + ih, ch)
    if x0 < x1 and y0 < y1:
        canvas[y0:y1, x0:x1] = image[y0 - y : y1 - y, x0 - x : x1 - x]
    return canvas
