"""Run every benchmark (benchmarks/bench_*.py) in one process and print the tables.

Usage: hatch run bench:run [name ...]   (names are the bench_<name>.py suffixes)
"""

from __future__ import annotations

import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE))
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    print(f"python {sys.version.split()[0]}; figures are medians; ratio = reference / agentutils")
    for name in names:
        module = importlib.import_module(f"bench_{name}")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
