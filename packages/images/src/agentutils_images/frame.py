"""``VideoFrame``: raw video frames as cameras and livekit produce them, validated.

The constructor and properties are those of ``livekit.rtc.VideoFrame``; the buffer types
keep livekit's numbers, so ``VideoBufferType(lk_frame.type)`` works. Anything with
``width``, ``height``, ``type`` and ``data`` (a ``livekit.rtc.VideoFrame``) is accepted
wherever a frame is, through :func:`as_video_frame`, without copying its pixels.
"""

from __future__ import annotations

import enum
from typing import Any, Protocol, runtime_checkable

from .errors import InvalidFrameError

__all__ = [
    "BufferTypeLike",
    "VideoBufferType",
    "VideoFrame",
    "VideoFrameLike",
    "as_video_frame",
    "buffer_type",
    "video_frame_size",
]


class VideoBufferType(enum.IntEnum):
    """The pixel layouts a frame may have, numbered as livekit numbers them.

    Packed types hold whole pixels in memory order: ``RGBA`` is red, green, blue, alpha
    bytes. ``I420`` is a full-size Y plane then quarter-size U and V planes; ``NV12`` is a
    Y plane then one quarter-size plane of interleaved U, V pairs. Both are BT.601
    limited range, as livekit and most cameras produce them.
    """

    RGBA = 0
    ABGR = 1
    ARGB = 2
    BGRA = 3
    RGB24 = 4
    I420 = 5
    NV12 = 10

    @property
    def is_yuv420(self) -> bool:
        """Whether the type is a 4:2:0 planar type (``I420`` or ``NV12``)."""
        return self in (VideoBufferType.I420, VideoBufferType.NV12)

    @property
    def bytes_per_pixel(self) -> int:
        """Bytes per pixel of a packed type; 0 for the planar ones."""
        return 0 if self.is_yuv420 else 3 if self is VideoBufferType.RGB24 else 4


BufferTypeLike = VideoBufferType | str | int
"""A buffer type as accepted everywhere: the enum, its name (``"I420"``) or livekit's number."""

# livekit's buffer types that this package does not read, for clear messages.
_LIVEKIT_ONLY = {6: "I420A", 7: "I422", 8: "I444", 9: "I010"}
_SUPPORTED = ", ".join(t.name for t in VideoBufferType)


def buffer_type(value: object) -> VideoBufferType:
    """Read a buffer type given as a :class:`VideoBufferType`, its name or livekit's number.

    Names are case-insensitive (``"i420"``). livekit's ``VideoBufferType.I420`` is the int
    5, and is read as ``VideoBufferType.I420``.

    Raises:
        InvalidFrameError: an unknown name or number, or a livekit type this package does
            not read (``I420A``, ``I422``, ``I444``, ``I010``).
        TypeError: neither a str nor an int.

    """
    if isinstance(value, VideoBufferType):
        return value
    if isinstance(value, str):
        member = VideoBufferType.__members__.get(value.upper())
        if member is None:
            raise InvalidFrameError(f"unknown video buffer type {value!r}; expected one of {_SUPPORTED}")
        return member
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return VideoBufferType(value)
        except ValueError:
            name = _LIVEKIT_ONLY.get(value)
            what = f"livekit's {name} ({value}) is not supported" if name else f"unknown number {value}"
            raise InvalidFrameError(f"video buffer type: {what}; expected one of {_SUPPORTED}") from None
    raise TypeError(
        "video buffer type must be a VideoBufferType, its name or livekit's number, "
        f"got {type(value).__name__}"
    )


def video_frame_size(type: VideoBufferType, width: int, height: int) -> int:
    """Bytes a frame of ``type`` and these dimensions holds."""
    if type.is_yuv420:
        return width * height * 3 // 2
    return width * height * type.bytes_per_pixel


def _dimension(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value <= 0:
        raise InvalidFrameError(f"{name} must be greater than 0, got {value}")
    return value


def _byte_view(data: object) -> memoryview:
    try:
        view = memoryview(data)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"data must be a bytes-like object, got {type(data).__name__}") from None
    if not view.c_contiguous:
        raise InvalidFrameError("data must be a C-contiguous buffer")
    return view if view.format == "B" and view.ndim == 1 else view.cast("B")


