"""Fixtures of the packaging tests: the release command's distributions, read from the built files.

The distributions come from ``scripts/release.py build``: ``scripts/test.sh`` runs it once
and points ``AGENTUTILS_DIST`` at its ``dist/``; without that variable (a developer running
``hatch run packaging:run``) they are built here, into a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
import sys
from types import ModuleType

import pytest
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_release() -> ModuleType:
    """``scripts/release.py`` as a module (the scripts folder is no package)."""
    spec = importlib.util.spec_from_file_location("agentutils_release", ROOT / "scripts" / "release.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


release = load_release()
VERSION = release.read_version()


def pyproject(folder: str) -> dict[str, object]:
    """The parsed ``pyproject.toml`` of ``packages/<folder>``."""
    return tomllib.loads((ROOT / "packages" / folder / "pyproject.toml").read_text())


def entry_points(folder: str, group: str) -> dict[str, str]:
    """The entry points a member declares in ``group`` (its pyproject, the source of truth)."""
    project = pyproject(folder)["project"]
    assert isinstance(project, dict)
    return dict(project.get("entry-points", {}).get(group, {}))


def tool(name: str) -> str:
    """An executable the packaging tests need (``scripts/_bootstrap.sh`` puts uv on PATH)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not on PATH (source scripts/_bootstrap.sh, which puts .tools/bin there)")
    return path


@pytest.fixture(scope="session")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The folder holding every wheel and sdist of this version, as the release command built them."""
    given = os.environ.get("AGENTUTILS_DIST")
    if given:
        out = ROOT / given  # relative to the repository root, or absolute
        missing = [
            p.name for p in release.projects() if not list(out.glob(f"{_stem(p.name)}-{VERSION}-*.whl"))
        ]
        if missing:
            pytest.fail(f"AGENTUTILS_DIST={given} lacks the {VERSION} wheels of {missing}: rebuild it")
        return out
    out = tmp_path_factory.mktemp("dist")
    release.build(out, unreleased=True, log=False)
    return out


@pytest.fixture(scope="session")
def uv_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A uv cache for this run only: uv keys a local wheel by its name, and a rebuilt wheel
    of the same version would otherwise be installed from the cached older build."""
    return str(tmp_path_factory.mktemp("uv-cache"))


def _stem(name: str) -> str:
    return name.replace("-", "_")
