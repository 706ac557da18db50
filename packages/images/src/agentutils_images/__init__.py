"""agentutils-images: encode video frames for vision models, with pluggable encoders.

A :class:`VideoFrame` type compatible with ``livekit.rtc.VideoFrame`` (which is accepted
everywhere a frame is), colour conversions in numpy (:func:`convert`), and
:func:`encode` / :func:`encode_async` with upstream's :class:`EncodeOptions` and
:class:`ResizeOptions`. Encoders are plugins: ``pillow`` (JPEG, PNG, WEBP) and
``simplejpeg`` (JPEG from I420 planes, no RGB conversion) are built in. Importing this
package imports neither numpy, Pillow, simplejpeg nor livekit.
"""

from __future__ import annotations

from .__about__ import __version__
from .convert import PACKED_ORDER, convert, packed_pixels, to_rgb, yuv420_planes, yuv420_to_rgb
from .encode import EncodeOptions, encode, encode_async
from .encoder_registry import (
    ENCODER_ENV_VAR,
    ENCODER_HOOK,
    ImageEncoder,
    check_encoder,
    get_encoder,
    image_encoders,
    normalize_format,
)
from .encoders import PillowEncoder, SimpleJpegEncoder
from .errors import InvalidFrameError, UnsupportedFormatError
from .frame import BufferTypeLike, FrameLike, VideoBufferType, VideoFrame, as_frame, buffer_type, frame_size
from .raw_image import RawImage, prepare
from .resize import ResizeOptions, ResizePlan, ResizeStrategy, paste, resample, resize_plan

__all__ = [
    "ENCODER_ENV_VAR",
    "ENCODER_HOOK",
    "PACKED_ORDER",
    "BufferTypeLike",
    "EncodeOptions",
    "FrameLike",
    "ImageEncoder",
    "InvalidFrameError",
    "PillowEncoder",
    "RawImage",
    "ResizeOptions",
    "ResizePlan",
    "ResizeStrategy",
    "SimpleJpegEncoder",
    "UnsupportedFormatError",
    "VideoBufferType",
    "VideoFrame",
    "__version__",
    "as_frame",
    "buffer_type",
    "check_encoder",
    "convert",
    "encode",
    "encode_async",
    "frame_size",
    "get_encoder",
    "image_encoders",
    "normalize_format",
    "packed_pixels",
    "paste",
    "prepare",
    "resample",
    "resize_plan",
    "to_rgb",
    "yuv420_planes",
    "yuv420_to_rgb",
]
