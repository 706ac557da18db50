"""The release command: every distribution at one version, built, checked and verified together.

    python scripts/release.py check [--unreleased]        lockstep and changelog entries only
    python scripts/release.py build [--out DIR] [--unreleased]
                                                          build every wheel and sdist into DIR
                                                          (default dist/), twine check --strict
    python scripts/release.py bump VERSION                write VERSION everywhere, date the changelogs

(``hatch run packaging:release ...`` runs it where twine is installed.)

The one version lives in the file ``VERSION`` at the repository root. Every member's
``__about__.py`` (hatch's version source, so a member folder alone still builds) and the
meta-package's carry a copy, and every pin of one distribution on another is exact
(``agentutils-core==VERSION``): the lockstep. ``bump`` rewrites all of them; ``check`` and
``build`` refuse to go on when any copy or pin disagrees.

A version is released only with a changelog entry: each distribution's ``CHANGELOG.md``
(Keep a Changelog) must have a ``## [VERSION]`` section with at least one entry. Before
``bump`` has dated them, ``--unreleased`` accepts the ``## [Unreleased]`` section instead
(what the test command and CI check: "what would be released"); the tag-triggered release
workflow runs without it.

The members are the folders ``packages/*`` (no list is kept here); the meta-package is the
repository root.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import email.parser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
# PEP 440 release versions with optional pre/post/dev parts, enough for this project.
VERSION_RE = re.compile(r"^\d+(\.\d+){1,2}((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
ABOUT_RE = re.compile(r'^__version__ = "([^"]*)"$', re.M)
# An internal requirement: a distribution of this project, its extras, and its specifier.
INTERNAL_REQ_RE = re.compile(r"^(agentutils(?:-[a-z0-9-]+)?)\s*(\[[^\]]*\])?\s*(.*?)\s*(;.*)?$")
PIN_RE = re.compile(r'("agentutils(?:-[a-z0-9-]+)?(?:\[[^\]]*\])?)==([^";\s]+)')
UNRELEASED = "Unreleased"
LOCKSTEP_ONLY = "Released in lockstep with the other distributions."


@dataclass(frozen=True)
class Project:
    """One distribution of the repository: a member, or the meta-package at the root."""

    name: str
    folder: Path
    about: Path
    changelog: Path
    pyproject: dict[str, object]

    @property
    def requirements(self) -> list[str]:
        """Every requirement it declares, its extras' included."""
        project = self.pyproject["project"]
        assert isinstance(project, dict)
        reqs = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            reqs.extend(extra)
        return reqs


def projects(root: Path = ROOT) -> list[Project]:
    """The members (the ``packages/*`` glob, sorted) and then the meta-package."""
    found = []
    for folder in [*sorted(p.parent for p in root.glob("packages/*/pyproject.toml")), root]:
        data = tomllib.loads((folder / "pyproject.toml").read_text())
        about = folder / data["tool"]["hatch"]["version"]["path"]
        found.append(Project(data["project"]["name"], folder, about, folder / "CHANGELOG.md", data))
    return found


def read_version(root: Path = ROOT) -> str:
    """The one version, from ``VERSION``."""
    version = (root / "VERSION").read_text().strip()
    if not VERSION_RE.match(version):
        raise ValueError(f"VERSION: expected a release version such as 1.2.0, got {version!r}")
    return version


# ---------------------------------------------------------------- lockstep


def lockstep_problems(version: str, root: Path = ROOT) -> list[str]:
    """What disagrees with ``version``: an ``__about__.py`` copy, or a pin that is not exact."""
    problems = []
    all_projects = projects(root)
    names = {p.name for p in all_projects}
    for project in all_projects:
        found = ABOUT_RE.findall(project.about.read_text())
        if found != [version]:
            problems.append(f"{_rel(project.about, root)}: __version__ is {found}, expected {version!r}")
        problems.extend(_pin_problems(project, names, version, root))
    return problems


