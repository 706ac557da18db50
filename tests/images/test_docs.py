"""The README's examples and the docstrings' examples run; every public name is documented."""

from __future__ import annotations

import doctest
import importlib
import pathlib
import re

import pytest
from tests.conftest import require

README = pathlib.Path(__file__).resolve().parents[2] / "packages/images/README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("module", ["frame", "conversions"])
def test_docstring_examples(module):
    if module == "conversions":
        require("numpy")
    mod = importlib.import_module(f"agentutils_images.{module}")
    globs = {"VideoFrame": importlib.import_module("agentutils_images").VideoFrame}
    result = doctest.testmod(mod, extraglobs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_public_name_is_exported_and_documented():
    import inspect

    import agentutils_images

    for name in agentutils_images.__all__:
        value = getattr(agentutils_images, name)
        assert value is not None
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name


def test_every_submodule_declares_what_the_top_level_exports():
    import agentutils_images

    exported = set(agentutils_images.__all__)
    for module in ("conversions", "encoding", "encoder_registry", "errors", "frame", "raw_image", "resize"):
        names = importlib.import_module(f"agentutils_images.{module}").__all__
        # the hook specification is the kind's contract with plugins, not an API to call
        assert {n for n in names if not n.startswith("agentutils_")} <= exported, module
