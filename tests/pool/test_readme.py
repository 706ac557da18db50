"""The README's examples run with this member as installed (alone, in its isolated environment)."""

from __future__ import annotations

from tests.conftest import REPO, run_readme


def test_readme_examples_run(tmp_path):
    run_readme(REPO / "packages" / "pool" / "README.md", tmp_path)
