"""The example third-party plugin (examples/plugin) registers an audio backend used by name."""

from __future__ import annotations

from array import array

import pytest

from agentutils_audio import AudioFrame, audio_backends, combine_frames, get_backend, mix_frames

pytest.importorskip("agentutils_example_plugin")


def frame_of(samples: list[int]) -> AudioFrame:
    return AudioFrame(array("h", samples).tobytes(), 16000, 1, len(samples))


def test_example_backend_is_discovered_from_its_distribution():
    entry = next(e for e in audio_backends.entries() if e.name == "example")
    assert entry.plugin.distribution == "agentutils-example-plugin"
    assert entry.priority == -100
    assert audio_backends.names()[-1] == "example"  # lowest priority: never the default
    assert get_backend().name != "example"


def test_selected_by_name_it_does_the_work():
    backend = get_backend("example")
    before = backend.calls["combine"], backend.calls["mix"]  # type: ignore[attr-defined]
    out = combine_frames([frame_of([1, 2]), frame_of([3])], backend="example")
    mixed = mix_frames([frame_of([1, 2]), frame_of([3, 4])], backend="example")
    assert out.data.tolist() == [1, 2, 3]
    assert mixed.data.tolist() == [4, 6]
    assert (backend.calls["combine"], backend.calls["mix"]) == (before[0] + 1, before[1] + 1)  # type: ignore[attr-defined]


def test_selected_by_environment(monkeypatch):
    monkeypatch.setenv("AGENTUTILS_AUDIO_BACKEND", "example")
    backend = get_backend()
    assert backend.name == "example"
    before = backend.calls["levels"]  # type: ignore[attr-defined]
    from agentutils_audio import frame_levels

    frame_levels(frame_of([1, -1]))
    assert backend.calls["levels"] == before + 1  # type: ignore[attr-defined]
