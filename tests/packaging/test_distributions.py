"""The built wheels and sdists (the release command's output) and each member installed alone.

Runs in its own hatch environment (``hatch run packaging:run``), once, not in every matrix
leg. The members are the ``packages/*`` glob (``tests/conftest.py``'s tables); nothing
here names one.
"""

from __future__ import annotations

import configparser
import email.message
import email.parser
import json
import pathlib
import subprocess
import sys
import tarfile
import zipfile

import pytest
from tests.conftest import MEMBER_DEPENDS, MEMBER_THIRD_PARTY, MEMBERS, OPTIONAL, OPTIONAL_DISTRIBUTIONS
from tests.packaging.conftest import ROOT, VERSION, entry_points, pyproject, release, tool

PLUGIN_GROUPS = ("agentutils", "agentutils.hookspecs")


def _dist(member: str) -> str:
    return f"agentutils-{member}"


def _wheel(dist_dir: pathlib.Path, dist: str, version: str = VERSION) -> pathlib.Path:
    (wheel,) = dist_dir.glob(f"{dist.replace('-', '_')}-{version}-*.whl")
    return wheel


def _metadata(wheel: pathlib.Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(zf.read(name).decode())


def _entry_points(text: str, group: str) -> dict[str, str]:
    """The entries of ``group`` in an entry_points.txt (empty when the group is absent)."""
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the names as written
    parser.read_string(text)
    return dict(parser[group]) if parser.has_section(group) else {}


def _wheel_text(wheel: pathlib.Path, suffix: str) -> tuple[list[str], str]:
    """The wheel's file names, and the text of its one file ending with ``suffix`` ("" if none)."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        found = [n for n in names if n.endswith(suffix)]
        return names, zf.read(found[0]).decode() if found else ""


@pytest.mark.parametrize("member", MEMBERS)
def test_wheel_and_sdist_metadata(dist_dir, member):
    dist, module = _dist(member), MEMBERS[member]
    project = pyproject(member)["project"]
    meta = _metadata(_wheel(dist_dir, dist))
    assert meta["Name"] == dist
    assert meta["Version"] == VERSION
    assert meta["Requires-Python"] == ">=3.10"
    assert meta.get("Description-Content-Type") == "text/markdown"
    requires = meta.get_all("Requires-Dist") or []
    for dep in MEMBER_DEPENDS[member]:
        assert f"agentutils-{dep}=={VERSION}" in project["dependencies"]
        assert f"agentutils-{dep}=={VERSION}" in requires
    names, text = _wheel_text(_wheel(dist_dir, dist), ".dist-info/entry_points.txt")
    assert f"{module}/py.typed" in names
    assert f"{module}/__init__.py" in names
    assert not any(n.startswith(("tests/", "packages/")) for n in names)
    for group in PLUGIN_GROUPS:
        assert _entry_points(text, group) == entry_points(member, group)
    (sdist,) = dist_dir.glob(f"{dist.replace('-', '_')}-{VERSION}.tar.gz")
    with tarfile.open(sdist) as tf:
        sdist_names = tf.getnames()
    top = f"{dist.replace('-', '_')}-{VERSION}"
    for required in ("pyproject.toml", "README.md", f"src/{module}/py.typed", f"src/{module}/__about__.py"):
        assert f"{top}/{required}" in sdist_names


def test_meta_package_pins_every_member(dist_dir):
    meta = _metadata(_wheel(dist_dir, "agentutils"))
    requires = meta.get_all("Requires-Dist") or []
    # Every member is reachable from the meta-package, pinned exactly (directly or through an extra).
    pinned = {}
    for req in requires:
        match = release.INTERNAL_REQ_RE.match(req)
        if match:
            pinned[match.group(1)] = match.group(3)
    assert pinned == {_dist(member): f"=={VERSION}" for member in MEMBERS}
    assert set(meta.get_all("Provides-Extra") or []) >= {"numpy", "aiohttp", "all"}


def test_meta_package_wheel_and_sdist(dist_dir):
    names, text = _wheel_text(_wheel(dist_dir, "agentutils"), ".dist-info/entry_points.txt")
    assert _entry_points(text, "console_scripts") == {"agentutils": "agentutils.cli:main"}
    for required in ("py.typed", "__init__.py", "__main__.py", "cli.py"):
        assert f"agentutils/{required}" in names
    assert not any(n.startswith(("agentutils_", "tests/", "packages/", "examples/")) for n in names)
    (sdist,) = dist_dir.glob(f"agentutils-{VERSION}.tar.gz")
    with tarfile.open(sdist) as tf:
        sdist_names = tf.getnames()
    for required in ("pyproject.toml", "README.md", "src/agentutils/py.typed", "src/agentutils/cli.py"):
        assert f"agentutils-{VERSION}/{required}" in sdist_names


def test_example_plugin_wheel_declares_its_entry_point(tmp_path):
    # A third party's distribution, built as its author would: not part of the release.
    subprocess.run(
        [
            tool("uv"),
            "build",
            "-q",
            "--no-sources",
            "--wheel",
            "-o",
            str(tmp_path),
            str(ROOT / "examples/plugin"),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("agentutils_example_plugin-*.whl")
    names, text = _wheel_text(wheel, ".dist-info/entry_points.txt")
    assert _entry_points(text, "agentutils") == {"example": "agentutils_example_plugin.hooks"}
    assert "agentutils_example_plugin/py.typed" in names


def _with_dependencies(member: str) -> set[str]:
    """``member`` and every member it needs, directly or not."""
    found, todo = set(), [member]
    while todo:
        m = todo.pop()
        if m not in found:
            found.add(m)
            todo.extend(MEMBER_DEPENDS[m])
    return found


ALONE_CHECK = """
import importlib, importlib.util, json, pkgutil, sys
from importlib.metadata import entry_points
member, module, siblings, optional, absent = sys.argv[1:6]
m = importlib.import_module(module)
missing = [n for n in getattr(m, "__all__", []) if not hasattr(m, n)]
assert not missing, missing
# Every submodule imports without the siblings; only an optional dependency may be missing.
for info in pkgutil.walk_packages(m.__path__, m.__name__ + "."):
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in optional.split(","):
            raise
present = [s for s in siblings.split(",") if s and importlib.util.find_spec(s)]
assert not present, present
present = [s for s in absent.split(",") if s and importlib.util.find_spec(s)]
assert not present, f"optional dependencies installed without being asked for: {present}"
# The member's own plugin entry points load, alone.
found = {}
for group in ("agentutils", "agentutils.hookspecs"):
    eps = {ep.name: ep.value for ep in entry_points(group=group)}
    for ep in entry_points(group=group):
        ep.load()
    found[group] = eps
print(json.dumps({"version": m.__version__, "entry_points": found}))
"""


@pytest.mark.parametrize("member", MEMBERS)
def test_member_installs_and_imports_alone(dist_dir, member, tmp_path, uv_cache):
    uv = tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [uv, "pip", "install", "-q", "--python", str(python), "--cache-dir", uv_cache]
    install += ["--find-links", str(dist_dir)]
    subprocess.run([*install, f"{_dist(member)}=={VERSION}"], check=True)
    siblings = [mod for m, mod in MEMBERS.items() if m not in _with_dependencies(member)]
    own = {OPTIONAL_DISTRIBUTIONS.get(d) for d in MEMBER_THIRD_PARTY[member]}
    absent = [name for name in OPTIONAL if name not in own]
    args = [member, MEMBERS[member], ",".join(siblings), ",".join(OPTIONAL), ",".join(absent)]
    result = subprocess.run(
        [str(python), "-c", ALONE_CHECK, *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["version"] == VERSION
    for group in PLUGIN_GROUPS:
        # Exactly its own plugins: those of the core it depends on (if any) and its own.
        expected: dict[str, str] = {}
        for dep in sorted(_with_dependencies(member)):
            expected |= entry_points(dep, group)
        assert report["entry_points"][group] == expected
