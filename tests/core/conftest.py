from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint

import pytest

BACKEND_PLUGIN = """
from agentutils_core import hookimpl

class Backend:
    def __init__(self, name, priority, available=True):
        self.name = name
        self.priority = priority
        self._available = available

    def is_available(self):
        return self._available

    def unavailable_reason(self):
        return "needs the moon"

@hookimpl
def agentutils_test_widgets():
    return [{backends}]
"""


@pytest.fixture
def backend_plugin(make_plugin: Callable[..., EntryPoint]) -> Callable[..., EntryPoint]:
    """A plugin providing audio-backend-like providers: ``backend_plugin(ep, "Backend('a', 1)", ...)``."""

    def make(ep_name: str, *backends: str, dist: str = "fake-plugin", version: str = "1.0") -> EntryPoint:
        return make_plugin(
            ep_name, BACKEND_PLUGIN.format(backends=", ".join(backends)), dist=dist, version=version
        )

    return make


WIDGETS_KIND = """
from agentutils_core import hookspec

@hookspec
def agentutils_test_widgets():
    \"\"\"Return the test widgets this plugin provides.\"\"\"
"""


@pytest.fixture(autouse=True)
def widgets_kind(make_plugin: Callable[..., EntryPoint]) -> EntryPoint:
    """A plugin kind (``agentutils_test_widgets``) declared by a throwaway distribution.

    Core names no member's hook: its tests bring their own kind, declared exactly as a
    member declares one (an ``agentutils.hookspecs`` entry point).
    """
    return make_plugin("test-widgets", WIDGETS_KIND, dist="widgets-kind", group="agentutils.hookspecs")
