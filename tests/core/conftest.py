from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from agentutils_core import reset_plugin_manager


@pytest.fixture
def make_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., EntryPoint]]:
    """Create a real distribution (dist-info + module) on sys.path with an agentutils entry point."""
    created: list[str] = []

    def make(ep_name: str, code: str, *, dist: str = "fake-plugin", version: str = "1.0") -> EntryPoint:
        module = f"agentutils_test_{ep_name.replace('-', '_')}_{len(created)}"
        root = tmp_path / f"site_{len(created)}"
        root.mkdir()
        (root / f"{module}.py").write_text(textwrap.dedent(code))
        info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[agentutils]\n{ep_name} = {module}\n")
        monkeypatch.syspath_prepend(str(root))
        created.append(module)
        (ep,) = [e for e in entry_points(group="agentutils") if e.value == module]
        return ep

    reset_plugin_manager()
    yield make
    for module in created:
        sys.modules.pop(module, None)
    reset_plugin_manager()


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
def agentutils_audio_backends():
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
