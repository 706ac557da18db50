"""agentutils-audio vs livekit: combine frames, and the backends' sample arithmetic.

Rows "vs reference" put ``livekit.rtc.combine_audio_frames`` in the reference column;
rows "vs b''.join" put a plain join of the raw buffers there (the memcpy bound: a ratio
of 0.5 is half its throughput); rows "numpy vs python" put the python backend there
(the ratio is how many times faster numpy is).

The machine is shared, so the cases compared are timed in interleaved rounds (each
round times every case once) and the medians over the rounds are reported.
"""

from __future__ import annotations

import gc
import os
import random
from array import array
from collections.abc import Callable
from typing import Any

import agentutils_audio as au
from _common import Row, interleaved, print_rows


def _pcm(samples: int, rng: random.Random) -> bytes:
    return array("h", [rng.randint(-32768, 32767) for _ in range(samples)]).tobytes()


def _combine_rows(label: str, count: int, samples_per_channel: int, targets: bool) -> list[Row]:
    from livekit import rtc

    rng = random.Random(1)
    nch, rate = 2, 48000
    block = _pcm(samples_per_channel * nch, rng)
    raws = [bytes(bytearray(block)) for _ in range(count)]  # distinct objects, as from a decoder
    ours = [au.AudioFrame(r, rate, nch, samples_per_channel) for r in raws]
    lk = [rtc.AudioFrame(bytearray(r), rate, nch, samples_per_channel) for r in raws]
    expected = bytes(rtc.combine_audio_frames(lk).data)
    for backend in ("python", "numpy"):
        assert bytes(au.combine_frames(ours, backend=backend).data) == expected
        assert bytes(au.combine_frames(lk, backend=backend).data) == expected

    cases: dict[str, Callable[[], object]] = {
        "reference": lambda: rtc.combine_audio_frames(lk),
        "join": lambda: b"".join(raws),
    }
    for backend in ("python", "numpy"):
        cases[f"{backend} ours"] = lambda b=backend: au.combine_frames(ours, backend=b)  # type: ignore[misc]
        cases[f"{backend} lk"] = lambda b=backend: au.combine_frames(lk, backend=b)  # type: ignore[misc]
    cases["python lk, public properties"] = lambda: _without_livekit_shim(
        lambda: au.combine_frames(lk, backend="python")
    )
    t = interleaved(cases)
    rows = [
        # What justifies reading livekit's private fields (_frames.livekit_buffers).
        Row(
            f"{label}, python, rtc.AudioFrame: shim vs public properties",
            t["python lk"],
            t["python lk, public properties"],
            ">= 2x" * targets,
        )
    ]
    for backend in ("python", "numpy"):
        ours_t, lk_t = t[f"{backend} ours"], t[f"{backend} lk"]
        rows += [
            Row(f"{label}, {backend}, AudioFrame vs reference", ours_t, t["reference"], ">= 5x" * targets),
            Row(f"{label}, {backend}, rtc.AudioFrame vs reference", lk_t, t["reference"], ">= 2x" * targets),
            Row(f"{label}, {backend}, AudioFrame vs b''.join", ours_t, t["join"], ">= 0.5x" * targets),
        ]
    return rows


def _without_livekit_shim(fn: Callable[[], object]) -> object:
    from agentutils_audio import _frames

    shim = _frames.livekit_buffers
    _frames.livekit_buffers = lambda frames: None  # the public path, as if livekit renamed its fields
    try:
        return fn()
    finally:
        _frames.livekit_buffers = shim


def _arith_rows() -> list[Row]:
    rng = random.Random(2)
    rate, nch = 48000, 2
    a = au.AudioFrame(_pcm(rate * nch, rng), rate, nch, rate)
    b = au.AudioFrame(_pcm(rate * nch, rng), rate, nch, rate)
    ops: dict[str, Callable[[str], object]] = {
        "mix 2 frames": lambda be: au.mix_frames([a, b], backend=be),
        "mix 2 frames with gains": lambda be: au.mix_frames([a, b], gains=[0.5, 0.8], backend=be),
        "apply_gain -6 dB": lambda be: au.apply_gain(a, -6.0, backend=be),
        "levels": lambda be: au.frame_levels(a, backend=be),
    }
    rows = []
    for name, op in ops.items():
        py, np_ = op("python"), op("numpy")
        same = py == np_ if name == "levels" else bytes(py.data) == bytes(np_.data)  # type: ignore[attr-defined]
        assert same, f"{name}: backends disagree"
        t = interleaved({"numpy": lambda o=op: o("numpy"), "python": lambda o=op: o("python")}, rounds=5)
        rows.append(Row(f"{name}, 1 s 48 kHz stereo: numpy vs python", t["numpy"], t["python"], ">= 20x"))
    return rows