def _pin_problems(project: Project, names: set[str], version: str, root: Path) -> list[str]:
    problems = []
    where = _rel(project.folder / "pyproject.toml", root)
    for req in project.requirements:
        match = INTERNAL_REQ_RE.match(req)
        if match is None:
            continue
        name, _, spec, _ = match.groups()
        if name == project.name and not spec:
            continue  # the meta-package's extras naming its own other extras
        if name not in names:
            problems.append(f"{where}: {req!r} names {name}, which is not a distribution here")
        elif spec != f"=={version}":
            problems.append(f"{where}: {req!r} must pin exactly {name}=={version}")
    return problems


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


# ---------------------------------------------------------------- changelogs


def changelog_sections(text: str) -> dict[str, str]:
    """The ``## [...]`` sections of a Keep a Changelog file: heading name -> body."""
    sections: dict[str, str] = {}
    parts = re.split(r"^## \[([^\]]+)\][^\n]*$", text, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[name] = body
    return sections


def has_entries(body: str) -> bool:
    """Whether a changelog section lists at least one change (a ``- `` bullet)."""
    return re.search(r"^\s*[-*] \S", body, re.M) is not None


def changelog_problems(version: str, *, unreleased: bool, root: Path = ROOT) -> list[str]:
    """The distributions whose changelog has no entry for ``version``."""
    problems = []
    for project in projects(root):
        where = _rel(project.changelog, root)
        if not project.changelog.is_file():
            problems.append(f"{where}: missing (every distribution keeps a changelog)")
            continue
        sections = changelog_sections(project.changelog.read_text())
        if version in sections:
            if not has_entries(sections[version]):
                problems.append(f"{where}: the [{version}] section lists no change")
        elif not unreleased:
            problems.append(f"{where}: no '## [{version}]' section: run `release.py bump {version}` first")
        elif not has_entries(sections.get(UNRELEASED, "")):
            problems.append(f"{where}: no entry for {version}: [{version}] and [Unreleased] list none")
    return problems


# ---------------------------------------------------------------- bump


def bump(new: str, *, root: Path = ROOT, today: datetime.date | None = None) -> list[Path]:
    """Set every copy and pin to ``new`` and date the changelogs' Unreleased sections; the files written."""
    if not VERSION_RE.match(new):
        raise ValueError(f"bump: expected a release version such as 1.2.0, got {new!r}")
    # The same version again only dates the changelogs (the first release of a version).
    date = (today or datetime.datetime.now(datetime.timezone.utc).date()).isoformat()
    written = [root / "VERSION"]
    (root / "VERSION").write_text(new + "\n")
    for project in projects(root):
        project.about.write_text(ABOUT_RE.sub(f'__version__ = "{new}"', project.about.read_text()))
        pyproject = project.folder / "pyproject.toml"
        pyproject.write_text(PIN_RE.sub(lambda m: f"{m.group(1)}=={new}", pyproject.read_text()))
        written += [project.about, pyproject]
        if project.changelog.is_file() and new not in changelog_sections(project.changelog.read_text()):
            project.changelog.write_text(_date_changelog(project.changelog.read_text(), new, date))
            written.append(project.changelog)
    return written


def _date_changelog(text: str, new: str, date: str) -> str:
    """Turn the Unreleased section into ``[new] - date`` and open an empty Unreleased above it."""
    body = changelog_sections(text).get(UNRELEASED)
    if body is None:
        raise ValueError("bump: a changelog has no '## [Unreleased]' section")
    filler = "" if has_entries(body) else f"\n### Changed\n\n- {LOCKSTEP_ONLY}\n"
    heading = re.compile(r"^## \[Unreleased\][^\n]*$", re.M)
    return heading.sub(f"## [{UNRELEASED}]\n\n## [{new}] - {date}{filler}", text, count=1)


# ---------------------------------------------------------------- build


def build(out: Path, *, unreleased: bool, root: Path = ROOT, log: bool = True) -> list[Path]:
    """Check, then build every wheel and sdist into ``out`` (emptied first), twine-check and verify them."""
    version = read_version(root)
    problems = lockstep_problems(version, root)
    problems += changelog_problems(version, unreleased=unreleased, root=root)
    if problems:
        raise SystemExit("release: refusing to build " + version + ":\n  " + "\n  ".join(problems))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    all_projects = projects(root)
    _say(log, f"building {len(all_projects)} distributions at {version} into {out} (sdist, then wheel)")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda p: _build_one(p, out), all_projects))
    files = sorted(f for f in out.iterdir() if f.name.endswith((".whl", ".tar.gz")))
    _say(log, f"twine check --strict on {len(files)} files")
    twine = [sys.executable, "-m", "twine", "--no-color", "check", "--strict"]
    subprocess.run([*twine, *map(str, files)], check=True)
    rows = [_verify_artifacts(p, out, version) for p in all_projects]
    _say(log, _table(["distribution", "version", "wheel", "sdist", "exact internal pins"], rows))
    return files


