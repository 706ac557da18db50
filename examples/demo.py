"""The agentutils demo: every member at work on one small voice pipeline, on loopback only.

1. generates three seconds of speech-like PCM (voiced syllables and pauses);
2. receives it in network-sized pieces and re-chunks it into 10 ms frames with
   ``AudioByteStream``;
3. measures each frame's level and smooths it with ``ExpFilter`` and ``MovingAverage``
   to find the voiced frames;
4. combines the frames into 100 ms chunks with the selected audio backend;
5. waits, with the rtc helpers, for an agent and its audio track in a simulated room;
6. streams the chunks through a ``ConnectionPool`` to an echo server it starts on
   127.0.0.1 (websocket with aiohttp, else TCP), several senders at once, over an
   ``aio.Chan``;
7. reports progress through an ``EventEmitter``, checks every byte came back intact,
   writes the echoed audio to a WAV file and prints a summary.

What is simulated: no LiveKit server and no network are involved. The room is
``agentutils_rtc_helpers.testing.FakeRoom``, a test double with the ``livekit.rtc.Room``
surface, in which the demo itself makes an agent join and publish an audio track; the
server is a local echo server on 127.0.0.1 that sends every byte back; the speech is
synthetic. The demo says so when it starts.

Run it with ``scripts/demo.sh`` (sets everything up), or ``python examples/demo.py
[--out FILE.wav]`` where agentutils is installed. ``--out`` is relative to the current
folder (``scripts/demo.sh`` makes it relative to the folder it is run from).
"""

from __future__ import annotations

import argparse
import array
import asyncio
import importlib.util
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import agentutils
from agentutils import EventEmitter, ExpFilter, MovingAverage, aio
from agentutils_audio import (
    AudioByteStream,
    AudioFrame,
    audio_backends,
    combine_frames,
    frame_levels,
    write_wav,
)
from agentutils_pool import ConnectionPool
from agentutils_rtc_helpers import ParticipantKind, TrackKind, wait_for_agent, wait_for_track_publication
from agentutils_rtc_helpers.testing import FakeRoom

SAMPLE_RATE = 16_000
FRAME_MS = 10
CHUNK_FRAMES = 10  # 100 ms per chunk sent to the server
SENDERS = 4
SIMULATED = (
    "simulated, on this machine only: the room is a test double (FakeRoom) where the demo makes an\n"
    "agent join and publish audio; the server is a local echo server on 127.0.0.1; the speech is\n"
    "synthetic. No LiveKit server or network is used."
)


def speech_like_pcm(seconds: float, *, seed: int = 7) -> bytes:
    """Mono int16 PCM that looks like speech to a level meter: voiced syllables, then pauses."""
    rng = random.Random(seed)
    samples = array.array("h")
    t = 0
    total = int(seconds * SAMPLE_RATE)
    while t < total:
        voiced = rng.random() < 0.7
        length = int(SAMPLE_RATE * rng.uniform(0.12, 0.3))
        pitch = rng.uniform(110, 220)
        for i in range(min(length, total - t)):
            if voiced:
                envelope = math.sin(math.pi * i / length)  # the syllable swells and fades
                value = sum(math.sin(2 * math.pi * pitch * k * (t + i) / SAMPLE_RATE) / k for k in (1, 2, 3))
                sample = 9000 * envelope * value + rng.gauss(0, 150)
            else:
                sample = rng.gauss(0, 60)  # room noise between words
            samples.append(max(-32768, min(32767, int(sample))))
        t += length
    return samples.tobytes()


@dataclass
class Report:
    """What the demo measured."""

    frames: int = 0
    voiced_frames: int = 0
    chunks: int = 0
    bytes_sent: int = 0
    bytes_intact: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


