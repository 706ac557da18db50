"""The root README's and the example plugin's examples run; each member's README is run by its own tests."""

from __future__ import annotations

import pytest
from tests.conftest import REPO, run_readme


@pytest.mark.parametrize("readme", ["README.md", "examples/plugin/README.md"])
def test_readme_examples_run(readme, tmp_path):
    run_readme(REPO / readme, tmp_path)
