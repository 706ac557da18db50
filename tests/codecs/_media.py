"""Helpers shared by the agentutils-codecs tests: WAV files built byte by byte, sines, decoding."""

from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Iterator, Sequence

from agentutils_codecs import AudioStreamDecoder


def sine(n: int, rate: int, freq: float = 440.0, amp: float = 0.5, channels: int = 1) -> list[int]:
    """Interleaved int16 samples of a sine (every channel alike)."""
    out = []
    for i in range(n):
        v = round(amp * 32767 * math.sin(2 * math.pi * freq * i / rate))
        out.extend([v] * channels)
    return out


def pcm16(samples: Sequence[int]) -> bytes:
    return array("h", samples).tobytes()


def chunk(tag: bytes, body: bytes, *, size: int | None = None, pad: bool = True) -> bytes:
    """A RIFF chunk: id, size (the body's unless given), body, and the pad byte of an odd body."""
    declared = len(body) if size is None else size
    return tag + struct.pack("<I", declared) + body + (b"\0" if pad and len(body) % 2 else b"")


def fmt_body(tag: int, channels: int, rate: int, bits: int, *, extensible_tag: int | None = None) -> bytes:
    block = channels * bits // 8
    base = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if extensible_tag is None:
        return base
    guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    return base + struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", extensible_tag) + guid_tail


def riff(*chunks: bytes, size: int | None = None) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body) if size is None else size) + body


def wav16(samples: Sequence[int], rate: int = 16000, channels: int = 1, **sizes: int) -> bytes:
    """A 16-bit PCM WAV file; ``data_size=``/``riff_size=`` override the declared sizes."""
    data = pcm16(samples)
    return riff(
        chunk(b"fmt ", fmt_body(1, channels, rate, 16)),
        chunk(b"data", data, size=sizes.get("data_size")),
        size=sizes.get("riff_size"),
    )


def splits(data: bytes, sizes: Sequence[int]) -> Iterator[bytes]:
    """Cut ``data`` into pieces of the given sizes, cycling through them."""
    pos, i = 0, 0
    while pos < len(data):
        n = max(1, sizes[i % len(sizes)])
        yield data[pos : pos + n]
        pos += n
        i += 1


async def decode_all(chunks: Iterator[bytes] | list[bytes], **kwargs: object) -> list[object]:
    """Push every chunk, end the input, and return the frames (sample_rate=None by default)."""
    kwargs.setdefault("sample_rate", None)
    kwargs.setdefault("num_channels", None)
    decoder = AudioStreamDecoder(**kwargs)  # type: ignore[arg-type]
    for c in chunks:
        decoder.push(c)
    decoder.end_input()
    return [f async for f in decoder]


def samples_of(frames: list[object]) -> list[int]:
    out: list[int] = []
    for f in frames:
        out.extend(f.data.tolist())  # type: ignore[attr-defined]
    return out


async def consume(decoder: AudioStreamDecoder, into: list[int]) -> None:
    """Iterate ``decoder`` to its end, collecting the samples (for ``pytest.raises`` blocks)."""
    async for frame in decoder:
        into.extend(frame.data.tolist())
