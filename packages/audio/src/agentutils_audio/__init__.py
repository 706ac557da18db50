"""agentutils-audio: 16-bit PCM audio frames for realtime agents.

Frames compatible with ``livekit.rtc.AudioFrame`` (which works everywhere as input),
combine/mix/gain/remix/levels through pluggable backends (``python`` built in, ``numpy``
when installed, or a plugin's), a byte stream that re-chunks PCM into frames, and WAV
reading/writing. Importing this package imports neither numpy nor livekit, nor the
plugin machinery: public names are resolved on first use, and the backend registry (and
pluggy) load when a backend is first needed. Building an ``AudioFrame`` needs neither.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from .array_buffer import AudioArrayBuffer as AudioArrayBuffer
    from .backend import (
        BACKEND_ENV_VAR as BACKEND_ENV_VAR,
        AudioBackend as AudioBackend,
        BytesLike as BytesLike,
        audio_backends as audio_backends,
        get_backend as get_backend,
    )
    from .backends import NumpyBackend as NumpyBackend, PythonBackend as PythonBackend
    from .byte_stream import AudioByteStream as AudioByteStream
    from .combine import (
        AudioBuffer as AudioBuffer,
        calculate_audio_duration as calculate_audio_duration,
        combine_frames as combine_frames,
        merge_frames as merge_frames,
    )
    from .errors import FormatMismatchError as FormatMismatchError, WavFormatError as WavFormatError
    from .frame import AudioFrame as AudioFrame
    from .frame_like import FrameLike as FrameLike
    from .levels import FULL_SCALE as FULL_SCALE, AudioLevels as AudioLevels
    from .ops import (
        apply_gain as apply_gain,
        frame_levels as frame_levels,
        mix_frames as mix_frames,
        remix_frame as remix_frame,
        silence_frame as silence_frame,
        silence_frame_like as silence_frame_like,
    )
    from .pcm import to_pcm16 as to_pcm16
    from .resampler import (
        RESAMPLER_QUALITIES as RESAMPLER_QUALITIES,
        AudioResampler as AudioResampler,
        ResamplerClosedError as ResamplerClosedError,
        resample as resample,
    )
    from .resampler_registry import (
        RESAMPLER_ENV_VAR as RESAMPLER_ENV_VAR,
        ResamplerBackend as ResamplerBackend,
        audio_resamplers as audio_resamplers,
        get_resampler_backend as get_resampler_backend,
    )
    from .resamplers import (
        NumpyResampler as NumpyResampler,
        PythonResampler as PythonResampler,
        SoxrResampler as SoxrResampler,
    )
    from .wav import WavSource as WavSource, read_wav as read_wav, write_wav as write_wav

_EXPORTS = {
    "AudioArrayBuffer": ".array_buffer:AudioArrayBuffer",
    "BACKEND_ENV_VAR": ".backend:BACKEND_ENV_VAR",
    "AudioBackend": ".backend:AudioBackend",
    "BytesLike": ".backend:BytesLike",
    "audio_backends": ".backend:audio_backends",
    "get_backend": ".backend:get_backend",
    "NumpyBackend": ".backends:NumpyBackend",
    "PythonBackend": ".backends:PythonBackend",
    "AudioByteStream": ".byte_stream:AudioByteStream",
    "AudioBuffer": ".combine:AudioBuffer",
    "calculate_audio_duration": ".combine:calculate_audio_duration",
    "combine_frames": ".combine:combine_frames",
    "merge_frames": ".combine:merge_frames",
    "FormatMismatchError": ".errors:FormatMismatchError",
    "WavFormatError": ".errors:WavFormatError",
    "AudioFrame": ".frame:AudioFrame",
    "FrameLike": ".frame_like:FrameLike",
    "FULL_SCALE": ".levels:FULL_SCALE",
    "AudioLevels": ".levels:AudioLevels",
    "apply_gain": ".ops:apply_gain",
    "frame_levels": ".ops:frame_levels",
    "mix_frames": ".ops:mix_frames",
    "remix_frame": ".ops:remix_frame",
    "silence_frame": ".ops:silence_frame",
    "silence_frame_like": ".ops:silence_frame_like",
    "to_pcm16": ".pcm:to_pcm16",
    "RESAMPLER_QUALITIES": ".resampler:RESAMPLER_QUALITIES",
    "AudioResampler": ".resampler:AudioResampler",
    "ResamplerClosedError": ".resampler:ResamplerClosedError",
    "resample": ".resampler:resample",
    "RESAMPLER_ENV_VAR": ".resampler_registry:RESAMPLER_ENV_VAR",
    "ResamplerBackend": ".resampler_registry:ResamplerBackend",
    "audio_resamplers": ".resampler_registry:audio_resamplers",
    "get_resampler_backend": ".resampler_registry:get_resampler_backend",
    "NumpyResampler": ".resamplers:NumpyResampler",
    "PythonResampler": ".resamplers:PythonResampler",
    "SoxrResampler": ".resamplers:SoxrResampler",
    "WavSource": ".wav:WavSource",
    "read_wav": ".wav:read_wav",
    "write_wav": ".wav:write_wav",
}

__all__ = exports(__name__, globals(), _EXPORTS)
