"""``AudioArrayBuffer``: a fixed-size numpy window of mono samples, fed by frames.

The behaviour of ``livekit.agents.utils.audio.AudioArrayBuffer`` (frames of another rate
are resampled to the buffer's, stereo is down-mixed by the mean, the oldest samples are
shifted out when it overflows), on :class:`AudioResampler` instead of livekit's. Needs
numpy (extra ``agentutils-audio[numpy]``), imported when a buffer is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentutils_core import check_count, check_sample_rate

from . import _frames
from .resampler import AudioResampler

if TYPE_CHECKING:
    from .frame_like import FrameLike

__all__ = ["AudioArrayBuffer"]


def _numpy() -> Any:
    try:
        import numpy
    except ImportError as exc:
        raise ImportError(f"AudioArrayBuffer needs numpy ({exc}); install agentutils-audio[numpy]") from exc
    return numpy


class AudioArrayBuffer:
    r"""A fixed-size window of the most recent mono samples, as a numpy array.

    Args:
        buffer_size: the window's length, in samples (an int >= 1).
        dtype: the numpy dtype of the window (``numpy.int16`` by default); samples keep
            their int16 values whatever the dtype (they are not scaled).
        sample_rate: the window's rate; frames of another rate are resampled to it
            (quality ``"quick"``, as upstream), those of several channels down-mixed by
            the mean (floor division).

    Raises:
        ImportError: numpy is not installed.
        TypeError, ValueError: ``buffer_size`` or ``sample_rate`` is not a positive int,
            or ``dtype`` is not a numpy dtype.

    Example:
        >>> buf = AudioArrayBuffer(buffer_size=4, sample_rate=16000)
        >>> buf.push_frame(AudioFrame(b"\x01\x00\x02\x00\x03\x00", 16000, 1, 3))
        3
        >>> buf.push_frame(AudioFrame(b"\x04\x00\x05\x00", 16000, 1, 2))
        2
        >>> buf.read().tolist(), len(buf)
        ([2, 3, 4, 5], 4)

    """

    def __init__(self, *, buffer_size: int, dtype: Any = "int16", sample_rate: int = 16000) -> None:
        np = _numpy()
        self._buffer_size = check_count(buffer_size, "buffer_size", minimum=1)
        self._sample_rate = check_sample_rate(sample_rate)
        try:
            self._dtype = np.dtype(dtype)
        except TypeError as exc:
            raise TypeError(f"dtype must be a numpy dtype, got {dtype!r} ({exc})") from None
        self._np = np
        self._buffer = np.zeros(self._buffer_size, dtype=self._dtype)
        self._start_idx = 0
        self._resampler: AudioResampler | None = None

    @property
    def buffer_size(self) -> int:
        """The window's length, in samples."""
        return self._buffer_size

    @property
    def sample_rate(self) -> int:
        """The window's sample rate, in Hz."""
        return self._sample_rate

    @property
    def dtype(self) -> Any:
        """The numpy dtype of the window."""
        return self._dtype

    def _samples(self, frame: FrameLike) -> tuple[bytes | bytearray | memoryview, int, int]:
        """The frame's samples at the buffer's rate: (int16 buffer, samples per channel, channels)."""
        data, sr, nch, spc = _frames.pcm(frame)
        if self._resampler is None and sr != self._sample_rate:
            self._resampler = AudioResampler(sr, self._sample_rate, num_channels=nch, quality="quick")
        if self._resampler is None:
            return data, spc, nch
        if sr != self._resampler.input_rate:
            raise ValueError(
                f"frame sample rates are inconsistent: expected {self._resampler.input_rate} "
                f"(the rate being resampled to {self._sample_rate}), got {sr}"
            )
        out = b"".join(bytes(f.data) for f in self._resampler.push(frame))
        return out, len(out) // (2 * nch), nch

    def push_frame(self, frame: FrameLike) -> int:
        """Append a frame's samples (resampled, down-mixed), shifting the oldest out if full.

        Returns:
            The samples written (0 while the resampler holds back the first input).

        Raises:
            ValueError: the frame holds more samples than the buffer after resampling,
                or its rate differs from the rate of the frames resampled before it.
            FormatMismatchError: its channel count differs from that of the frames
                resampled before it.
            TypeError: ``frame`` is not frame-like.

        """
        np = self._np
        data, samples, nch = self._samples(frame)
        if samples == 0:
            return 0
        if samples > self._buffer_size:
            sr = frame.sample_rate
            detail = f" after resampling {sr}Hz to {self._sample_rate}Hz" if self._resampler else ""
            raise ValueError(
                f"frame samples ({samples}{detail}) are greater than the buffer size ({self._buffer_size})"
            )
        overflow = self._start_idx + samples - self._buffer_size
        if overflow > 0:
            self.shift(overflow)
        pcm = np.frombuffer(data, dtype=np.int16, count=samples * nch)
        if nch > 1:
            pcm = pcm.reshape(samples, nch).sum(axis=1, dtype=np.int32) // nch
        self._buffer[self._start_idx : self._start_idx + samples] = pcm.astype(np.int16)
        self._start_idx += samples
        return samples

    def shift(self, size: int) -> None:
        """Drop the ``size`` oldest samples (all of them if fewer), moving the rest to the front.

        Raises:
            TypeError, ValueError: ``size`` is not an int >= 0.

        """
        size = min(check_count(size, "size"), self._start_idx)
        self._buffer[: self._start_idx - size] = self._buffer[size : self._start_idx].copy()
        self._start_idx -= size

    def read(self) -> Any:
        """Return a copy of the samples held, oldest first (a 1-D array of the buffer's dtype)."""
        return self._buffer[: self._start_idx].copy()

    def reset(self) -> None:
        """Empty the buffer (zeroing it) and forget the resampler and its input rate."""
        self._start_idx = 0
        self._buffer.fill(0)
        self._resampler = None

    def __len__(self) -> int:
        return self._start_idx

    def __repr__(self) -> str:
        return (
            f"AudioArrayBuffer(buffer_size={self._buffer_size}, dtype={self._dtype}, "
            f"sample_rate={self._sample_rate}, len={self._start_idx})"
        )
