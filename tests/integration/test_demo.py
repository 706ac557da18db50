"""The README's first command runs examples/demo.py: it must work in every leg."""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys
import wave

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