def _byte_stream_rows() -> list[Row]:
    """Re-chunk 10 s of 48 kHz stereo pushed in random 1-4000-byte chunks, as livekit does."""
    from livekit.agents.utils.audio import AudioByteStream as Reference

    rng = random.Random(3)
    payload = rng.randbytes(48000 * 2 * 2 * 10)
    chunks: list[bytes] = []
    while sum(map(len, chunks)) < len(payload):
        start = sum(map(len, chunks))
        chunks.append(payload[start : start + rng.randint(1, 4000)])

    def run(cls: Callable[..., object], spc: int) -> int:
        stream: Any = cls(48000, 2, samples_per_channel=spc)
        count = 0
        for chunk in chunks:
            count += len(stream.push(chunk))
        return count + len(stream.flush())

    def plain(spc: int) -> int:  # the floor: a bytearray cut into bytes slices, no frames
        size, buf, count = spc * 4, bytearray(), 0
        for chunk in chunks:
            buf += chunk
            end = len(buf) - len(buf) % size
            count += len([buf[i : i + size] for i in range(0, end, size)])
            del buf[:end]
        return count

    rows = []
    for ms in (10, 20, 100):
        spc = 48 * ms
        assert run(au.AudioByteStream, spc) == run(Reference, spc)
        cases: dict[str, Callable[[], object]] = {
            "ours": lambda s=spc: run(au.AudioByteStream, s),  # type: ignore[misc]
            "reference": lambda s=spc: run(Reference, s),  # type: ignore[misc]
            "plain": lambda s=spc: plain(s),  # type: ignore[misc]
        }
        # As timeit does: a collection triggered by one case's garbage would land on another.
        gc.collect()
        gc.disable()
        try:
            t = interleaved(cases, rounds=15, target=0.02)
        finally:
            gc.enable()
        rows += [
            Row(f"{ms} ms frames: vs livekit AudioByteStream", t["ours"], t["reference"], ">= 1x"),
            Row(f"{ms} ms frames: vs a bare bytearray loop", t["ours"], t["plain"]),
        ]
    return rows


def _import_rows() -> list[Row]:
    """``import agentutils_audio`` and build an AudioFrame, against the bare interpreter start.

    AudioFrame needs no module beyond those loaded at interpreter start (``sys``, for the
    byte order), so the reference is ``python -c "import sys"``. Each is a fresh process,
    timed with its bytecode cached, as users have it (PYTHONDONTWRITEBYTECODE is dropped
    and every case runs once before timing, which writes the caches).
    """
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cases = {
        "ours": "import agentutils_audio as a; a.AudioFrame(b'\\0\\0', 48000, 1, 1)",
        "stdlib": "import sys",
    }

    def spawn(code: str) -> None:
        subprocess.run([sys.executable, "-c", code], env=env, check=True)

    for code in cases.values():
        spawn(code)
    t = interleaved({name: lambda c=code: spawn(c) for name, code in cases.items()}, rounds=21)  # type: ignore[misc]
    return [
        Row("import agentutils_audio + AudioFrame vs python -c 'import sys'", t["ours"], t["stdlib"], "~1x"),
        Row("  the difference (ms above the interpreter start)", t["ours"] - t["stdlib"], None, "a few ms"),
    ]


def main() -> None:
    os.environ.pop(au.BACKEND_ENV_VAR, None)
    rows = _combine_rows("500 x 10 ms", 500, 480, targets=True)
    rows += _combine_rows("60 x 1 s", 60, 48000, targets=False)
    print_rows("audio: combine_frames, stereo 48 kHz (reference: rtc.combine_audio_frames or b''.join)", rows)
    print_rows("audio: backend arithmetic (reference column: the python backend)", _arith_rows())
    print_rows(
        "audio: AudioByteStream, 10 s 48 kHz stereo in random 1-4000-byte chunks (reference: livekit's)",
        _byte_stream_rows(),
    )
    print_rows(
        "audio: import time, fresh processes, bytecode cached (reference: the interpreter start)",
        _import_rows(),
    )


if __name__ == "__main__":
    main()
