"""The release command's rules (lockstep, changelogs, bump) and the project's habits (workflows, pre-commit).

Fast: nothing is built here. The rules are also proven to refuse, on a copy of the
version-bearing files in a temporary folder.
"""

from __future__ import annotations

import datetime
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import tomllib
import yaml
from tests.packaging.conftest import ROOT, VERSION, release

KEEP_A_CHANGELOG_TYPES = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_every_copy_and_pin_is_in_lockstep_with_version():
    assert release.lockstep_problems(VERSION) == []


def test_every_distribution_has_a_changelog_entry_for_the_version():
    assert release.changelog_problems(VERSION, unreleased=True) == []


@pytest.mark.parametrize("project", release.projects(), ids=lambda p: p.name)
def test_changelog_follows_keep_a_changelog(project):
    text = project.changelog.read_text()
    assert text.startswith("# Changelog\n")
    sections = release.changelog_sections(text)
    assert next(iter(sections)) == "Unreleased", "the first section is [Unreleased]"
    for heading in re.findall(r"^## (.*)$", text, re.M):
        assert re.fullmatch(r"\[Unreleased\]|\[[0-9][^\]]*\] - \d{4}-\d{2}-\d{2}", heading), heading
    for kind in re.findall(r"^### (.*)$", text, re.M):
        # A type, optionally qualified: "### Fixed (compared with livekit-agents 1.8)".
        assert kind.split(" (")[0] in KEEP_A_CHANGELOG_TYPES, f"{project.changelog}: '### {kind}'"


@pytest.fixture
def tree(tmp_path: pathlib.Path) -> pathlib.Path:
    """A copy of every version-bearing file (VERSION, pyprojects, __about__ copies, changelogs)."""
    shutil.copy(ROOT / "VERSION", tmp_path / "VERSION")
    for project in release.projects():
        for path in (project.folder / "pyproject.toml", project.about, project.changelog):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return tmp_path


def test_bump_rewrites_every_copy_and_pin_and_dates_the_changelogs(tree):
    new = "9.8.7"
    written = release.bump(new, root=tree, today=datetime.date(2030, 1, 2))
    assert (tree / "VERSION").read_text() == "9.8.7\n"
    assert release.lockstep_problems(new, root=tree) == []
    assert release.changelog_problems(new, unreleased=False, root=tree) == []
    for project in release.projects(tree):
        assert f"=={VERSION}" not in (project.folder / "pyproject.toml").read_text()
        sections = release.changelog_sections(project.changelog.read_text())
        assert list(sections)[:2] == ["Unreleased", new]
        assert not release.has_entries(sections["Unreleased"])
        assert "## [9.8.7] - 2030-01-02" in project.changelog.read_text()
    assert len(written) == 1 + 3 * len(release.projects(tree))


def test_bump_gives_an_unchanged_distribution_a_lockstep_entry(tree):
    (project, *_) = release.projects(tree)
    project.changelog.write_text("# Changelog\n\n## [Unreleased]\n")
    release.bump("9.8.7", root=tree)
    body = release.changelog_sections(project.changelog.read_text())["9.8.7"]
    assert release.LOCKSTEP_ONLY in body


@pytest.mark.parametrize("bad", ["1.2", "v1.2.3", "1.2.3-beta", "", "1.2.3 "])
def test_bump_refuses_a_malformed_version(tree, bad):
    if bad in {"1.2"}:  # two-part versions are valid PEP 440 releases
        release.bump(bad, root=tree)
        return
    with pytest.raises(
        ValueError, match=rf"expected a release version such as 1\.2\.0, got {re.escape(repr(bad))}"
    ):
        release.bump(bad, root=tree)


def test_a_loose_pin_or_a_stale_copy_breaks_the_lockstep(tree):
    (first, *_rest) = release.projects(tree)
    meta = tree / "pyproject.toml"
    meta.write_text(meta.read_text().replace(f'"agentutils-core=={VERSION}"', '"agentutils-core>=0.1"', 1))
    first.about.write_text('"""Stale."""\n\n__version__ = "0.0.9"\n')
    problems = release.lockstep_problems(VERSION, root=tree)
    assert f"'agentutils-core>=0.1' must pin exactly agentutils-core=={VERSION}" in "\n".join(problems)
    assert f"__version__ is ['0.0.9'], expected '{VERSION}'" in "\n".join(problems)


