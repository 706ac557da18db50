"""EventEmitter: emit cost against livekit.rtc.EventEmitter, and import time against livekit.agents.utils."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _common import Row, auto_number, median_time, print_rows


def _emit_rows() -> list[Row]:
    from livekit.rtc import EventEmitter as RefEmitter

    from agentutils_events import EventEmitter

    rows = []
    for n in (0, 1, 5):
        ours, ref = EventEmitter[str](), RefEmitter[str]()
        for i in range(n):

            def listener(a: int, b: int, _i: int = i) -> None:
                pass

            ours.on("e", listener)
            ref.on("e", listener)

        def emit_ours(em: EventEmitter[str] = ours) -> None:
            em.emit("e", 1, 2)

        def emit_ref(em: RefEmitter[str] = ref) -> None:
            em.emit("e", 1, 2)

        number = auto_number(emit_ours)
        target = "ratio >= 15x" if n == 1 else ""
        rows.append(
            Row(
                f"emit, {n} listener{'s' if n != 1 else ''} (2 args)",
                median_time(emit_ours, number=number),
                median_time(emit_ref, number=max(1, number // 20)),
                target,
            )
        )
    return rows


def import_time(module: str, runs: int = 15, then: str = "") -> float:
    """Median wall time of `python -c "import <module>; <then>"` minus that of `python -c "pass"`."""

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    base, full = [], []
    for _ in range(runs):  # interleaved, so background load hits both alike
        base.append(once("pass"))
        full.append(once(f"import {module}; {then}" if then else f"import {module}"))
    return max(0.0, statistics.median(full) - statistics.median(base))


def main() -> None:
    print_rows("events: emit (median per call)", _emit_rows())
    ours = import_time("agentutils_events")
    ref = import_time("livekit.agents.utils", runs=7)
    print_rows(
        "events: import time (interpreter start subtracted, median)",
        [Row("import agentutils_events vs livekit.agents.utils", ours, ref, "ours < 30 ms")],
    )


if __name__ == "__main__":
    main()
