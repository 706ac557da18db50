"""The README's examples and the docstring examples run; exports are documented; import stays light."""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest
from tests.conftest import loaded_after

import agentutils_codecs

README = Path(__file__).resolve().parents[2] / "packages" / "codecs" / "README.md"


@pytest.mark.parametrize("module", ["stream_buffer", "formats", "stream_decoder"])
def test_docstring_examples(module):
    mod = importlib.import_module(f"agentutils_codecs.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_import_does_not_import_av_numpy_livekit_or_pluggy():
    assert loaded_after("import agentutils_codecs", ["av", "numpy", "livekit", "pluggy"]) == []


def test_every_public_name_is_exported_and_documented():
    for name in agentutils_codecs.__all__:
        value = getattr(agentutils_codecs, name)
        assert value is not None
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name
            for attr, member in vars(value).items():
                if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, property)):
                    assert member.__doc__, f"{name}.{attr}"
