"""Build every distribution (``hatch build``), check its metadata, and install each member alone.

Runs in its own hatch environment (``hatch run packaging:run``), once, not in every matrix leg:
it builds wheels and sdists and creates one fresh virtual environment per member.
"""

from __future__ import annotations

import email.parser
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
MEMBERS = {
    "core": ("agentutils-core", "agentutils_core", set()),
    "events": ("agentutils-events", "agentutils_events", set()),
    "audio": ("agentutils-audio", "agentutils_audio", {"core"}),
    "pool": ("agentutils-pool", "agentutils_pool", {"core"}),
    "rtc-helpers": ("agentutils-rtc-helpers", "agentutils_rtc_helpers", {"core", "events"}),
    "filters": ("agentutils-filters", "agentutils_filters", {"core"}),
}
ENTRY_POINTS = {"audio": {"audio": "agentutils_audio.hooks"}, "pool": {"pool": "agentutils_pool.hooks"}}
OPTIONAL = ("numpy", "aiohttp", "livekit")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not on PATH (scripts/test.sh puts .tools/bin there)")
    return path


@pytest.fixture(scope="module")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("dist")
    hatch = _tool("hatch")
    # Not the environment this test runs in: each member is built as its own project.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HATCH_ENV_ACTIVE")}
    for folder in [*(ROOT / "packages" / m for m in MEMBERS), ROOT, ROOT / "examples" / "plugin"]:
        subprocess.run(
            [hatch, "build", "-t", "wheel", "-t", "sdist", str(out)], cwd=folder, env=env, check=True
        )
    return out


def _wheel(dist_dir: pathlib.Path, dist: str) -> pathlib.Path:
    (wheel,) = dist_dir.glob(f"{dist.replace('-', '_')}-*.whl")
    return wheel


def _metadata(wheel: pathlib.Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(zf.read(name).decode())


@pytest.mark.parametrize("member", MEMBERS)
def test_wheel_and_sdist_metadata(dist_dir, member):
    dist, module, depends = MEMBERS[member]
    project = tomllib.loads((ROOT / "packages" / member / "pyproject.toml").read_text())["project"]
    about = (ROOT / "packages" / member / "src" / module / "__about__.py").read_text()
    wheel = _wheel(dist_dir, dist)
    meta = _metadata(wheel)
    assert meta["Name"] == dist
    assert f'__version__ = "{meta["Version"]}"' in about
    assert meta["Requires-Python"] == ">=3.10"
    requires = meta.get_all("Requires-Dist") or []
    declared = set(project["dependencies"])
    for dep in depends:
        assert f"agentutils-{dep}==0.1.0" in declared
        assert any(r.startswith(f"agentutils-{dep}==") for r in requires)
    assert meta.get("Description-Content-Type") == "text/markdown"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert f"{module}/py.typed" in names
        assert f"{module}/__init__.py" in names
        assert not any(n.startswith(("tests/", "packages/")) for n in names)
        eps = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        text = zf.read(eps[0]).decode() if eps else ""
        assert _entry_points(text, "agentutils") == ENTRY_POINTS.get(member, {})
    (sdist,) = dist_dir.glob(f"{dist.replace('-', '_')}-*.tar.gz")
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
    top = names[0].split("/")[0]
    for required in ("pyproject.toml", "README.md", f"src/{module}/py.typed", f"src/{module}/__init__.py"):
        assert f"{top}/{required}" in names


def _entry_points(text: str, group: str) -> dict[str, str]:
    """The entries of ``group`` in an entry_points.txt (empty when the group is absent)."""
    import configparser

    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # keep the names as written
    parser.read_string(text)
    return dict(parser[group]) if parser.has_section(group) else {}


def _wheel_text(wheel: pathlib.Path, suffix: str) -> tuple[list[str], str]:
    """The wheel's file names, and the text of its one file ending with ``suffix``."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (found,) = [n for n in names if n.endswith(suffix)]
        return names, zf.read(found).decode()


def test_meta_package_pins_every_member(dist_dir):
    meta = _metadata(_wheel(dist_dir, "agentutils"))
    requires = meta.get_all("Requires-Dist") or []
    for dist, _, _ in MEMBERS.values():
        assert f"{dist}==0.1.0" in requires
    assert set(meta.get_all("Provides-Extra") or []) >= {"numpy", "aiohttp", "all"}


def test_meta_package_wheel_and_sdist(dist_dir):
    names, text = _wheel_text(_wheel(dist_dir, "agentutils"), ".dist-info/entry_points.txt")
    assert _entry_points(text, "console_scripts") == {"agentutils": "agentutils.cli:main"}
    for required in ("py.typed", "__init__.py", "__main__.py", "cli.py"):
        assert f"agentutils/{required}" in names
    assert not any(n.startswith(("agentutils_", "tests/", "packages/", "examples/")) for n in names)
    (sdist,) = dist_dir.glob("agentutils-*.tar.gz")
    with tarfile.open(sdist) as tf:
        sdist_names = tf.getnames()
    top = sdist_names[0].split("/")[0]
    for required in ("pyproject.toml", "README.md", "src/agentutils/py.typed", "src/agentutils/cli.py"):
        assert f"{top}/{required}" in sdist_names


def test_example_plugin_wheel_declares_its_entry_point(dist_dir):
    names, text = _wheel_text(_wheel(dist_dir, "agentutils-example-plugin"), ".dist-info/entry_points.txt")
    assert _entry_points(text, "agentutils") == {"example": "agentutils_example_plugin.hooks"}
    assert "agentutils_example_plugin/py.typed" in names


@pytest.mark.parametrize("member", MEMBERS)
def test_member_installs_and_imports_alone(dist_dir, member, tmp_path):
    dist, module, depends = MEMBERS[member]
    uv = _tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "-q",
            "--python",
            str(python),
            "--find-links",
            str(dist_dir),
            f"{dist}==0.1.0",
        ],
        check=True,
    )
    siblings = [m for m, (_, mod, _) in MEMBERS.items() if m != member and m not in depends]
    expected_plugins = sorted(f"{name}={value}" for name, value in ENTRY_POINTS.get(member, {}).items())
    check = (
        "import importlib, importlib.util, pkgutil, sys\n"
        f"m = importlib.import_module({module!r})\n"
        "names = getattr(m, '__all__', [])\n"
        "missing = [n for n in names if not hasattr(m, n)]\n"
        "assert not missing, missing\n"
        # Every submodule imports without the siblings; only an optional dependency may be missing.
        "for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "    try:\n"
        "        importlib.import_module(info.name)\n"
        "    except ModuleNotFoundError as exc:\n"
        f"        if (exc.name or '').split('.')[0] not in {OPTIONAL!r}:\n"
        "            raise\n"
        f"present = [s for s in {[MEMBERS[s][1] for s in siblings]!r} if importlib.util.find_spec(s)]\n"
        "assert not present, present\n"
        "assert importlib.util.find_spec('numpy') is None\n"
        # The member's entry points load and their hooks answer, alone (strict: any failure raises).
        "from agentutils_core import PluginManager\n"
        "pm = PluginManager(strict=True)\n"
        "for hook in ('agentutils_audio_backends', 'agentutils_pool_connectors'):\n"
        "    pm.call_hook(hook)\n"
        "print('ok', m.__version__, sorted(f'{p.name}={p.value}' for p in pm.plugins))\n"
    )
    result = subprocess.run([str(python), "-c", check], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok 0.1.0 {expected_plugins}"
