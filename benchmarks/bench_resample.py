"""agentutils-audio resamplers vs livekit.rtc.AudioResampler, per 20 ms chunk.

Each backend (soxr, numpy, python) at quality "high" against livekit's native resampler
(AudioResampler HIGH, soxr in livekit's FFI library), streaming 20 ms chunks through one
long-lived resampler, as a room or a TTS stream does. Rows "vs real time" put 20 ms in the
reference column: the ratio is how many times faster than real time a backend runs.

The machine is shared, so the cases compared are timed in interleaved rounds (each round
times every case once) and the medians over the rounds are reported.
"""

from __future__ import annotations

import os
import random
from array import array
from collections.abc import Callable

import agentutils_audio as au
from _common import Row, interleaved, print_rows

CHUNK = 0.02  # seconds


def _pcm(samples: int, rng: random.Random) -> bytes:
    return array("h", [rng.randint(-12000, 12000) for _ in range(samples)]).tobytes()


def _pusher(backend: str, rates: tuple[int, int], nch: int, chunk: bytes) -> Callable[[], object]:
    resampler = au.AudioResampler(*rates, num_channels=nch, quality="high", backend=backend)
    frame = au.AudioFrame(chunk, rates[0], nch, len(chunk) // (2 * nch))
    resampler.push(frame)  # past the start-up, as in a long stream
    return lambda: resampler.push(frame)


def _livekit_pusher(rates: tuple[int, int], nch: int, chunk: bytes) -> Callable[[], object]:
    from livekit import rtc

    resampler = rtc.AudioResampler(
        rates[0], rates[1], num_channels=nch, quality=rtc.AudioResamplerQuality.HIGH
    )
    frame = rtc.AudioFrame(bytearray(chunk), rates[0], nch, len(chunk) // (2 * nch))
    resampler.push(frame)
    return lambda: resampler.push(frame)


def _rows(label: str, rates: tuple[int, int], nch: int, python_target: str) -> list[Row]:
    rng = random.Random(3)
    chunk = _pcm(round(rates[0] * CHUNK) * nch, rng)
    cases = {name: _pusher(name, rates, nch, chunk) for name in ("soxr", "numpy", "python")}
    cases["livekit"] = _livekit_pusher(rates, nch, chunk)
    t = interleaved(cases, target=0.03)
    lk = t["livekit"]
    return [
        Row(f"{label}: soxr vs livekit HIGH", t["soxr"], lk, ">= 0.67x (within 1.5x)"),
        Row(f"{label}: numpy vs livekit HIGH", t["numpy"], lk),
        Row(f"{label}: python vs livekit HIGH", t["python"], lk),
        Row(f"{label}: numpy vs real time (20 ms)", t["numpy"], CHUNK, ">= 100x"),
        Row(f"{label}: python vs real time (20 ms)", t["python"], CHUNK, python_target),
    ]


def _python_8k_row() -> Row:
    rng = random.Random(4)
    chunk = _pcm(round(8000 * CHUNK), rng)
    t = interleaved({"python": _pusher("python", (8000, 16000), 1, chunk)}, rounds=5, target=0.03)
    return Row("8->16 kHz mono: python vs real time (20 ms)", t["python"], CHUNK, ">= 1x")


def main() -> None:
    os.environ.pop(au.RESAMPLER_ENV_VAR, None)
    rows = _rows("48->16 kHz mono", (48000, 16000), 1, "")
    rows += _rows("24->48 kHz stereo", (24000, 48000), 2, "")
    rows.append(_python_8k_row())
    print_rows("audio: resampling one 20 ms chunk, quality high (reference: rtc.AudioResampler HIGH)", rows)


if __name__ == "__main__":
    main()
