"""Shared test configuration: hypothesis profiles, optional-dependency helpers, isolation."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import shutil
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

# The machines are shared and noisy: no per-example deadline; the example counts are
# the defaults unless a test asks for more.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

REPO = Path(__file__).resolve().parent.parent


def _read_members() -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    """The members, read from ``packages/*/pyproject.toml``: the one list of them.

    Returns ``(folder -> import name, folder -> sibling folders it depends on,
    folder -> third-party distributions it depends on)``.
    """
    members: dict[str, str] = {}
    siblings: dict[str, set[str]] = {}
    third_party: dict[str, set[str]] = {}
    for pyproject in sorted(REPO.glob("packages/*/pyproject.toml")):
        folder = pyproject.parent.name
        members[folder] = "agentutils_" + folder.replace("-", "_")
        text = pyproject.read_text()
        deps_line = re.search(r"^dependencies = \[(.*?)\]", text, re.M | re.S)
        names = re.findall(r'"([A-Za-z0-9_.-]+)', deps_line.group(1) if deps_line else "")
        siblings[folder] = {n.removeprefix("agentutils-") for n in names if n.startswith("agentutils-")}
        third_party[folder] = {n.lower() for n in names if not n.startswith("agentutils-")}
    return members, siblings, third_party


MEMBERS, MEMBER_DEPENDS, MEMBER_THIRD_PARTY = _read_members()
# Optional third-party distributions and their import names: none may be importable in a
# member's isolated environment unless the member depends on it.
OPTIONAL_DISTRIBUTIONS = {
    "numpy": "numpy",
    "aiohttp": "aiohttp",
    "livekit": "livekit",
    "soxr": "soxr",
    "av": "av",
    "pillow": "PIL",
    "simplejpeg": "simplejpeg",
    "psutil": "psutil",
    "agentutils": "agentutils",
}
OPTIONAL = tuple(OPTIONAL_DISTRIBUTIONS.values())