def test_release_refuses_a_version_without_a_changelog_entry(tree):
    (first, *_rest) = release.projects(tree)
    first.changelog.write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n\n")
    problems = release.changelog_problems(VERSION, unreleased=True, root=tree)
    assert problems == [
        f"{first.changelog.relative_to(tree)}: no entry for {VERSION}: [{VERSION}] and [Unreleased] list none"
    ]
    with pytest.raises(SystemExit, match=rf"refusing to build {re.escape(VERSION)}:\n  .*no entry for"):
        release.build(tree / "dist", unreleased=True, root=tree, log=False)
    assert not (tree / "dist").exists()


def test_without_unreleased_the_version_needs_its_own_section(tree):
    problems = release.changelog_problems(VERSION, unreleased=False, root=tree)
    undated = [
        p
        for p in release.projects(tree)
        if VERSION not in release.changelog_sections(p.changelog.read_text())
    ]
    assert len(problems) == len(undated)
    assert all(f"no '## [{VERSION}]' section" in p for p in problems)


def test_check_command_reports_and_exits_non_zero(tree, capsys, monkeypatch):
    monkeypatch.setattr(release, "ROOT", tree)
    (first, *_rest) = release.projects(tree)
    first.changelog.unlink()
    assert release.changelog_problems(VERSION, unreleased=True, root=tree) == [
        f"{first.changelog.relative_to(tree)}: missing (every distribution keeps a changelog)"
    ]
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "release.py"), "check", "--unreleased"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr  # the real tree is fine
    assert f"in lockstep at {VERSION}" in result.stdout


def test_no_test_compares_with_a_literal_version():
    literal = re.compile(rf"""["']{re.escape(VERSION)}["']""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if literal.search(path.read_text())
    ]
    assert offenders == [], f"compare with __version__ (or VERSION), not {VERSION!r}"


# ---------------------------------------------------------------- workflows and habits


def test_workflows_validate_against_the_github_schema():
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert {pathlib.Path(w).name for w in workflows} >= {"ci.yml", "release.yml"}
    checker = pathlib.Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *workflows],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _workflow(name: str) -> dict[str, object]:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_ci_runs_the_readme_test_command():
    steps = _workflow("ci.yml")["jobs"]["test"]["steps"]
    assert any(step.get("run") == "scripts/test.sh" for step in steps)
    assert _workflow("ci.yml")["jobs"]["test"]["timeout-minutes"] <= 30
    assert "scripts/test.sh" in (ROOT / "README.md").read_text()


def test_release_publishes_with_trusted_publishing_core_first():
    jobs = _workflow("release.yml")["jobs"]
    publishers = [
        name
        for name, job in jobs.items()
        if any(str(step.get("uses", "")).startswith("pypa/gh-action-pypi-publish") for step in job["steps"])
    ]
    assert publishers == ["publish-core", "publish-members", "publish-meta"]
    assert jobs["publish-core"]["needs"] == "build"
    assert jobs["publish-members"]["needs"] == "publish-core"
    assert jobs["publish-meta"]["needs"] == "publish-members"
    for name in publishers:
        assert jobs[name]["permissions"] == {"id-token": "write"}
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert "secrets." not in text
    assert "password" not in text
    assert "hatch run packaging:release build\n" in text  # no --unreleased on a tag


def test_pre_commit_configuration_is_valid():
    pre_commit = pathlib.Path(sys.executable).parent / "pre-commit"
    result = subprocess.run(
        [str(pre_commit), "validate-config", str(ROOT / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_the_pinned_ruff_and_the_file_checks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: repo for repo in config["repos"] for hook in repo["hooks"]}
    assert {
        "ruff",
        "ruff-format",
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-toml",
        "check-yaml",
    } <= set(hooks)
    hatch = tomllib.loads((ROOT / "hatch.toml").read_text())
    (pin,) = hatch["envs"]["lint"]["dependencies"]
    assert hooks["ruff"]["rev"] == "v" + pin.removeprefix("ruff==")


def test_complexity_rule_is_configured_at_twelve():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert lint["mccabe"]["max-complexity"] == 12
    assert "C90" in lint["select"]
