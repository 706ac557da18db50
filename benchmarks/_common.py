"""Timing helpers shared by the benchmarks: medians over repeats, side-by-side rows."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass


def median_time(fn: Callable[[], object], *, number: int, repeat: int = 7) -> float:
    """Median over ``repeat`` runs of the mean seconds per call of ``fn`` (``number`` calls a run)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - start) / number)
    return statistics.median(runs)


def auto_number(fn: Callable[[], object], target: float = 0.05) -> int:
    """How many calls of ``fn`` take about ``target`` seconds (at least 1)."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= target / 5 or n >= 1 << 24:
            return max(1, int(n * target / max(elapsed, 1e-9)))
        n *= 4


def interleaved(
    cases: dict[str, Callable[[], object]],
    rounds: int = 9,
    *,
    target: float = 0.02,
    numbers: dict[str, int] | None = None,
) -> dict[str, float]:
    """Median seconds per call of each case, over ``rounds`` rounds that each time every case once.

    Interleaving the cases (ours, the reference's) exposes them to the same moments of a
    shared, noisy machine, so their ratio is steadier than that of two separate runs.
    ``numbers`` gives calls per timing; by default each case gets enough for ``target`` s.
    """
    if numbers is None:
        numbers = {name: auto_number(fn, target=target) for name, fn in cases.items()}
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            runs[name].append(median_time(fn, number=numbers[name], repeat=1))
    return {name: statistics.median(values) for name, values in runs.items()}


def fmt_seconds(s: float) -> str:
    """Seconds in the most readable unit."""
    if s < 1e-6:
        return f"{s * 1e9:.1f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


@dataclass
class Row:
    """One comparison: our figure, the reference's, and what the target says."""

    name: str
    ours: float
    reference: float | None
    target: str = ""
    unit: str = "s"

    def ratio(self) -> float | None:
        """reference / ours: how many times faster (or smaller) we are."""
        if self.reference is None or self.ours <= 0:
            return None
        return self.reference / self.ours


def print_rows(title: str, rows: list[Row]) -> None:
    """Print rows as a table: name, ours, reference, ratio (reference / ours), target."""
    print(f"\n## {title}")
    print(f"{'case':<52} {'agentutils':>12} {'reference':>12} {'ratio':>9}  target")
    for r in rows:
        fmt = fmt_seconds if r.unit == "s" else (lambda v, u=r.unit: f"{v:.3g} {u}")
        ref = fmt(r.reference) if r.reference is not None else "-"
        ratio = r.ratio()
        ratio_s = f"{ratio:.1f}x" if ratio is not None else "-"
        print(f"{r.name:<52} {fmt(r.ours):>12} {ref:>12} {ratio_s:>9}  {r.target}")


_PYCACHE = os.path.join(tempfile.gettempdir(), "agentutils-bench-pycache")
"""Where the import benchmarks' interpreters keep their bytecode (PYTHONPYCACHEPREFIX)."""


def _import_env() -> dict[str, str]:
    # Imports as users have them: bytecode cached. The test and bench scripts export
    # PYTHONDONTWRITEBYTECODE=1, which left both sides compiling every module on every
    # run (livekit.agents.utils "3.1 s" instead of ~1 s); a private cache prefix is
    # writable whatever the install, and the untimed first run fills it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    return env


def import_time(module: str, runs: int = 15, then: str = "") -> float:
    """Median wall time of `python -c "import <module>; <then>"` minus that of `python -c "pass"`.

    Bytecode cached, as users have it: one untimed run of each command compiles what it
    imports first.
    """
    env = _import_env()
    code = f"import {module}; {then}" if then else f"import {module}"

    def once(source: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], check=True, env=env)
        return time.perf_counter() - start

    once("pass")  # compile first, untimed
    once(code)
    base, full = [], []
    for _ in range(runs):  # interleaved, so background load hits both alike
        base.append(once("pass"))
        full.append(once(code))
    return max(0.0, statistics.median(full) - statistics.median(base))
