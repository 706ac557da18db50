"""Run mypy --strict over every member (the ``packages/*`` glob), the meta-package and the examples.

The member list is not written here: each ``packages/<member>/src`` found is put on the
search path and its package checked, so a new member is type-checked without an edit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    """Type-check everything; extra arguments go to mypy."""
    sources = sorted(ROOT.glob("packages/*/src"))
    packages = [str(p.relative_to(ROOT)) for src in sources for p in sorted(src.glob("agentutils_*"))]
    search = [str(src.relative_to(ROOT)) for src in sources] + ["src"]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(search)}
    examples = ["examples/plugin/src/agentutils_example_plugin", "examples/demo.py"]
    targets = [*packages, "src/agentutils", *examples]
    return subprocess.call([sys.executable, "-m", "mypy", *targets, *argv], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
