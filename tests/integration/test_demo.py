"""The README's first command runs examples/demo.py: it must work in every leg."""

from __future__ import annotations

import asyncio
import importlib.util
import pathlib
import subprocess
import sys
import wave

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_demo_runs_end_to_end(tmp_path):
    out = tmp_path / "demo.wav"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bytes echoed intact: 96000 of 96000" in result.stdout
    scheme = "ws://" if importlib.util.find_spec("aiohttp") else "tcp://"
    assert f"{scheme} echo" in result.stdout
    backend = "numpy" if importlib.util.find_spec("numpy") else "python"
    assert f"audio backend: {backend} (chosen by priority)" in result.stdout
    assert "listeners left: 0" in result.stdout
    with wave.open(str(out)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
        assert wav.getnframes() == 48000


def _load_demo(monkeypatch):
    spec = importlib.util.spec_from_file_location("agentutils_demo", ROOT / "examples" / "demo.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "agentutils_demo", module)
    spec.loader.exec_module(module)
    return module


async def test_streaming_stops_with_the_error_when_every_sender_fails(monkeypatch):
    # With the senders dead, nothing drains the channel: the demo must fail, not hang.
    demo = _load_demo(monkeypatch)

    async def broken(conn, payload):
        raise ConnectionResetError("echo server went away")

    monkeypatch.setattr(demo, "echo_roundtrip", broken)
    frames = [demo.AudioFrame(bytes(320), demo.SAMPLE_RATE, 1, 160) for _ in range(4 * demo.SENDERS)]
    with pytest.raises(ConnectionResetError, match="echo server went away"):
        await asyncio.wait_for(demo.stream_through_pool(frames, demo.EventEmitter(), demo.Report()), 20)