@runtime_checkable
class VideoFrameLike(Protocol):
    """Anything that looks like a video frame: :class:`VideoFrame`, ``livekit.rtc.VideoFrame``."""

    @property
    def width(self) -> int:
        """Width in pixels."""
        ...

    @property
    def height(self) -> int:
        """Height in pixels."""
        ...

    @property
    def type(self) -> Any:
        """The buffer type: a :class:`VideoBufferType`, its name, or livekit's number."""
        ...

    @property
    def data(self) -> Any:
        """The pixels, as a bytes-like object."""
        ...


class VideoFrame:
    """A raw video frame: dimensions, buffer type and pixels, validated when built.

    The same constructor and properties as ``livekit.rtc.VideoFrame``, without livekit.
    The data is shared, not copied; bytes past what the type needs are ignored.

    Args:
        width: width in pixels (> 0).
        height: height in pixels (> 0); both even for ``I420`` and ``NV12``.
        type: a :class:`VideoBufferType`, its name (``"I420"``) or livekit's number.
        data: the pixels: bytes, bytearray, memoryview or any C-contiguous buffer.

    Raises:
        InvalidFrameError: an unknown type, data shorter than the type needs, odd
            dimensions for a 4:2:0 type, or a dimension below 1.
        TypeError: a dimension that is not an int, data that is not a buffer.

    Example:
        >>> frame = VideoFrame(2, 2, "I420", bytes([16] * 4 + [128, 128]))
        >>> frame.type.name, len(frame.data)
        ('I420', 6)

    """

    __slots__ = ("_data", "_height", "_type", "_width")

    def __init__(self, width: int, height: int, type: BufferTypeLike, data: Any) -> None:
        self._width = _dimension("width", width)
        self._height = _dimension("height", height)
        self._type = buffer_type(type)
        if self._type.is_yuv420 and (width % 2 or height % 2):
            raise InvalidFrameError(
                f"{self._type.name} frames need an even width and height, got {width}x{height}"
            )
        view = _byte_view(data)
        needed = video_frame_size(self._type, width, height)
        if view.nbytes < needed:
            raise InvalidFrameError(
                f"data is too short for a {width}x{height} {self._type.name} frame: "
                f"expected at least {needed} bytes, got {view.nbytes}"
            )
        self._data = view[:needed]

    @property
    def width(self) -> int:
        """Width in pixels."""
        return self._width

    @property
    def height(self) -> int:
        """Height in pixels."""
        return self._height

    @property
    def type(self) -> VideoBufferType:
        """The buffer type."""
        return self._type

    @property
    def data(self) -> memoryview:
        """The pixels, exactly as many bytes as the type and dimensions need."""
        return self._data

    def get_plane(self, plane_nth: int) -> memoryview | None:
        """Return plane ``plane_nth`` (Y, U, V for ``I420``; Y, UV for ``NV12``), or None.

        A packed type has one plane, the whole buffer.
        """
        w, h = self._width, self._height
        if self._type is VideoBufferType.I420:
            sizes = [w * h, w * h // 4, w * h // 4]
        elif self._type is VideoBufferType.NV12:
            sizes = [w * h, w * h // 2]
        else:
            sizes = [self._data.nbytes]
        if not 0 <= plane_nth < len(sizes):
            return None
        start = sum(sizes[:plane_nth])
        return self._data[start : start + sizes[plane_nth]]

    def convert(self, type: BufferTypeLike) -> VideoFrame:
        """Return this frame converted to ``type`` (see :func:`agentutils_images.convert`)."""
        from .conversions import convert

        return convert(self, type)

    def __repr__(self) -> str:
        return f"VideoFrame(width={self._width}, height={self._height}, type={self._type.name})"


def as_video_frame(frame: object) -> VideoFrame:
    """Return ``frame`` as a :class:`VideoFrame`, sharing its pixels.

    Accepts a :class:`VideoFrame` (returned as is) or any :class:`VideoFrameLike` object, such as
    a ``livekit.rtc.VideoFrame``, which is validated as a new frame would be.

    Raises:
        TypeError: ``frame`` has no ``width``, ``height``, ``type`` and ``data``.
        InvalidFrameError: as :class:`VideoFrame` does.

    """
    if isinstance(frame, VideoFrame):
        return frame
    if not isinstance(frame, VideoFrameLike):
        raise TypeError(
            "expected a VideoFrame or a livekit.rtc.VideoFrame "
            f"(width, height, type, data), got {type(frame).__name__}"
        )
    return VideoFrame(frame.width, frame.height, frame.type, frame.data)
