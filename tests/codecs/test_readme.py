"""The README's examples run with this member as installed (alone, in its isolated environment)."""

from __future__ import annotations

from tests.conftest import REPO, run_readme


def test_readme_examples_run(tmp_path):
    result = run_readme(REPO / "packages" / "codecs" / "README.md", tmp_path)
    assert "[[256, 512, -256]]" in result.stdout
