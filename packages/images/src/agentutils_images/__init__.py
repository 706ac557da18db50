"""agentutils-images: encode video frames for vision models, with pluggable encoders.

A :class:`VideoFrame` type compatible with ``livekit.rtc.VideoFrame`` (which is accepted
everywhere a frame is), colour conversions in numpy (:func:`convert`), and
:func:`encode` / :func:`encode_async` with upstream's :class:`EncodeOptions` and
:class:`ResizeOptions`. Encoders are plugins: ``pillow`` (JPEG, PNG, WEBP) and
``simplejpeg`` (JPEG from I420 planes, no RGB conversion) are built in. Importing this
package imports neither numpy, Pillow, simplejpeg nor livekit; public names are resolved
on first use.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from .conversions import (
        PACKED_ORDER as PACKED_ORDER,
        convert as convert,
        packed_pixels as packed_pixels,
        to_rgb as to_rgb,
        yuv420_planes as yuv420_planes,
        yuv420_to_rgb as yuv420_to_rgb,
    )
    from .encoder_registry import (
        ENCODER_ENV_VAR as ENCODER_ENV_VAR,
        ENCODER_HOOK as ENCODER_HOOK,
        ImageEncoder as ImageEncoder,
        check_encoder as check_encoder,
        get_encoder as get_encoder,
        image_encoders as image_encoders,
        normalize_format as normalize_format,
    )
    from .encoders import (
        PillowEncoder as PillowEncoder,
        SimpleJpegEncoder as SimpleJpegEncoder,
    )
    from .encoding import (
        EncodeOptions as EncodeOptions,
        EncodeOptionsLike as EncodeOptionsLike,
        encode as encode,
        encode_async as encode_async,
    )
    from .errors import (
        InvalidFrameError as InvalidFrameError,
        UnsupportedFormatError as UnsupportedFormatError,
    )
    from .frame import (
        BufferTypeLike as BufferTypeLike,
        VideoBufferType as VideoBufferType,
        VideoFrame as VideoFrame,
        VideoFrameLike as VideoFrameLike,
        as_video_frame as as_video_frame,
        buffer_type as buffer_type,
        video_frame_size as video_frame_size,
    )
    from .raw_image import (
        RawImage as RawImage,
        prepare_image as prepare_image,
    )
    from .resize import (
        ResizeOptions as ResizeOptions,
        ResizePlan as ResizePlan,
        ResizeStrategy as ResizeStrategy,
        paste_pixels as paste_pixels,
        resample_pixels as resample_pixels,
        resize_plan as resize_plan,
    )

_EXPORTS = {
    "PACKED_ORDER": ".conversions:PACKED_ORDER",
    "convert": ".conversions:convert",
    "packed_pixels": ".conversions:packed_pixels",
    "to_rgb": ".conversions:to_rgb",
    "yuv420_planes": ".conversions:yuv420_planes",
    "yuv420_to_rgb": ".conversions:yuv420_to_rgb",
    "EncodeOptions": ".encoding:EncodeOptions",
    "EncodeOptionsLike": ".encoding:EncodeOptionsLike",
    "encode": ".encoding:encode",
    "encode_async": ".encoding:encode_async",
    "ENCODER_ENV_VAR": ".encoder_registry:ENCODER_ENV_VAR",
    "ENCODER_HOOK": ".encoder_registry:ENCODER_HOOK",
    "ImageEncoder": ".encoder_registry:ImageEncoder",
    "check_encoder": ".encoder_registry:check_encoder",
    "get_encoder": ".encoder_registry:get_encoder",
    "image_encoders": ".encoder_registry:image_encoders",
    "normalize_format": ".encoder_registry:normalize_format",
    "PillowEncoder": ".encoders:PillowEncoder",
    "SimpleJpegEncoder": ".encoders:SimpleJpegEncoder",
    "InvalidFrameError": ".errors:InvalidFrameError",
    "UnsupportedFormatError": ".errors:UnsupportedFormatError",
    "BufferTypeLike": ".frame:BufferTypeLike",
    "VideoFrameLike": ".frame:VideoFrameLike",
    "VideoBufferType": ".frame:VideoBufferType",
    "VideoFrame": ".frame:VideoFrame",
    "as_video_frame": ".frame:as_video_frame",
    "buffer_type": ".frame:buffer_type",
    "video_frame_size": ".frame:video_frame_size",
    "RawImage": ".raw_image:RawImage",
    "prepare_image": ".raw_image:prepare_image",
    "ResizeOptions": ".resize:ResizeOptions",
    "ResizePlan": ".resize:ResizePlan",
    "ResizeStrategy": ".resize:ResizeStrategy",
    "paste_pixels": ".resize:paste_pixels",
    "resample_pixels": ".resize:resample_pixels",
    "resize_plan": ".resize:resize_plan",
}

__all__ = exports(__name__, globals(), _EXPORTS)
