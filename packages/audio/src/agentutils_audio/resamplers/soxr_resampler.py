"""The ``soxr`` resampler: python-soxr's streaming ``ResampleStream``.

soxr and numpy are imported when a stream is opened, never when this module is imported.
The stream runs in float32: soxr's int16 output is dithered (random), so a stream pushed
in chunks would not give the samples of one push; converting here keeps it deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..backend import BytesLike

__all__ = ["SOXR_QUALITIES", "SoxrResampler", "SoxrResamplerStream"]

SOXR_QUALITIES = {"quick": "LQ", "low": "LQ", "medium": "MQ", "high": "HQ", "very_high": "VHQ"}
"""The soxr recipe of each quality. ``"quick"`` is soxr's ``LQ``: soxr's ``QQ`` (cubic
interpolation) gives about 45 dB SNR for a 1 kHz tone at 8 -> 16 kHz, below the 60 dB
that ``"quick"`` promises."""

_SCALE = 32768.0


class SoxrResamplerStream:
    """One stream of the ``soxr`` resampler."""

    def __init__(self, input_rate: int, output_rate: int, num_channels: int, quality: str) -> None:
        import importlib

        import numpy as np

        # Through importlib: python-soxr is optional, and absent where the types are checked.
        soxr: Any = importlib.import_module("soxr")
        self._np = np
        self._num_channels = num_channels
        self._stream: Any = soxr.ResampleStream(
            input_rate, output_rate, num_channels, dtype="float32", quality=SOXR_QUALITIES[quality]
        )
        self._empty = np.zeros((0, num_channels), dtype=np.float32)

    def _pcm(self, out: Any) -> bytes:
        np = self._np
        if not len(out):
            return b""
        out *= _SCALE
        np.rint(out, out=out)
        np.clip(out, -32768, 32767, out=out)
        return bytes(out.astype(np.int16).data)

    def push(self, data: BytesLike) -> bytes:
        """Take whole interleaved int16 samples; return the outputs soxr has ready."""
        np = self._np
        samples = np.frombuffer(data, dtype=np.int16).reshape(-1, self._num_channels)
        if not len(samples):
            return b""
        chunk = samples.astype(np.float32)
        chunk *= 1.0 / _SCALE
        return self._pcm(self._stream.resample_chunk(chunk))

    def flush(self) -> bytes:
        """Return the remaining outputs, then start a new stream."""
        out = self._pcm(self._stream.resample_chunk(self._empty, last=True))
        self._stream.clear()
        return out


class SoxrResampler:
    """Resampler backend on python-soxr (extra ``agentutils-audio[soxr]``).

    The libsoxr that ``livekit.rtc.AudioResampler`` wraps, without livekit. Its filters
    are soxr's own (see :data:`SOXR_QUALITIES`); outputs agree with the ``numpy``
    backend's within the README's tolerance.

    Attributes:
        name: ``"soxr"``.
        priority: ``20`` (preferred when installed: the fastest).

    """

    name = "soxr"
    priority = 20

    def is_available(self) -> bool:
        """Whether soxr and numpy import."""
        return self.unavailable_reason() is None

    def unavailable_reason(self) -> str | None:
        """Why the backend cannot run here, or ``None`` when it can."""
        try:
            import importlib

            import numpy  # noqa: F401

            importlib.import_module("soxr")
        except ImportError as exc:
            return f"soxr is not installed ({exc}); install agentutils-audio[soxr]"
        return None

    def open(self, input_rate: int, output_rate: int, num_channels: int, quality: str) -> SoxrResamplerStream:
        """Return a new stream converting ``input_rate`` to ``output_rate``."""
        return SoxrResamplerStream(input_rate, output_rate, num_channels, quality)
