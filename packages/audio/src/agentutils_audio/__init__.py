"""agentutils-audio: 16-bit PCM audio frames for realtime agents.

Frames compatible with ``livekit.rtc.AudioFrame`` (which works everywhere as input),
combine/mix/gain/remix/levels through pluggable backends (``python`` built in, ``numpy``
when installed, or a plugin's), a byte stream that re-chunks PCM into frames, and WAV
reading/writing. Importing this package imports neither numpy nor livekit.
"""

from __future__ import annotations

from .__about__ import __version__
from .array_buffer import AudioArrayBuffer
from .backend import BACKEND_ENV_VAR, AudioBackend, BytesLike, audio_backends, get_backend
from .backends import NumpyBackend, PythonBackend
from .byte_stream import AudioByteStream
from .combine import AudioBuffer, calculate_audio_duration, combine_frames, merge_frames
from .errors import FormatMismatchError, WavFormatError
from .frame import AudioFrame, FrameLike
from .levels import FULL_SCALE, AudioLevels
from .ops import apply_gain, frame_levels, mix_frames, remix_frame, silence_frame, silence_frame_like
from .pcm import to_pcm16
from .resampler import RESAMPLER_QUALITIES, AudioResampler, ResamplerClosedError, resample
from .resampler_registry import RESAMPLER_ENV_VAR, ResamplerBackend, audio_resamplers, get_resampler_backend
from .resamplers import NumpyResampler, PythonResampler, SoxrResampler
from .wav import WavSource, read_wav, write_wav

__all__ = [
    "BACKEND_ENV_VAR",
    "FULL_SCALE",
    "RESAMPLER_ENV_VAR",
    "RESAMPLER_QUALITIES",
    "AudioArrayBuffer",
    "AudioBackend",
    "AudioBuffer",
    "AudioByteStream",
    "AudioFrame",
    "AudioLevels",
    "AudioResampler",
    "BytesLike",
    "FormatMismatchError",
    "FrameLike",
    "NumpyBackend",
    "NumpyResampler",
    "PythonBackend",
    "PythonResampler",
    "ResamplerBackend",
    "ResamplerClosedError",
    "SoxrResampler",
    "WavFormatError",
    "WavSource",
    "__version__",
    "apply_gain",
    "audio_backends",
    "audio_resamplers",
    "calculate_audio_duration",
    "combine_frames",
    "frame_levels",
    "get_backend",
    "get_resampler_backend",
    "merge_frames",
    "mix_frames",
    "read_wav",
    "remix_frame",
    "resample",
    "silence_frame",
    "silence_frame_like",
    "to_pcm16",
    "write_wav",
]
