"""``AudioFrame``: 16-bit signed interleaved PCM, API-compatible with ``livekit.rtc.AudioFrame``."""

from __future__ import annotations

from agentutils_core.checks import check_count, check_num_channels, check_sample_rate

from .pcm import pcm16_bytes

# Not typing.TYPE_CHECKING: building an AudioFrame needs no module but this one and pcm,
# so importing typing (milliseconds) is left to the code that needs it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from typing_extensions import Self

    from .frame_like import F as F, FrameLike as FrameLike

__all__ = ["AudioFrame", "FrameLike"]


def __getattr__(name: str) -> object:
    # FrameLike (a typing.Protocol) and F live in frame_like; still importable from here.
    if name in ("FrameLike", "F"):
        from . import frame_like

        return getattr(frame_like, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_SAMPLE_WIDTH = 2  # bytes in one int16 sample
# How a frame's buffer relates to its declared samples (the third item of its key).
_LONGER = 0  # it holds more bytes than declared
_EXACT = 1  # exactly the declared bytes, for good (bytes, memoryview: their size is fixed)
_EXACT_NOW = 2  # exactly the declared bytes when built: a bytearray, which can be resized
_KEYS: dict[tuple[int, int, int], tuple[int, int, int]] = {}
_MAX_KEYS = 4096


def _too_short(needed: int, num_channels: int, samples_per_channel: int, size: int) -> ValueError:
    return ValueError(
        f"data is too short: expected at least {needed} bytes "
        f"(num_channels {num_channels} * samples_per_channel {samples_per_channel} * 2), got {size}"
    )


class AudioFrame:
    r"""A frame of 16-bit signed PCM audio, channels interleaved.

    The same constructor, properties and methods as ``livekit.rtc.AudioFrame``, without
    livekit. ``data`` is shared, not copied: writing through :attr:`data` changes the
    buffer passed in (when it is writable).

    Args:
        data: the samples: bytes, bytearray, or any C-contiguous buffer of bytes or native
            int16 items (a memoryview, ``array('h')``, an int16 numpy array of any shape) of
            at least ``num_channels * samples_per_channel * 2`` bytes, of even length. Float
            or int32 samples are not PCM16: convert them with :func:`to_pcm16`.
        sample_rate: samples per second per channel (> 0).
        num_channels: interleaved channels (> 0).
        samples_per_channel: samples in each channel (>= 0).
        userdata: a dict of your own, kept with the frame (a new dict when omitted).

    Raises:
        TypeError: ``data`` is not a buffer or holds items other than bytes or int16, or a
            count is not an int.
        ValueError: ``data`` is too short or of odd length, a count is out of range, or the
            buffer is not C-contiguous.

    Example:
        >>> frame = AudioFrame(b"\x01\x00\x02\x00", 48000, 2, 1)
        >>> frame.data.tolist(), frame.duration
        ([1, 2], 2.0833333333333333e-05)

    """

    __slots__ = ("_data", "_key", "_num_channels", "_sample_rate", "_samples_per_channel", "_userdata")

    def __init__(
        self,
        data: bytes | bytearray | memoryview,
        sample_rate: int,
        num_channels: int,
        samples_per_channel: int,
        *,
        userdata: dict[str, Any] | None = None,
    ) -> None:
        buf = pcm16_bytes(data)
        check_sample_rate(sample_rate)
        check_num_channels(num_channels)
        check_count(samples_per_channel, "samples_per_channel")
        needed = num_channels * samples_per_channel * _SAMPLE_WIDTH
        size = len(buf)
        if size < needed:
            raise _too_short(needed, num_channels, samples_per_channel, size)
        if size % _SAMPLE_WIDTH:
            raise ValueError(f"data length must be a multiple of 2 (whole int16 samples), got {size} bytes")
        if userdata is not None and not isinstance(userdata, dict):
            raise TypeError(f"userdata must be a dict or None, got {type(userdata).__name__}")
        self._data = buf
        self._sample_rate = sample_rate
        self._num_channels = num_channels
        self._samples_per_channel = samples_per_channel
        self._userdata: dict[str, Any] | None = userdata  # created when first read
        # Read by the combine fast path in one C-level pass: the format, and whether the
        # buffer holds exactly the declared samples (so it can be joined as is).
        fit = _LONGER if size != needed else _EXACT_NOW if type(buf) is bytearray else _EXACT
        key = (sample_rate, num_channels, fit)
        # Interned, so that comparing the keys of many frames is an identity check.
        self._key = _KEYS.setdefault(key, key) if len(_KEYS) < _MAX_KEYS else key

    @classmethod
    def create(cls, sample_rate: int, num_channels: int, samples_per_channel: int) -> Self:
        """Return a frame of silence (zeroed, writable data) of the given format.

        Raises:
            TypeError, ValueError: as the constructor, for bad counts.

        """
        check_sample_rate(sample_rate)
        check_num_channels(num_channels)
        check_count(samples_per_channel, "samples_per_channel")
        size = num_channels * samples_per_channel * _SAMPLE_WIDTH
        return cls(bytearray(size), sample_rate, num_channels, samples_per_channel)

    @property
    def data(self) -> memoryview:
        """The whole buffer as a memoryview of int16 samples (writable if the buffer is)."""
        return memoryview(self._data).cast("B").cast("h")

    @property
    def sample_rate(self) -> int:
        """Samples per second, per channel."""
        return self._sample_rate

    @property
    def num_channels(self) -> int:
        """Number of interleaved channels."""
        return self._num_channels

    @property
    def samples_per_channel(self) -> int:
        """Number of samples in each channel."""
        return self._samples_per_channel

    @property
    def duration(self) -> float:
        """Length in seconds: ``samples_per_channel / sample_rate``."""
        return self._samples_per_channel / self._sample_rate

    @property
    def userdata(self) -> dict[str, Any]:
        """The dict of user data kept with the frame."""
        userdata = self._userdata
        if userdata is None:
            userdata = self._userdata = {}
        return userdata

    def to_wav_bytes(self) -> bytes:
        """Return the frame's declared samples as a complete WAV file (16-bit PCM).

        Raises:
            WavFormatError: (a ``ValueError``) the format cannot be described by a WAV
                header (see :func:`write_wav`); checked before anything is built.
            ValueError: the buffer was shrunk below the declared samples after the frame
                was built (only a bytearray can be).

        """
        import io

        from .wav import write_wav

        out = io.BytesIO()
        write_wav(out, self)
        return out.getvalue()

    def __repr__(self) -> str:
        return (
            f"AudioFrame(sample_rate={self._sample_rate}, num_channels={self._num_channels}, "
            f"samples_per_channel={self._samples_per_channel}, duration={self.duration:.3f})"
        )


def exact_buffers(frames: Sequence[Any]) -> tuple[list[Any], int, int] | None:
    """``(stored buffers, sample_rate, num_channels)`` of AudioFrames that can be joined as is, or None.

    The fast path of ``combine_frames``, owned here because it reads the frames' key:
    frames of one format whose buffer held exactly their samples when built share an
    interned key, so the check is an identity test per frame and the buffers are joined
    without a memoryview each. A bytearray may have been resized by its owner since, so
    its length is checked again. Anything else (another type in the list, a longer buffer,
    another format) returns None: the caller takes the general path, with the same result.
    """
    first = frames[0]
    if not isinstance(first, AudioFrame):
        return None
    sr, nch, fit = first._key
    if not fit:
        return None
    fixed = _KEYS.get((sr, nch, _EXACT))
    try:
        if fit == _EXACT:
            raw = [f._data for f in frames if f._key is fixed]
            if len(raw) == len(frames):
                return raw, sr, nch
        resizable = _KEYS.get((sr, nch, _EXACT_NOW))
        bps = 2 * nch
        raw = [
            f._data
            for f in frames
            if f._key is fixed or (f._key is resizable and len(f._data) == f._samples_per_channel * bps)
        ]
    except AttributeError:  # not all frames are ours
        return None
    return (raw, sr, nch) if len(raw) == len(frames) else None


def exact_frame_builder(
    sample_rate: int, num_channels: int, samples_per_channel: int
) -> Callable[[bytearray], AudioFrame]:
    """Return a function building AudioFrames from bytearrays of exactly the declared size, unchecked.

    The fast path of ``AudioByteStream``, owned here because it fills the frame's fields:
    the stream has validated the counts once and cuts buffers of exactly
    ``num_channels * samples_per_channel * 2`` bytes, so checking each frame again would
    only cost time (it was most of the cost of re-chunking a stream into 10 ms frames).
    """
    key = (sample_rate, num_channels, _EXACT_NOW)
    key = _KEYS.setdefault(key, key) if len(_KEYS) < _MAX_KEYS else key
    new = object.__new__

    def build(data: bytearray) -> AudioFrame:
        frame: AudioFrame = new(AudioFrame)
        frame._data = data
        frame._sample_rate = sample_rate
        frame._num_channels = num_channels
        frame._samples_per_channel = samples_per_channel
        frame._userdata = None
        frame._key = key
        return frame

    return build
