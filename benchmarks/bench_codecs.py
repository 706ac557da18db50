"""agentutils-codecs vs livekit.agents.utils.codecs.AudioStreamDecoder.

- WAV 16-bit, 60 s of 24 kHz mono pushed in 20 ms chunks while a consumer task reads the
  frames: time to the last frame (target: no slower than the reference, whose inline WAV
  path is close to a memory copy), "streamed" (a loop turn after each push, as chunks
  from the network come: the consumer wakes for each chunk) and "burst" (pushed back to
  back, then consumed: the decoding cost alone); and the most audio pushed but not yet
  available to the consumer after a push and one loop turn (target: 0 ms; a decoder that
  batches 100 ms adds 100 ms to every reply). The "floor" row is streamed with no
  decoding at all: each push handed to the consumer as an AudioFrame, the consumer woken
  for it, which any decoder with no added latency does; the reference wakes its consumer
  once per 100 ms frame (every fifth push), so in this case it can be below the floor.
- mp3 and opus, 60 s, pushed in 4 KiB chunks (streamed): time to the last frame (target: no slower
  than the reference; both decode with PyAV) and the event loop's longest stall while
  decoding, measured by a probe task that sleeps 1 ms at a time (target: at most 5 ms).

Both decoders output at the source's rate and channel count (no resampling). Each figure
is the median of interleaved runs; the stall is the worst over them, next to the worst
stall of an idle loop on the same machine (its noise floor).
"""

from __future__ import annotations

import asyncio
import io
import math
import statistics
import time
import wave
from array import array
from collections import deque
from collections.abc import Callable
from typing import Any

from _common import Row, print_rows
from agentutils_audio import AudioFrame
from agentutils_codecs import AudioStreamDecoder

SECONDS = 60
RUNS = 5


def _reference() -> Any:
    try:
        from livekit.agents.utils.codecs import AudioStreamDecoder as Ref
    except ImportError:
        return None
    return Ref


