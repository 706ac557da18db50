"""Every ```python block of every README runs (each README's blocks in order, in one process)."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", *sorted(ROOT.glob("packages/*/README.md")), ROOT / "examples/plugin/README.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
OPTIONAL = ("numpy", "aiohttp", "livekit")


@pytest.mark.parametrize("readme", READMES, ids=lambda p: str(p.relative_to(ROOT)))
def test_readme_examples_run(readme, tmp_path):
    blocks = BLOCK.findall(readme.read_text())
    if not blocks:
        pytest.skip("no python example")
    script = tmp_path / "readme_example.py"
    script.write_text("\n\n".join(blocks))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    missing = re.search(r"ModuleNotFoundError: No module named '([\w.]+)'", result.stderr)
    # A member's provider whose optional dependency is absent says which extra installs it.
    extra = re.search(r"ProviderUnavailableError: .*install (agentutils-[\w-]+\[\w+\])", result.stderr)
    needed = missing.group(1) if missing and missing.group(1).split(".")[0] in OPTIONAL else None
    needed = needed or (extra.group(1) if extra else None)
    if result.returncode != 0 and needed:
        import os

        if os.environ.get("AGENTUTILS_TEST_LEG") == "full":
            pytest.fail(f"{readme}: {needed} missing in the full leg")
        pytest.skip(f"needs {needed}")
    assert result.returncode == 0, f"{readme} example failed:\n{result.stderr}"
