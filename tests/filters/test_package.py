"""The package surface: public names, docstrings, and no numpy at import."""

from __future__ import annotations

import inspect
import subprocess
import sys
from importlib.metadata import version

import agentutils_filters


def test_public_names():
    assert sorted(agentutils_filters.__all__) == [
        "ExpFilter",
        "MovingAverage",
        "__version__",
        "moving_average",
    ]
    for name in agentutils_filters.__all__:
        assert getattr(agentutils_filters, name) is not None


def test_every_public_name_is_documented():
    for name in agentutils_filters.__all__:
        obj = getattr(agentutils_filters, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(obj), name
        for member_name, member in inspect.getmembers(obj):
            if not member_name.startswith("_") and (
                inspect.isfunction(member) or isinstance(member, property)
            ):
                assert inspect.getdoc(member), f"{name}.{member_name}"


def test_version_matches_the_distribution():
    assert agentutils_filters.__version__ == version("agentutils-filters")


def test_import_does_not_import_numpy():
    code = "import sys, agentutils_filters; print('numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_pure_python_batch_does_not_import_numpy():
    code = (
        "import sys; from agentutils_filters import ExpFilter, moving_average; "
        "moving_average([1.0, 2.0], 2); ExpFilter(0.5).apply_many([1.0]); print('numpy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
