"""Exceptions raised by agentutils-audio."""

from __future__ import annotations

__all__ = ["FormatMismatchError", "WavFormatError"]


class FormatMismatchError(ValueError):
    """Frames that must share a format (sample rate, channels, length) do not.

    A ``ValueError`` subclass, so code written for ``livekit.rtc.combine_audio_frames``
    (which raises ``ValueError``) keeps working.
    """


class WavFormatError(ValueError):
    """A WAV file is corrupt, truncated, or not 16-bit integer PCM."""
