"""Fixtures shared by the agentutils-audio tests."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

import pytest

from agentutils_audio import BACKEND_ENV_VAR, AudioFrame


@pytest.fixture(autouse=True)
def _no_backend_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without AGENTUTILS_AUDIO_BACKEND, whatever the calling shell sets."""
    monkeypatch.delenv(BACKEND_ENV_VAR, raising=False)


@pytest.fixture
def builtin_backends() -> list[str]:
    """The built-in backends that can run here: python, plus numpy when it imports."""
    names = ["python"]
    if importlib.util.find_spec("numpy") is not None:
        names.append("numpy")
    return names


@pytest.fixture
def make_frame() -> Callable[..., AudioFrame]:
    """Build an AudioFrame from a list of int16 samples (interleaved)."""

    def make(samples: list[int], sample_rate: int = 48000, num_channels: int = 1) -> AudioFrame:
        from array import array

        data = array("h", samples).tobytes()
        return AudioFrame(data, sample_rate, num_channels, len(samples) // num_channels)

    return make
