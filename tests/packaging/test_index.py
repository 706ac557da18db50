"""Publish to a real package index and install every distribution from it by name.

A ``pypiserver`` (from PyPI) runs on 127.0.0.1 with an ephemeral port. It serves an empty
upload folder and a wheelhouse of the third-party dependencies, downloaded once into
``.cache/wheelhouse/`` (gitignored; reused while the requirements are unchanged). The
release command's distributions are published to it with ``twine upload``, then each
install line a user would type runs in a fresh virtual environment with ``--index-url``
pointing at it and nothing else: every agentutils distribution comes from the upload.
Each environment imports what it installed and runs a smoke call; the ``agentutils[all]``
one runs ``agentutils plugins`` and must find every built-in plugin in the wheels.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from tests.conftest import MEMBERS, OPTIONAL_DISTRIBUTIONS
from tests.packaging.conftest import ROOT, VERSION, entry_points, release, tool

SMOKE_EVENTS = """
from agentutils_events import EventEmitter
emitter = EventEmitter()
got = []
emitter.on("ping", got.append)
emitter.emit("ping", 1)
assert got == [1], got
"""
SMOKE_AUDIO = """
from agentutils_audio import AudioFrame, combine_frames, frame_levels
a = AudioFrame(b"\\x01\\x02\\x03\\x04", sample_rate=48000, num_channels=2, samples_per_channel=1)
both = combine_frames([a, a])
assert bytes(both.data) == b"\\x01\\x02\\x03\\x04" * 2, bytes(both.data)
frame_levels(both)
"""
SMOKE_POOL_WS = """
import asyncio
from aiohttp import web
from agentutils_pool import ConnectionPool