README_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def run_readme(readme: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a README's ```python blocks, in order, in one fresh interpreter, as a reader would.

    Warnings are errors, and so is a warning raised in a finalizer (an unclosed session or
    socket is only printed as "Exception ignored"). An example that fails only because an optional
    dependency is missing (a ``ModuleNotFoundError`` for one, or a provider saying which
    extra to install) is skipped, and failed in the full leg. Returns the finished process.
    """
    blocks = README_BLOCK.findall(readme.read_text())
    if not blocks:
        pytest.fail(f"{readme} has no python example")
    script = tmp_path / "readme_example.py"
    script.write_text("\n\n".join(blocks))
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    missing = re.search(r"ModuleNotFoundError: No module named '([\w.]+)'", result.stderr)
    extra = re.search(r"ProviderUnavailableError: .*install (agentutils-[\w-]+\[[\w,]+\])", result.stderr)
    optional = set(OPTIONAL) | {"PIL", "livekit"}
    needed = missing.group(1) if missing and missing.group(1).split(".")[0] in optional else None
    needed = needed or (extra.group(1) if extra else None)
    if result.returncode != 0 and needed:
        if full_leg():
            pytest.fail(f"{readme}: {needed} missing in the full leg")
        pytest.skip(f"{readme.parent.name} README needs {needed}")
    assert result.returncode == 0, f"{readme} example failed:\n{result.stderr}"
    assert "Exception ignored" not in result.stderr, result.stderr
    return result


@dataclass(frozen=True)
class SelfSigned:
    """A self-signed certificate for localhost and 127.0.0.1, made in the test session."""

    cert: Path
    key: Path
    hashed_dir: Path  # a CA folder as OpenSSL reads it: <subject hash>.0

    def server_context(self) -> ssl.SSLContext:
        """A server context presenting the certificate."""
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts this certificate."""
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> SelfSigned:
    """Made with the openssl command (no test-only Python dependency)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    subject_hash = subprocess.run(
        [openssl, "x509", "-hash", "-noout", "-in", str(cert)], check=True, capture_output=True, text=True
    ).stdout.strip()
    hashed_dir = folder / "hashed"
    hashed_dir.mkdir()
    shutil.copy(cert, hashed_dir / f"{subject_hash}.0")
    return SelfSigned(cert, key, hashed_dir)


def loaded_after(code: str, modules: Iterable[str]) -> list[str]:
    """Run ``code`` in a fresh interpreter; return which of ``modules`` it left imported, sorted."""
    names = sorted(modules)
    probe = f"{code}\nimport sys\nprint(repr([m for m in {names!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return list(ast.literal_eval(out.strip().splitlines()[-1]))


def try_import(name: str) -> ModuleType | None:
    """Import ``name`` if it is installed, else return None (for optional dependencies)."""
    if importlib.util.find_spec(name.split(".")[0]) is None:
        return None
    return importlib.import_module(name)


def full_leg() -> bool:
    """Whether this run is the matrix leg that must have every optional dependency."""
    return os.environ.get("AGENTUTILS_TEST_LEG") == "full"


def require(name: str) -> ModuleType:
    """Import an optional dependency, or skip the test; in the full leg, fail instead."""
    module = try_import(name)
    if module is None:
        if full_leg():
            pytest.fail(f"{name} must be installed in the full matrix leg")
        pytest.skip(f"{name} is not installed")
    return module


@pytest.fixture
def isolation_check() -> object:
    """The :func:`assert_isolated` check, as a fixture for the members' test_isolation.py."""
    return assert_isolated


def assert_isolated(member: str) -> None:
    """In the isolated environment of ``member``, check that only its dependencies are present."""
    isolated = os.environ.get("AGENTUTILS_ISOLATED")
    if isolated is None:
        pytest.skip("not running in an isolated member environment")
    if isolated != member:
        pytest.fail(f"isolated environment is for {isolated!r}, but tests of {member!r} ran in it")
    assert importlib.util.find_spec(MEMBERS[member]) is not None
    allowed = MEMBER_DEPENDS[member] | {member}
    present = [m for m, mod in MEMBERS.items() if m not in allowed and importlib.util.find_spec(mod)]
    assert present == [], f"siblings importable in the isolated {member} environment: {present}"
    own = {OPTIONAL_DISTRIBUTIONS[d] for d in MEMBER_THIRD_PARTY[member] if d in OPTIONAL_DISTRIBUTIONS}
    extra = [name for name in OPTIONAL if name not in own and importlib.util.find_spec(name) is not None]
    assert extra == [], f"optional dependencies importable in the isolated {member} environment: {extra}"


@pytest.fixture
def make_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., EntryPoint]]:
    """Create a real distribution (dist-info + module) on sys.path with an agentutils entry point.

    Entry points made for the same distribution (name and version) go into one dist-info,
    as a real distribution declares its kind (``agentutils.hookspecs``) and its built-in
    plugins (``agentutils``) side by side.
    """
    created: list[str] = []
    dists: dict[tuple[str, str], tuple[Path, dict[str, list[str]]]] = {}

    def make(
        ep_name: str,
        code: str,
        *,
        dist: str = "fake-plugin",
        version: str = "1.0",
        group: str = "agentutils",
    ) -> EntryPoint:
        module = f"agentutils_test_{ep_name.replace('-', '_')}_{len(created)}"
        known = dists.get((dist, version))
        if known is not None and "agentutils.hookspecs" not in {group, *known[1]}:
            known = None  # plain plugins of one name stay separate distributions, as before
        root, groups = known or (tmp_path, {})
        if known is None:
            root = tmp_path / f"site_{len(created)}"
            groups = {}
            root.mkdir()
            info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
            info.mkdir()
            (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
            monkeypatch.syspath_prepend(str(root))
            make.sites.append(str(root))  # type: ignore[attr-defined]
        (root / f"{module}.py").write_text(textwrap.dedent(code))
        groups.setdefault(group, []).append(f"{ep_name} = {module}")
        dists[(dist, version)] = (root, groups)
        text = "".join(f"[{g}]\n" + "\n".join(lines) + "\n" for g, lines in groups.items())
        (root / f"{dist.replace('-', '_')}-{version}.dist-info" / "entry_points.txt").write_text(text)
        importlib.invalidate_caches()
        created.append(module)
        (ep,) = [e for e in entry_points(group=group) if e.value == module]
        return ep

    from agentutils_core import reset_plugin_manager

    make.sites = []  # type: ignore[attr-defined]  # sys.path entries, for child processes
    reset_plugin_manager()
    yield make
    for module in created:
        sys.modules.pop(module, None)
    reset_plugin_manager()
