"""Real encoded audio made with PyAV in the tests (no binary fixtures)."""

from __future__ import annotations

import io
from array import array
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Encoded:
    """An encoded clip and what it was made from."""

    name: str
    data: bytes
    mime: str
    frame_size: int  # samples per channel in one codec frame
    priming: int  # encoder delay the format cannot signal (raw ADTS), decoded as extra samples
    channels: int
    rate: int
    source_samples: int  # per channel


# name: (container, codec, layout, codec options, muxer options, MIME type, frame size, priming)
FORMATS: dict[str, tuple[str, str, str, dict[str, str], dict[str, str], str, int, int]] = {
    "mp3": ("mp3", "libmp3lame", "mono", {}, {}, "audio/mpeg", 1152, 0),
    # ADTS has no field for the encoder's 1024 priming samples: every decoder outputs them.
    "aac": ("adts", "aac", "mono", {}, {}, "audio/aac", 1024, 1024),
    # Streaming providers send small ogg pages; FFmpeg's default is one page a second.
    "opus": ("ogg", "libopus", "mono", {}, {"page_duration": "20000"}, "audio/ogg", 960, 0),
    "vorbis": ("ogg", "vorbis", "stereo", {"strict": "-2"}, {"page_duration": "20000"}, "audio/ogg", 2048, 0),
    "flac": ("flac", "flac", "mono", {}, {}, "audio/flac", 4608, 0),
    "webm": ("webm", "libopus", "mono", {}, {}, "audio/webm", 960, 0),
}


def encode(name: str, samples: list[int], rate: int = 48000) -> Encoded:
    """Encode mono int16 ``samples`` at ``rate`` in the format ``name`` of :data:`FORMATS`."""
    import av

    container, codec, layout, options, muxer_options, mime, frame_size, priming = FORMATS[name]
    channels = 2 if layout == "stereo" else 1
    buf = io.BytesIO()
    with av.open(buf, "w", format=container, options=muxer_options) as out:
        stream: Any = out.add_stream(codec, rate=rate, options=options)
        stream.layout = layout
        for start in range(0, len(samples), 1024):
            block = samples[start : start + 1024]
            interleaved = [v for v in block for _ in range(channels)]
            frame = av.AudioFrame(format="s16", layout=layout, samples=len(block))
            frame.planes[0].update(array("h", interleaved).tobytes())
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return Encoded(name, buf.getvalue(), mime, frame_size, priming, channels, rate, len(samples))


def decode_whole(data: bytes) -> list[int]:
    """Decode a whole file with PyAV (seekable input, default options) to interleaved int16."""
    import av

    out: list[int] = []
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        resampler = None
        for frame in container.decode(stream):
            if resampler is None:
                resampler = av.AudioResampler(format="s16", layout=frame.layout, rate=frame.sample_rate)
            for f in resampler.resample(frame):
                size = f.samples * len(f.layout.channels) * 2
                out.extend(array("h", bytes(f.planes[0])[:size]))
        if resampler is not None:
            for f in resampler.resample(None):
                size = f.samples * len(f.layout.channels) * 2
                out.extend(array("h", bytes(f.planes[0])[:size]))
    return out