async def start_echo_server() -> tuple[str, Any]:
    """Start an echo server on 127.0.0.1 with an ephemeral port; return its URL and a closer."""
    if importlib.util.find_spec("aiohttp") is not None:
        from aiohttp import WSMsgType, web

        async def echo(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            async for msg in ws:
                if msg.type == WSMsgType.BINARY:
                    await ws.send_bytes(msg.data)
            return ws

        app = web.Application()
        app.router.add_get("/echo", echo)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return f"ws://127.0.0.1:{port}/echo", runner.cleanup

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while header := await reader.readexactly(4):
                writer.write(header + await reader.readexactly(int.from_bytes(header, "big")))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def close() -> None:
        server.close()
        await server.wait_closed()

    return f"tcp://127.0.0.1:{port}", close


async def echo_roundtrip(conn: Any, payload: bytes) -> bytes:
    """Send one chunk and read its echo, over a websocket or a length-prefixed TCP stream."""
    if hasattr(conn, "send_bytes"):
        await conn.send_bytes(payload)
        return bytes(await conn.receive_bytes())
    conn.writer.write(len(payload).to_bytes(4, "big") + payload)
    await conn.writer.drain()
    size = int.from_bytes(await conn.reader.readexactly(4), "big")
    return bytes(await conn.reader.readexactly(size))


def analyse(pcm: bytes, progress: EventEmitter[str], report: Report) -> list[AudioFrame]:
    """Re-chunk network-sized pieces into 10 ms frames and find the voiced ones."""
    stream = AudioByteStream(SAMPLE_RATE, 1, samples_per_channel=SAMPLE_RATE * FRAME_MS // 1000)
    level = ExpFilter(alpha=0.8, min_val=-90.0)  # -inf dBFS (silence) clamps to -90
    average = MovingAverage(50)  # the last half second
    frames: list[AudioFrame] = []
    rng = random.Random(1)
    pos = 0
    while pos < len(pcm):
        piece = rng.randint(1, 1500)  # odd sizes too: a sample may straddle two pieces
        frames.extend(stream.push(pcm[pos : pos + piece]))
        pos += piece
    frames.extend(stream.flush())
    for frame in frames:
        smoothed = level.apply(1.0, max(frame_levels(frame).rms_dbfs, -90.0))
        average.add_sample(smoothed)
        if smoothed > average.get_avg() - 3.0 and smoothed > -45.0:
            report.voiced_frames += 1
    report.frames = len(frames)
    progress.emit("step", "analysed", f"{len(frames)} frames, {report.voiced_frames} voiced")
    return frames


async def wait_for_agent_track(progress: EventEmitter[str]) -> str:
    """Simulate a room: an agent joins and publishes audio; the rtc helpers wait for both."""
    room = FakeRoom(name="demo-room")
    loop = asyncio.get_running_loop()

    def agent_arrives() -> None:
        room.add_participant("agent-1", kind=ParticipantKind.PARTICIPANT_KIND_AGENT)
        room.publish_remote_track("agent-1", kind=TrackKind.KIND_AUDIO, subscribe=True)

    loop.call_later(0.05, agent_arrives)
    agent = await wait_for_agent(room, timeout=5)
    publication = await wait_for_track_publication(
        room, identity=agent.identity, kind=TrackKind.KIND_AUDIO, wait_for_subscription=True, timeout=5
    )
    listeners = sum(room.listener_count(e) for e in ("participant_connected", "track_subscribed"))
    progress.emit(
        "step", "room", f"agent {agent.identity} publishes {publication.sid}; listeners left: {listeners}"
    )
    return agent.identity


async def stream_through_pool(
    chunks: list[AudioFrame], progress: EventEmitter[str], report: Report
) -> list[bytes]:
    """Send every chunk through a pooled connection to the echo server, SENDERS at a time."""
    url, close_server = await start_echo_server()
    try:
        return await _stream(url, chunks, progress, report)
    finally:
        await close_server()


async def _stream(
    url: str, chunks: list[AudioFrame], progress: EventEmitter[str], report: Report
) -> list[bytes]:
    pool: ConnectionPool[Any] = ConnectionPool.from_url(url, max_size=SENDERS, connect_timeout=5)
    queue: aio.Chan[tuple[int, bytes]] = aio.Chan(maxsize=SENDERS)
    echoed: dict[int, bytes] = {}

    async def sender() -> None:
        async for index, payload in queue:
            async with pool.connection(timeout=5) as conn:
                echoed[index] = await echo_roundtrip(conn, payload)
            report.bytes_sent += len(payload)
            if echoed[index] == payload:
                report.bytes_intact += len(payload)

    async def feed() -> None:
        try:
            for index, chunk in enumerate(chunks):
                await queue.send((index, bytes(chunk.data.cast("B"))))
        finally:
            queue.close()

    # The feeder runs beside the senders: if they fail, nothing drains the channel, and
    # awaiting them together surfaces the first error instead of blocking on a full channel.
    tasks = [asyncio.create_task(feed()), *(asyncio.create_task(sender()) for _ in range(SENDERS))]
    try:
        await asyncio.gather(*tasks)
        stats = pool.stats()
        progress.emit(
            "step",
            "pool",
            f"{url.split('://')[0]}:// echo, {stats.created} connections created, {stats.reused} reuses",
        )
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await pool.aclose()
    return [echoed[i] for i in range(len(chunks))]


async def run() -> tuple[Report, list[AudioFrame], EventEmitter[str]]:
    """Run the pipeline; return what it measured, the echoed audio, and the progress emitter."""
    report = Report()
    progress = EventEmitter[str]()
    started = time.perf_counter()

    @progress.on("step")
    def show(step: str, detail: str) -> None:
        report.timings[step] = time.perf_counter() - started
        print(f"  [{(time.perf_counter() - started) * 1000:7.1f} ms] {step:<9} {detail}")

    pcm = speech_like_pcm(3.0)
    progress.emit("step", "generated", f"{len(pcm)} bytes of 16 kHz mono speech-like PCM")
    frames = analyse(pcm, progress, report)

    selection = audio_backends.select()
    chunks = [
        combine_frames(frames[i : i + CHUNK_FRAMES], backend=selection.name)
        for i in range(0, len(frames), CHUNK_FRAMES)
    ]
    report.chunks = len(chunks)
    report.notes.append(f"audio backend: {selection.name} (chosen by {selection.reason})")
    progress.emit(
        "step", "combined", f"{len(chunks)} chunks of {CHUNK_FRAMES * FRAME_MS} ms ({selection.name})"
    )

    agent = await wait_for_agent_track(progress)
    report.notes.append(f"room: waited for {agent} and its audio track")
    echoed = await stream_through_pool(chunks, progress, report)

    if b"".join(echoed) != pcm:
        raise SystemExit("echoed audio differs from what was sent")
    received = [AudioFrame(data, SAMPLE_RATE, 1, len(data) // 2) for data in echoed]
    return report, received, progress


def main(argv: list[str] | None = None) -> int:
    """Run the demo and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("agentutils-demo.wav"),
        help="WAV file to write, relative to the current folder (default: agentutils-demo.wav)",
    )
    args = parser.parse_args(argv)
    print(f"agentutils {agentutils.__version__} demo on Python {sys.version.split()[0]}")
    print(SIMULATED)
    start = time.perf_counter()
    report, received, progress = asyncio.run(run())
    write_wav(args.out, received)
    progress.emit("step", "wrote", f"{args.out} ({args.out.stat().st_size} bytes)")
    total = time.perf_counter() - start
    print("summary:")
    print(
        f"  frames: {report.frames} x {FRAME_MS} ms, {report.voiced_frames} voiced; chunks: {report.chunks}"
    )
    print(f"  bytes echoed intact: {report.bytes_intact} of {report.bytes_sent}")
    for note in report.notes:
        print(f"  {note}")
    print(f"  total time: {total * 1000:.0f} ms")
    return 0 if report.bytes_intact == report.bytes_sent > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
