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


def test_import_does_not_import_numpy_or_livekit():
    import subprocess
    import sys

    code = (
        "import sys, agentutils_audio as a; "
        "a.combine_frames([a.AudioFrame(b'\\0\\0', 8000, 1, 1)] * 2, backend=a.PythonBackend()); "
        "print(sorted(m for m in ('numpy', 'livekit', 'pluggy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_public_name_is_exported():
    import inspect

    import agentutils_audio

    for name in agentutils_audio.__all__:
        value = getattr(agentutils_audio, name)
        assert value is not None
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name