async def echo(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        await ws.send_str(msg.data)
    return ws

async def main():
    app = web.Application()
    app.router.add_get("/echo", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    async with ConnectionPool.from_url(f"ws://127.0.0.1:{port}/echo") as pool:
        async with pool.connection(timeout=10) as ws:
            await ws.send_str("hello")
            assert await ws.receive_str(timeout=10) == "hello"
    await runner.cleanup()

asyncio.run(main())
"""


@dataclass(frozen=True)
class Line:
    """One install line a user types, what it must make importable, and a smoke call."""

    requirement: str
    modules: tuple[str, ...]
    smoke: str = ""
    # The member whose README's first Python example is the smoke call (the examples are
    # kept running by each member's test_docs.py).
    readme: str = ""

    def smoke_code(self) -> str:
        """The smoke call's code."""
        if not self.readme:
            return textwrap.dedent(self.smoke)
        text = (ROOT / "packages" / self.readme / "README.md").read_text()
        (first, *_) = re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)
        return first


# The lines of the issue: a member alone, with its extras; and everything.
LINES = (
    Line("agentutils-events", ("agentutils_events",), SMOKE_EVENTS),
    Line("agentutils-audio[numpy]", ("agentutils_audio", "numpy"), SMOKE_AUDIO),
    Line("agentutils-pool[aiohttp]", ("agentutils_pool", "aiohttp"), SMOKE_POOL_WS),
    Line("agentutils-codecs[av]", ("agentutils_codecs", "av"), readme="codecs"),
    Line("agentutils-images[pillow,simplejpeg]", ("agentutils_images", "PIL", "simplejpeg"), readme="images"),
    Line("agentutils-http", ("agentutils_http", "aiohttp"), readme="http"),
    Line("agentutils-hw[psutil]", ("agentutils_hw", "psutil"), readme="hw"),
    Line(
        "agentutils[all]",
        ("agentutils", *MEMBERS.values(), *sorted(set(OPTIONAL_DISTRIBUTIONS.values()) - {"agentutils"})),
        SMOKE_EVENTS + SMOKE_AUDIO + SMOKE_POOL_WS,
    ),
)

# In each environment: every module imports, a member's public names resolve, its version
# is the release's, and every submodule imports (the extras make them all importable).
CHECK = """
import importlib, json, pkgutil, sys
version, modules = sys.argv[1], sys.argv[2].split(",")
for name in modules:
    m = importlib.import_module(name)
    if name.startswith("agentutils"):
        assert m.__version__ == version, (name, m.__version__)
        missing = [n for n in getattr(m, "__all__", []) if not hasattr(m, n)]
        assert not missing, (name, missing)
        for info in pkgutil.walk_packages(m.__path__, name + "."):
            if not info.name.endswith(".__main__"):  # that one runs the command
                importlib.import_module(info.name)
"""

# ---------------------------------------------------------------- the wheelhouse


def _third_party_requirements(dist_dir: pathlib.Path) -> list[str]:
    """Every third-party requirement of every built wheel, extras' included (their markers dropped)."""
    found = set()
    for wheel in dist_dir.glob("*.whl"):
        with zipfile.ZipFile(wheel) as zf:
            (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
            text = zf.read(meta).decode()
        for req in re.findall(r"^Requires-Dist: (.+)$", text, re.M):
            if release.INTERNAL_REQ_RE.match(req):
                continue
            spec, _, marker = req.partition(";")
            found.add(spec.strip() if "extra" in marker else req.strip())
    return sorted(found)


@pytest.fixture(scope="session")
def wheelhouse(dist_dir: pathlib.Path, pytestconfig: pytest.Config) -> pathlib.Path:
    """The third-party wheels, downloaded once per set of requirements (and interpreter)."""
    reqs = _third_party_requirements(dist_dir)
    key_text = "\n".join([*reqs, sys.version, platform.machine()])
    key = hashlib.sha256(key_text.encode()).hexdigest()[:16]
    folder = ROOT / ".cache" / "wheelhouse" / key
    if (folder / "complete").is_file():
        return folder
    partial = folder.with_name(key + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():  # a long step: say what it does
        print(f"\ndownloading the third-party wheelhouse once: {len(reqs)} requirements, into {folder}")
    pip = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--only-binary",
        ":all:",
        "--dest",
        str(partial),
    ]
    env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
    subprocess.run([*pip, *reqs], check=True, env=env)
    (partial / "complete").write_text("\n".join(reqs) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


# ---------------------------------------------------------------- the index

SERVER = """
import pathlib, socketserver, sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
import pypiserver

class Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

roots = [pathlib.Path(p) for p in sys.argv[1:]]
# No authentication (a throwaway index), no fallback to the public index: a missing
# distribution is a 404, not a silent download from elsewhere.
app = pypiserver.app(roots=roots, authenticate=[], password_file=".", disable_fallback=True)
httpd = make_server("127.0.0.1", 0, app, server_class=Server, handler_class=Quiet)
print(httpd.server_port, flush=True)
httpd.serve_forever()
"""


@pytest.fixture(scope="session")
def index(tmp_path_factory: pytest.TempPathFactory, wheelhouse: pathlib.Path) -> Iterator[str]:
    """The URL of a running pypiserver: an empty upload folder first (uploads land there), the wheelhouse."""
    uploads = tmp_path_factory.mktemp("uploads")
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(uploads), str(wheelhouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


@pytest.fixture(scope="session")
def published(index: str, dist_dir: pathlib.Path) -> list[str]:
    """Upload every built file with twine, as the release workflow does to PyPI; the names uploaded."""
    files = sorted(str(p) for p in dist_dir.iterdir() if p.name.endswith((".whl", ".tar.gz")))
    twine = [
        sys.executable,
        "-m",
        "twine",
        "--no-color",
        "upload",
        "--non-interactive",
        "--disable-progress-bar",
    ]
    subprocess.run(
        [*twine, "--repository-url", f"{index}/", "-u", "agentutils", "-p", "unused", *files],
        check=True,
        capture_output=True,
    )
    return [pathlib.Path(f).name for f in files]


def _simple_page(index: str, project: str) -> str:
    with urllib.request.urlopen(f"{index}/simple/{project}/", timeout=30) as response:
        return response.read().decode()


def test_twine_upload_publishes_every_distribution(index, published):
    for project in release.projects():
        page = _simple_page(index, project.name)
        stem = project.name.replace("-", "_")
        for suffix in ("-py3-none-any.whl", ".tar.gz"):
            assert f"{stem}-{VERSION}{suffix}" in page, (project.name, suffix)
    assert len(published) == 2 * len(release.projects())


# ---------------------------------------------------------------- installing by name


@dataclass
class Installed:
    """What one install line gave: its environment's interpreter, the distributions, the time."""

    python: pathlib.Path
    distributions: dict[str, str]
    seconds: float


def _install(line: Line, index: str, root: pathlib.Path, uv_cache: str) -> Installed:
    uv = tool("uv")
    venv = root / re.sub(r"[^a-z0-9]+", "-", line.requirement)
    start = time.monotonic()
    subprocess.run([uv, "venv", "-q", "--no-config", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [uv, "pip", "install", "-q", "--no-config", "--python", str(python), "--cache-dir", uv_cache]
    result = subprocess.run(
        [*install, "--index-url", f"{index}/simple/", line.requirement],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"installing {line.requirement!r} by name failed:\n{result.stderr}")
    seconds = time.monotonic() - start
    listing = subprocess.run(
        [uv, "pip", "list", "--no-config", "--python", str(python), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    dists = {d["name"]: d["version"] for d in json.loads(listing.stdout)}
    return Installed(python, dists, seconds)


@pytest.fixture(scope="session")
def installs(published, index, tmp_path_factory, uv_cache) -> dict[str, Installed | Exception]:
    """Every install line, each in a fresh virtual environment, three at a time."""
    root = tmp_path_factory.mktemp("venvs")
    results: dict[str, Installed | Exception] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        futures = {line.requirement: pool.submit(_install, line, index, root, uv_cache) for line in LINES}
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except Exception as exc:  # reported by the test of that line
                results[name] = exc
    return results


def _installed(installs: dict[str, Installed | Exception], requirement: str) -> Installed:
    result = installs[requirement]
    if isinstance(result, Exception):
        pytest.fail(str(result))
    return result


@pytest.mark.parametrize("line", LINES, ids=lambda line: line.requirement)
def test_install_by_name_imports_and_runs(installs, line):
    env = _installed(installs, line.requirement)
    internal = {name: v for name, v in env.distributions.items() if name.startswith("agentutils")}
    assert set(internal.values()) == {VERSION}, internal
    modules = ",".join(line.modules)
    checked = subprocess.run(
        [str(env.python), "-c", CHECK, VERSION, modules], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    ran = subprocess.run(
        [str(env.python), "-c", line.smoke_code()], capture_output=True, text=True, check=False, timeout=120
    )
    assert ran.returncode == 0, ran.stderr


def test_every_member_is_installed_by_name_somewhere():
    covered = {m for line in LINES for m in line.modules}
    assert set(MEMBERS.values()) <= covered


def test_agentutils_plugins_finds_every_built_in_plugin(installs):
    env = _installed(installs, "agentutils[all]")
    cli = env.python.parent / "agentutils"
    result = subprocess.run([str(cli), "plugins", "--json"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = {
        (name, value, f"agentutils-{member}")
        for member in MEMBERS
        for name, value in entry_points(member, "agentutils").items()
    }
    assert {(p["name"], p["value"], p["distribution"]) for p in data["plugins"]} == expected
    assert {p["version"] for p in data["plugins"]} == {VERSION}
    assert data["failures"] == []


def test_install_by_name_table(installs, capsys):
    """Print what each install line gave (the table the release notes paste); all must have worked."""
    rows = [["install line", "distributions", "agentutils-*", "seconds"]]
    for line in LINES:
        env = _installed(installs, line.requirement)
        internal = sorted(n for n in env.distributions if n.startswith("agentutils"))
        rows.append([line.requirement, str(len(env.distributions)), str(len(internal)), f"{env.seconds:.1f}"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    text = "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    with capsys.disabled():
        print("\n\ninstall by name from the local index (uv, a fresh venv each):\n" + text)
    assert len(rows) == len(LINES) + 1
