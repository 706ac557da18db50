"""The examples in the docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["frame", "combine", "byte_stream"])
def test_docstring_examples(module):
    mod = importlib.import_module(f"agentutils_audio.{module}")
    globs = {"AudioFrame": importlib.import_module("agentutils_audio").AudioFrame}
    result = doctest.testmod(mod, extraglobs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# What building an AudioFrame must never import (the plugin machinery and heavy extras).
NOT_FOR_A_FRAME = (
    "typing",
    "inspect",
    "dataclasses",
    "pluggy",
    "importlib.metadata",
    "agentutils_core.registry",
    "agentutils_core.plugins",
    "collections",
    "numpy",
    "livekit",
)


def _new_modules(code: str) -> list[str]:
    import subprocess
    import sys

    script = f"import sys; before = set(sys.modules)\n{code}\nprint(sorted(set(sys.modules) - before))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return eval(out)  # a list literal of module names


def test_import_and_building_a_frame_load_no_plugin_machinery():
    loaded = _new_modules(
        "import agentutils_audio as a\n"
        "f = a.AudioFrame(b'\\0\\0' * 4, 8000, 2, 2)\n"
        "f.data.tolist(), f.duration, f.userdata, repr(f), a.AudioFrame.create(8000, 1, 4)"
    )
    assert [m for m in NOT_FOR_A_FRAME if m in loaded] == []
    assert "agentutils_audio.backend" not in loaded


def test_the_registry_loads_on_first_backend_use_and_never_numpy_or_livekit():
    loaded = _new_modules(
        "import agentutils_audio as a\n"
        "a.combine_frames([a.AudioFrame(b'\\0\\0', 8000, 1, 1)] * 2, backend=a.PythonBackend())"
    )
    assert "agentutils_audio.backend" in loaded
    assert [m for m in ("numpy", "livekit") if m in loaded] == []


def test_every_public_name_is_exported():
    import inspect

    import agentutils_audio

    for name in agentutils_audio.__all__:
        value = getattr(agentutils_audio, name)
        assert value is not None
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name
