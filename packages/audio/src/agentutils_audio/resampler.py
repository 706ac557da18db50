"""``AudioResampler``: streaming sample-rate conversion, and the one-shot ``resample``.

The API of ``livekit.rtc.AudioResampler`` (``push`` and ``flush``, frames of the input's
type out, bytes in giving :class:`AudioFrame` out) on pluggable backends (``soxr``,
``numpy``, ``python``; see :mod:`agentutils_audio.resampler_registry`).

The filter's state is carried across pushes: a stream pushed in any chunking gives the
samples of one push of the whole (to within 1 LSB), and nothing resets it but
:meth:`AudioResampler.flush`. Output sample 0 is aligned with input sample 0 (the
filter's delay is not in the output); ``flush()`` drains it, so a whole stream of ``n``
samples gives ``round(n * output_rate / input_rate)`` (±1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, overload

from agentutils_core import check_num_channels, check_sample_rate

from . import _frames
from .errors import FormatMismatchError
from .frame import AudioFrame
from .frame_like import FrameLike
from .pcm import pcm16_bytes
from .resampler_registry import get_resampler_backend
from .resamplers._design import QUALITIES

if TYPE_CHECKING:
    from .backend import BytesLike
    from .resampler_registry import ResamplerBackend, ResamplerStream

__all__ = ["RESAMPLER_QUALITIES", "AudioResampler", "ResamplerClosedError", "resample"]

F = TypeVar("F", bound=FrameLike)

RESAMPLER_QUALITIES: tuple[str, ...] = tuple(QUALITIES)
"""The quality names, lowest first: ``quick``, ``low``, ``medium``, ``high``, ``very_high``."""


class ResamplerClosedError(RuntimeError):
    """``push`` or ``flush`` was called on an :class:`AudioResampler` after ``close()``."""


def _quality(value: object) -> str:
    """The quality name of ``value``: a name, or an enum whose value is one (livekit's)."""
    name = getattr(value, "value", value)
    if not isinstance(name, str):
        raise TypeError(
            f"quality must be one of {', '.join(map(repr, RESAMPLER_QUALITIES))}, got {type(value).__name__}"
        )
    if name not in QUALITIES:
        raise ValueError(f"quality must be one of {', '.join(map(repr, RESAMPLER_QUALITIES))}, got {name!r}")
    return name


class AudioResampler:
    """Convert a stream of 16-bit PCM audio from one sample rate to another.

    Args:
        input_rate: the rate of the frames pushed, in Hz (a positive int).
        output_rate: the rate of the frames returned, in Hz (a positive int).
        num_channels: interleaved channels of the input and output.
        quality: ``"quick"``, ``"low"``, ``"medium"``, ``"high"`` (default) or
            ``"very_high"``, or a ``livekit.rtc.AudioResamplerQuality``; the README lists
            each one's passband and stopband.
        backend: a backend name (``"soxr"``, ``"numpy"``, ``"python"``, a plugin's) or
            object; by default the one named by ``AGENTUTILS_AUDIO_RESAMPLER``, else the
            available one with the highest priority.

    Raises:
        TypeError: a rate or the channel count is not an int, or ``quality`` is not a
            name.
        ValueError: a rate or the channel count is not positive, ``quality`` is unknown, or
            (``numpy``, ``python``) the ratio's reduced form needs a filter table of more
            than two million coefficients (48000 -> 47999 Hz: soxr handles those).
        agentutils_core.UnknownProviderError, agentutils_core.ProviderUnavailableError:
            the backend does not exist, or cannot run here.

    Example:
        >>> resampler = AudioResampler(48000, 16000)
        >>> out = resampler.push(AudioFrame(bytes(960 * 2), 48000, 1, 960)) + resampler.flush()
        >>> sum(f.samples_per_channel for f in out)
        320

    """

    def __init__(
        self,
        input_rate: int,
        output_rate: int,
        *,
        num_channels: int = 1,
        quality: str = "high",
        backend: str | ResamplerBackend | None = None,
    ) -> None:
        self._input_rate = check_sample_rate(input_rate, "input_rate")
        self._output_rate = check_sample_rate(output_rate, "output_rate")
        self._num_channels = check_num_channels(num_channels)
        self._quality = _quality(quality)
        self._backend = get_resampler_backend(backend)
        self._stream: ResamplerStream | None = None
        if input_rate != output_rate:
            self._stream = self._backend.open(input_rate, output_rate, num_channels, self._quality)
        self._frame_type: type[Any] = AudioFrame
        self._closed = False

    @property
    def input_rate(self) -> int:
        """The sample rate of the frames pushed, in Hz."""
        return self._input_rate

    @property
    def output_rate(self) -> int:
        """The sample rate of the frames returned, in Hz."""
        return self._output_rate

    @property
    def num_channels(self) -> int:
        """Interleaved channels of the input and output."""
        return self._num_channels

    @property
    def quality(self) -> str:
        """The quality name."""
        return self._quality

    @property
    def backend(self) -> ResamplerBackend:
        """The backend doing the work (unused when the rates are equal)."""
        return self._backend

    def _check_open(self, method: str) -> None:
        if self._closed:
            raise ResamplerClosedError(f"cannot {method}: expected an open resampler, got a closed one")

    def _input(self, data: object) -> BytesLike:
        """The samples of a frame or a buffer, checked against the resampler's format."""
        if hasattr(data, "sample_rate"):
            buf, sr, nch, _ = _frames.pcm(data)
            if sr != self._input_rate:
                raise FormatMismatchError(f"sample rate mismatch: expected {self._input_rate}, got {sr}")
            if nch != self._num_channels:
                raise FormatMismatchError(f"channel count mismatch: expected {self._num_channels}, got {nch}")
            self._frame_type = type(data)
            return buf
        buf = pcm16_bytes(data, "data")
        size = len(buf)
        if size % (2 * self._num_channels):
            raise ValueError(
                f"data must hold whole int16 samples for {self._num_channels} channel(s): expected a "
                f"multiple of {2 * self._num_channels} bytes, got {size}"
            )
        self._frame_type = AudioFrame
        return buf

    def _frames(self, data: bytes) -> list[Any]:
        if not data:
            return []
        spc = len(data) // (2 * self._num_channels)
        return [_frames.make(self._frame_type, data, self._output_rate, self._num_channels, spc)]

    @overload
    def push(self, data: bytes | bytearray | memoryview) -> list[AudioFrame]: ...

    @overload
    def push(self, data: F) -> list[F]: ...

    def push(self, data: object) -> list[Any]:
        """Resample ``data`` and return the output now complete (a list of 0 or 1 frame).

        Args:
            data: a frame of the resampler's rate and channel count (an
                :class:`AudioFrame`, a ``livekit.rtc.AudioFrame`` or another frame-like
                object), or raw interleaved int16 samples (bytes, bytearray, memoryview,
                an int16 array).

        Returns:
            Frames of the type pushed (:class:`AudioFrame` for raw samples). The output
            lags the input by half the filter's length; :meth:`flush` returns the rest.

        Raises:
            FormatMismatchError: the frame's sample rate or channel count differs from
                the resampler's.
            ValueError: raw data of a length that is not whole samples of every channel.
            TypeError: ``data`` is neither a frame nor a PCM16 buffer.
            ResamplerClosedError: the resampler was closed.

        """
        self._check_open("push")
        buf = self._input(data)
        out = bytes(buf) if self._stream is None else self._stream.push(buf)
        return self._frames(out)

    def flush(self) -> list[Any]:
        """Return the output still held by the filter, then start over for a new stream.

        Raises:
            ResamplerClosedError: the resampler was closed.

        """
        self._check_open("flush")
        if self._stream is None:
            return []
        return self._frames(self._stream.flush())

    def close(self) -> None:
        """Release the stream; later ``push``/``flush`` calls raise :class:`ResamplerClosedError`."""
        self._closed = True
        self._stream = None

    def __enter__(self) -> AudioResampler:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"AudioResampler(input_rate={self._input_rate}, output_rate={self._output_rate}, "
            f"num_channels={self._num_channels}, quality={self._quality!r}, backend={self._backend.name!r})"
        )


def resample(
    frame: F,
    output_rate: int,
    *,
    quality: str = "high",
    backend: str | ResamplerBackend | None = None,
) -> F:
    """Return ``frame`` converted to ``output_rate``, as one whole stream (``push`` then ``flush``).

    The result is a frame of the input's type holding ``round(n * output_rate /
    sample_rate)`` samples per channel (±1); a frame already at ``output_rate`` comes back
    as a copy.

    Raises:
        TypeError, ValueError: as :class:`AudioResampler`, for a bad rate or quality, or
            a ``frame`` that is not frame-like.

    """
    data, sr, nch, spc = _frames.pcm(frame)
    check_sample_rate(output_rate, "output_rate")
    resampler = AudioResampler(sr, output_rate, num_channels=nch, quality=quality, backend=backend)
    if resampler._stream is None:
        return _frames.make(type(frame), bytes(data), sr, nch, spc)
    out = resampler._stream.push(data) + resampler._stream.flush()
    return _frames.make(type(frame), out, output_rate, nch, len(out) // (2 * nch))
