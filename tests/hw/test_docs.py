"""The README's examples run; the package's docstrings and exports are complete."""

from __future__ import annotations

import inspect
from pathlib import Path

from tests.conftest import loaded_after

import agentutils_hw

README = Path(__file__).resolve().parents[2] / "packages" / "hw" / "README.md"


def test_import_does_not_import_psutil():
    assert loaded_after("import agentutils_hw", ["psutil"]) == []


def test_every_public_name_is_exported_and_documented():
    for name in agentutils_hw.__all__:
        value = getattr(agentutils_hw, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name
            for attr, member in vars(value).items() if inspect.isclass(value) else ():
                if not attr.startswith("_") and callable(member):
                    assert member.__doc__, f"{name}.{attr}"