def _build_one(project: Project, out: Path) -> None:
    uv = shutil.which("uv") or "uv"
    # From the folder alone, as a user's build from the sdist would (no workspace sources);
    # uv builds the sdist first and the wheel from it, so the sdist is proven complete.
    env = {k: v for k, v in os.environ.items() if not k.startswith("HATCH_ENV_ACTIVE")}
    cmd = [uv, "build", "--quiet", "--no-sources", "--sdist", "--wheel", "--out-dir", str(out)]
    subprocess.run([*cmd, str(project.folder)], check=True, env=env)


def _verify_artifacts(project: Project, out: Path, version: str) -> list[str]:
    """The built wheel and sdist of ``project`` carry ``version`` and exact internal pins."""
    stem = project.name.replace("-", "_")
    wheels = list(out.glob(f"{stem}-{version}-*.whl"))
    sdists = list(out.glob(f"{stem}-{version}.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise SystemExit(f"release: expected one wheel and one sdist of {project.name} {version} in {out}")
    with zipfile.ZipFile(wheels[0]) as zf:
        (meta_name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode())
    if meta["Version"] != version:
        raise SystemExit(f"release: {wheels[0].name} says version {meta['Version']}, expected {version}")
    pins = [r for r in meta.get_all("Requires-Dist") or [] if INTERNAL_REQ_RE.match(r)]
    loose = [r for r in pins if f"=={version}" not in r and not r.startswith(f"{project.name}[")]
    if loose:
        raise SystemExit(f"release: {wheels[0].name} has internal requirements not pinned exactly: {loose}")
    with tarfile.open(sdists[0]) as tf:
        tf.getmember(f"{stem}-{version}/PKG-INFO")
    size = f"{wheels[0].stat().st_size // 1024} KiB"
    return [project.name, version, f"{wheels[0].name} ({size})", sdists[0].name, str(len(pins))]


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _say(log: bool, text: str) -> None:
    if log:
        print(f"release: {text}" if "\n" not in text else text, flush=True)


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Run the release command (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="release.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("check", "build"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--unreleased", action="store_true", help="[Unreleased] counts as the entry")
        if name == "build":
            cmd.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (emptied)")
    sub.add_parser("bump").add_argument("version")
    args = parser.parse_args(argv)
    if args.command == "bump":
        for path in bump(args.version):
            print(f"release: wrote {_rel(path, ROOT)}")
        return 0
    version = read_version()
    if args.command == "build":
        build(args.out.resolve(), unreleased=args.unreleased)
        print(f"release: {version} built and checked")
        return 0
    problems = lockstep_problems(version) + changelog_problems(version, unreleased=args.unreleased)
    for problem in problems:
        print(f"release: {problem}", file=sys.stderr)
    if not problems:
        count = len(projects())
        print(f"release: {count} distributions in lockstep at {version}, each with a changelog entry")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