def _tone(rate: int) -> array[int]:
    return array("h", (int(9000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(SECONDS * rate)))


def _wav(rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(_tone(rate).tobytes())
    return out.getvalue()


def _encoded(container: str, codec: str, rate: int, muxer_options: dict[str, str]) -> bytes:
    import av

    samples = _tone(rate)
    out = io.BytesIO()
    with av.open(out, "w", format=container, options=muxer_options) as muxer:
        stream: Any = muxer.add_stream(codec, rate=rate)
        stream.layout = "mono"
        for start in range(0, len(samples), 4800):
            block = samples[start : start + 4800]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(block))
            frame.planes[0].update(block.tobytes())
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


class _WakeFloor:
    """No decoding: each push is handed to the consumer as an AudioFrame, which is woken for it.

    The least any decoder with no added latency does when the consumer keeps up (the
    reference wakes its consumer once per 100 ms frame instead, every fifth push).
    """

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._chunks: deque[bytes] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._ended = False

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter.set_result(None)

    def push(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._wake()

    def end_input(self) -> None:
        self._ended = True
        self._wake()

    def __aiter__(self) -> _WakeFloor:
        return self

    async def __anext__(self) -> AudioFrame:
        while not self._chunks:
            if self._ended:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        chunk = self._chunks.popleft()
        return AudioFrame(chunk, self._rate, 1, len(chunk) // 2)

    async def aclose(self) -> None:
        pass


class _Probe:
    """Measures the event loop's longest stall: how late a 1 ms sleep wakes up."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, time.perf_counter() - start - 0.001)

    def __enter__(self) -> _Probe:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def _decode(
    make: Callable[[], Any], chunks: list[bytes], bytes_per_second: float, header: int, streamed: bool
) -> tuple[float, float, float]:
    """Push every chunk and consume concurrently.

    ``streamed``: a loop turn after each push, as when chunks come from the network (the
    consumer takes each chunk's frames as they come); otherwise the chunks are pushed back to
    back and consumed after the last (the decoding cost alone).

    Returns (seconds to the last frame, worst audio pushed but not yet consumable in
    seconds, the loop's longest stall in seconds). ``header``: bytes before the samples.
    """
    decoder = make()
    received = 0  # bytes of PCM the consumer has
    worst_behind = 0.0

    async def consume() -> None:
        nonlocal received
        async for frame in decoder:
            received += frame.samples_per_channel * frame.num_channels * 2

    with _Probe() as probe:
        start = time.perf_counter()
        consumer = asyncio.get_running_loop().create_task(consume())
        pushed = 0
        for c in chunks:
            decoder.push(c)
            if streamed:
                pushed += len(c)
                await asyncio.sleep(0)  # one loop turn: the consumer takes what is ready
                await asyncio.sleep(0)
                worst_behind = max(worst_behind, (max(0, pushed - header) - received) / bytes_per_second)
        decoder.end_input()
        await consumer
        elapsed = time.perf_counter() - start
    await decoder.aclose()
    return elapsed, worst_behind, probe.worst


def _compare(label: str, data: bytes, chunk: int, fmt: str, rate: int, latency: bool) -> list[Row]:
    """Our decoder and the reference's on the same chunks, interleaved; median time, worst stall."""
    ref = _reference()
    chunks = [data[i : i + chunk] for i in range(0, len(data), chunk)]
    bps = rate * 2  # PCM bytes per second of audio (mono int16)

    def ours() -> Any:
        return AudioStreamDecoder(sample_rate=rate, num_channels=1, format=fmt)

    def theirs() -> Any:
        return ref(sample_rate=rate, num_channels=1, format=fmt)

    results: dict[str, list[tuple[float, float, float]]] = {
        "ours": [],
        "ref": [],
        "ours-b": [],
        "ref-b": [],
        "floor": [],
    }
    header = 44 if fmt == "audio/wav" else 0
    for _ in range(RUNS):  # interleaved on this shared machine
        for streamed in (True, False) if latency else (True,):
            suffix = "" if streamed else "-b"
            results["ours" + suffix].append(asyncio.run(_decode(ours, chunks, bps, header, streamed)))
            if ref is not None:
                results["ref" + suffix].append(asyncio.run(_decode(theirs, chunks, bps, header, streamed)))
        if latency:
            floor = asyncio.run(_decode(lambda: _WakeFloor(rate), chunks, bps, header, True))
            results["floor"].append(floor)

    def median(key: str, i: int) -> float | None:
        runs = results[key]
        return statistics.median(r[i] for r in runs) if runs else None

    def worst(key: str, i: int) -> float | None:
        runs = results[key]
        return max(r[i] for r in runs) if runs else None

    rows = [
        Row(f"{label}: time to last frame, streamed", median("ours", 0) or 0.0, median("ref", 0), "no slower")
    ]
    if latency:
        rows.append(
            Row(
                f"{label}: streamed, floor: no decoding, a wake per push",
                median("floor", 0) or 0.0,
                median("ref", 0),
                "(any 0 ms decoder)",
            )
        )
        rows.append(
            Row(
                f"{label}: time to last frame, burst",
                median("ours-b", 0) or 0.0,
                median("ref-b", 0),
                "no slower",
            )
        )
        ours_behind, ref_behind = worst("ours", 1) or 0.0, worst("ref", 1)
        rows.append(
            Row(
                f"{label}: audio pushed, not yet consumable (worst)",
                ours_behind * 1000,
                ref_behind * 1000 if ref_behind is not None else None,
                "0 ms",
                unit="ms",
            )
        )
    ours_stall, ref_stall = worst("ours", 2) or 0.0, worst("ref", 2)
    rows.append(
        Row(
            f"{label}: longest event-loop stall",
            ours_stall * 1000,
            ref_stall * 1000 if ref_stall is not None else None,
            "<= 5 ms",
            unit="ms",
        )
    )
    return rows


async def _idle_stall(seconds: float) -> float:
    """The probe alone, on an idle loop: this machine's noise floor for the stall figures."""
    with _Probe() as probe:
        await asyncio.sleep(seconds)
    return probe.worst


def main() -> None:
    idle = max(asyncio.run(_idle_stall(1.0)) for _ in range(3))
    rows = [Row("idle event loop: longest stall (noise floor)", idle * 1000, None, "", unit="ms")]
    rows += _compare("WAV 16-bit 24 kHz, 60 s, 20 ms chunks", _wav(24000), 960, "audio/wav", 24000, True)
    try:
        import av  # noqa: F401
    except ImportError:
        print("(PyAV is not installed: mp3 and opus skipped)")
    else:
        mp3 = _encoded("mp3", "libmp3lame", 24000, {})
        rows += _compare("mp3 24 kHz, 60 s, 4 KiB chunks", mp3, 4096, "audio/mpeg", 24000, False)
        opus = _encoded("ogg", "libopus", 48000, {"page_duration": "20000"})
        rows += _compare("opus/ogg 48 kHz, 60 s, 4 KiB chunks", opus, 4096, "audio/ogg", 48000, False)
    print_rows("codecs: AudioStreamDecoder (reference: livekit.agents.utils.codecs)", rows)


if __name__ == "__main__":
    main()
