"""EventEmitter: emit cost against livekit.rtc.EventEmitter, and import time against livekit.agents.utils."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from _common import Row, auto_number, import_time, median_time, print_rows


def _listeners(n: int) -> list[Callable[[int, int], None]]:
    """``n`` distinct listeners taking the two emitted arguments."""

    def make() -> Callable[[int, int], None]:
        def listener(a: int, b: int) -> None:
            pass

        return listener

    return [make() for _ in range(n)]


def _emit_rows() -> list[Row]:
    from livekit.rtc import EventEmitter as RefEmitter
    from psygnal import SignalInstance

    from agentutils_events import EventEmitter

    rows = []
    for n in (0, 1, 5):
        ours, ref, fast = EventEmitter[str](), RefEmitter[str](), SignalInstance((int, int))
        for listener in _listeners(n):
            ours.on("e", listener)
            ref.on("e", listener)
            fast.connect(listener)

        def emit_ours(em: EventEmitter[str] = ours) -> None:
            em.emit("e", 1, 2)

        def emit_ref(em: RefEmitter[str] = ref) -> None:
            em.emit("e", 1, 2)

        def emit_fast(sig: SignalInstance = fast) -> None:
            sig.emit_fast(1, 2)

        number = auto_number(emit_ours)
        # Interleaved rounds, so that the load of a shared machine hits the three alike.
        times = _interleaved(
            {"ours": emit_ours, "ref": emit_ref, "fast": emit_fast},
            # livekit reads every listener's signature per emit: fewer calls, once it has any.
            {"ours": number, "ref": number if n == 0 else max(1, number // 20), "fast": number},
        )
        label = f"emit, {n} listener{'s' if n != 1 else ''} (2 args)"
        target = "ratio >= 15x" if n == 1 else ""
        rows.append(Row(label, times["ours"], times["ref"], target))
        rows.append(Row(f"{label} vs psygnal emit_fast", times["ours"], times["fast"], "ratio >= 1x"))
    return rows


def _interleaved(
    cases: dict[str, Callable[[], None]], numbers: dict[str, int], rounds: int = 9
) -> dict[str, float]:
    """Median seconds per call of each case, timed in ``rounds`` rounds that each time every case once."""
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            runs[name].append(median_time(fn, number=numbers[name], repeat=1))
    return {name: statistics.median(values) for name, values in runs.items()}


def _registration_rows(count: int = 10_000) -> list[Row]:
    """``count`` distinct listeners registered, then removed: each call O(1) amortised."""
    from livekit.rtc import EventEmitter as RefEmitter

    from agentutils_events import EventEmitter

    listeners = _listeners(count)

    def register(cls: Callable[[], Any]) -> Callable[[], object]:
        def run() -> object:
            em = cls()
            for listener in listeners:
                em.on("e", listener)
            return em

        return run

    def register_remove(cls: Callable[[], Any]) -> Callable[[], object]:
        def run() -> object:
            em = cls()
            for listener in listeners:
                em.on("e", listener)
            for listener in listeners:
                em.off("e", listener)
            return em

        return run

    return [
        Row(
            f"on() x {count:,} (distinct listeners)",
            median_time(register(EventEmitter), number=1, repeat=5),
            median_time(register(RefEmitter), number=1, repeat=5),
            "O(1) each",
        ),
        Row(
            f"on() then off() x {count:,}",
            median_time(register_remove(EventEmitter), number=1, repeat=5),
            median_time(register_remove(RefEmitter), number=1, repeat=5),
            "O(1) each",
        ),
    ]


def main() -> None:
    print_rows("events: emit (median per call; references: livekit.rtc, psygnal)", _emit_rows())
    print_rows("events: registration (median per batch; reference: livekit.rtc)", _registration_rows())
    ours = import_time("agentutils_events")
    ref = import_time("livekit.agents.utils", runs=7)
    print_rows(
        "events: import time (bytecode cached, interpreter start subtracted, median)",
        [Row("import agentutils_events vs livekit.agents.utils", ours, ref, "ours < 30 ms")],
    )


if __name__ == "__main__":
    main()
