"""agentutils-pool vs livekit.agents.utils.ConnectionPool.

- Concurrent ``get()`` on an empty pool with a 50 ms connect: the reference connects one
  at a time behind a lock (~N x 50 ms); ours connects in parallel (target: within 1.3x
  of one connect).
- Checkout/return overhead of a pooled connection (``get`` + ``put``, the
  ``connection()`` context manager, and ``get`` + ``put`` with a ``max_session_duration``,
  whose expiry reads the event loop's clock), connect excluded.
- Import time of ``ConnectionPool`` against the standard-library modules it truly needs
  (asyncio, and dataclasses for ``PoolStats``), as users have it: bytecode cached.

Cases compared are timed in interleaved rounds on this shared machine; figures are medians.

Soak: ``python benchmarks/bench_pool.py --soak 20000`` runs the stateful test of
``tests/pool/test_pool_stateful.py`` with that many examples instead of timing anything.
"""

from __future__ import annotations

import asyncio
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import Row, _import_env, print_rows
from agentutils_pool import ConnectionPool

CONNECT_LATENCY = 0.05


def _reference_pool() -> Any:
    try:
        from livekit.agents.utils import ConnectionPool as RefPool
    except ImportError:
        return None
    return RefPool


async def _connect(timeout: float) -> object:
    await asyncio.sleep(CONNECT_LATENCY)
    return object()


async def _close(conn: object) -> None:
    pass


def _concurrent_gets(pool_cls: Any, n: int) -> float:
    async def scenario() -> float:
        pool = pool_cls(connect_cb=_connect, close_cb=_close)
        start = time.perf_counter()
        conns = await asyncio.gather(*(pool.get(timeout=60) for _ in range(n)))
        elapsed = time.perf_counter() - start
        assert len({id(c) for c in conns}) == n
        for conn in conns:
            pool.put(conn)
        await pool.aclose()
        return elapsed

    return asyncio.run(scenario())


def _checkout(pool_cls: Any, ops: int, context: bool, **options: Any) -> float:
    async def instant(timeout: float) -> object:
        return object()

    async def scenario() -> float:
        pool = pool_cls(connect_cb=instant, close_cb=_close, **options)
        pool.put(await pool.get(timeout=10))
        start = time.perf_counter()
        if context:
            for _ in range(ops):
                async with pool.connection(timeout=10):
                    pass
        else:
            for _ in range(ops):
                conn = await pool.get(timeout=10)
                pool.put(conn)
        elapsed = (time.perf_counter() - start) / ops
        await pool.aclose()
        return elapsed

    return asyncio.run(scenario())


def _interleaved(cases: dict[str, Any], rounds: int) -> dict[str, float]:
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            runs[name].append(fn())
    return {name: statistics.median(values) for name, values in runs.items()}


def import_rows(rounds: int = 21) -> list[Row]:
    """``ConnectionPool``'s import against the stdlib modules it needs, bytecode cached.

    The three commands (nothing, the stdlib modules, ours) run interleaved round by round,
    so that the load of this shared machine hits all three alike.
    """
    env = _import_env()
    cases = {
        "base": "pass",
        "stdlib": "import asyncio, dataclasses",
        "ours": "from agentutils_pool import ConnectionPool",
    }

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        return time.perf_counter() - start

    for code in cases.values():
        once(code)  # untimed: writes the bytecode of what it imports
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, code in cases.items():
            runs[name].append(once(code))
    base = statistics.median(runs["base"])
    ours, stdlib = (max(0.0, statistics.median(runs[k]) - base) for k in ("ours", "stdlib"))
    return [Row("import ConnectionPool vs asyncio + dataclasses", ours, stdlib, "ours - stdlib <= 3 ms")]


def main() -> None:
    ref = _reference_pool()
    rows: list[Row] = []
    for n, rounds in ((10, 7), (100, 3)):
        cases = {"ours": lambda n=n: _concurrent_gets(ConnectionPool, n)}
        if ref is not None:
            cases["ref"] = lambda n=n: _concurrent_gets(ref, n)
        result = _interleaved(cases, rounds)
        rows.append(
            Row(
                f"{n} concurrent get(), 50 ms connect (total)",
                result["ours"],
                result.get("ref"),
                f"<= {1.3 * CONNECT_LATENCY * 1e3:.0f} ms (1.3x one connect)",
            )
        )
    print_rows("pool: concurrent connects", rows)

    rows = []
    ops = 20000
    expiring = {"max_session_duration": 300.0}
    for label, context, options in (
        ("get() + put() of an idle connection", False, {}),
        ("async with connection()", True, {}),
        ("get() + put(), max_session_duration=300", False, expiring),
    ):
        cases = {"ours": lambda c=context, o=options: _checkout(ConnectionPool, ops, c, **o)}
        if ref is not None:
            cases["ref"] = lambda c=context, o=options: _checkout(ref, ops, c, **o)
        result = _interleaved(cases, 7)
        rows.append(Row(f"{label}, per op", result["ours"], result.get("ref"), "no slower than reference"))
    print_rows("pool: checkout/return overhead", rows)
    print_rows("pool: import time, bytecode cached (interpreter start subtracted, median)", import_rows())


def soak(examples: int) -> None:
    """Run the pool's state machine with ``examples`` examples (a long soak)."""
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    path = Path(__file__).resolve().parent.parent / "tests" / "pool" / "test_pool_stateful.py"
    spec = importlib.util.spec_from_file_location("pool_state_machine", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    start = time.perf_counter()
    run_state_machine_as_test(
        module.PoolMachine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    print(f"soak: {examples} examples of up to 40 steps passed in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if len(sys.argv) == 3 and sys.argv[1] == "--soak":
        soak(int(sys.argv[2]))
    else:
        main()
