"""agentutils-filters vs livekit.agents.utils: streaming filters per sample, batch forms per sample.

Streaming rows put the reference (``livekit.agents.utils.ExpFilter``/``MovingAverage``) in
the reference column; the figure is the cost per sample, fed from a list of 1000 samples.
Batch rows run 10**6 samples (uniform in [0, 1), and zero-mean normal noise for the row
marked "both signs") and put the streaming loop with the agentutils class in the
reference column (``for x in samples: f.add_sample(x); out.append(f.get_avg())``), so the
ratio is how many times faster per sample the batch form is.

The machine is shared, so the cases compared are timed in interleaved rounds (each round
times every case once) and the medians over the rounds are reported.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable

from _common import Row, auto_number, median_time, print_rows
from agentutils_filters import ExpFilter, MovingAverage, moving_average
from agentutils_filters.moving_average import _moving_average_py


def _interleaved(
    cases: dict[str, Callable[[], object]], rounds: int, numbers: dict[str, int] | None = None
) -> dict[str, float]:
    if numbers is None:
        numbers = {name: auto_number(fn, target=0.02) for name, fn in cases.items()}
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            runs[name].append(median_time(fn, number=numbers[name], repeat=1))
    return {name: statistics.median(values) for name, values in runs.items()}


def _feed_exp(f: object, xs: list[float]) -> Callable[[], None]:
    apply = f.apply  # type: ignore[attr-defined]

    def run() -> None:
        for x in xs:
            apply(1.0, x)

    return run


def _feed_avg(m: object, xs: list[float], read: bool) -> Callable[[], None]:
    add = m.add_sample  # type: ignore[attr-defined]
    get = m.get_avg  # type: ignore[attr-defined]
    if not read:

        def run() -> None:
            for x in xs:
                add(x)

        return run

    def run_read() -> None:
        for x in xs:
            add(x)
            get()

    return run_read


def _streaming_rows() -> list[Row]:
    from livekit.agents.utils import ExpFilter as RefExpFilter, MovingAverage as RefMovingAverage

    rng = random.Random(1)
    xs = [rng.uniform(0.0, 1.0) for _ in range(1000)]
    cases: dict[str, Callable[[], object]] = {}
    for side, exp_cls, avg_cls in (
        ("ours", ExpFilter, MovingAverage),
        ("ref", RefExpFilter, RefMovingAverage),
    ):
        cases[f"exp {side}"] = _feed_exp(exp_cls(0.9), xs)
        cases[f"exp clamped {side}"] = _feed_exp(exp_cls(0.9, min_val=0.2, max_val=0.6), xs)
        for window in (5, 100):
            avg = avg_cls(window)
            for x in xs:
                avg.add_sample(x)
            cases[f"add {window} {side}"] = _feed_avg(avg, xs, read=False)
            cases[f"add+get {window} {side}"] = _feed_avg(avg, xs, read=True)
    t = _interleaved(cases, rounds=15)
    n = len(xs)
    rows = [
        Row("ExpFilter.apply", t["exp ours"] / n, t["exp ref"] / n, "no slower"),
        Row(
            "ExpFilter.apply, min/max clamps",
            t["exp clamped ours"] / n,
            t["exp clamped ref"] / n,
            "no slower",
        ),
    ]
    for window in (5, 100):
        rows.append(
            Row(
                f"MovingAverage({window}).add_sample",
                t[f"add {window} ours"] / n,
                t[f"add {window} ref"] / n,
                "no slower",
            )
        )
        rows.append(
            Row(
                f"MovingAverage({window}).add_sample + get_avg",
                t[f"add+get {window} ours"] / n,
                t[f"add+get {window} ref"] / n,
                "no slower",
            )
        )
    return rows


def _batch_rows() -> list[Row]:
    import numpy as np

    n = 10**6
    rng = np.random.default_rng(1)
    array = rng.uniform(0.0, 1.0, n)
    samples = array.tolist()
    # Zero-mean noise: both signs, so the vectorised moving average needs its split kernel.
    signed = rng.standard_normal(n)
    signed_samples = signed.tolist()

    def streaming_avg(window: int, data: list[float] = samples) -> Callable[[], object]:
        def run() -> object:
            m = MovingAverage(window)
            add, get = m.add_sample, m.get_avg
            out = []
            append = out.append
            for x in data:
                add(x)
                append(get())
            return out

        return run

    def streaming_exp(**kwargs: float) -> Callable[[], object]:
        def run() -> object:
            apply = ExpFilter(0.9, **kwargs).apply
            return [apply(1.0, x) for x in samples]

        return run

    cases: dict[str, Callable[[], object]] = {
        "stream avg 10": streaming_avg(10),
        "stream avg 1000": streaming_avg(1000),
        "stream avg 100000": streaming_avg(100_000),
        "np avg 10": lambda: moving_average(array, 10),
        "np avg 1000": lambda: moving_average(array, 1000),
        "np avg 100000": lambda: moving_average(array, 100_000),
        "stream avg 1000 signed": streaming_avg(1000, signed_samples),
        "np avg 1000 signed": lambda: moving_average(signed, 1000),
        "list avg 10": lambda: moving_average(samples, 10),
        "py avg 10": lambda: _moving_average_py(samples, 10),
        "stream exp": streaming_exp(),
        "stream exp clamped": streaming_exp(min_val=0.3, max_val=0.7),
        "np exp": lambda: ExpFilter(0.9).apply_many(array),
        "np exp clamped": lambda: ExpFilter(0.9, min_val=0.3, max_val=0.7).apply_many(array),
        "py exp": lambda: ExpFilter(0.9)._apply_py(samples, 0.9),
    }
    # The vectorised cases take milliseconds: several calls per timing, so that one cold
    # call (caches flushed by the streaming loops between them) does not dominate.
    t = _interleaved(cases, rounds=7, numbers={name: 5 if name.startswith("np") else 1 for name in cases})
    per = {name: value / n for name, value in t.items()}
    stream_avg = per["stream avg 10"]
    return [
        Row("moving_average(ndarray, 10)", per["np avg 10"], stream_avg, ">= 50x"),
        Row("moving_average(ndarray, 1000)", per["np avg 1000"], per["stream avg 1000"], ">= 50x"),
        Row("moving_average(ndarray, 100_000)", per["np avg 100000"], per["stream avg 100000"], ">= 50x"),
        Row(
            "moving_average(ndarray, 1000), both signs",
            per["np avg 1000 signed"],
            per["stream avg 1000 signed"],
            "split kernel",
        ),
        Row("moving_average(list, 10) via numpy", per["list avg 10"], stream_avg, "list in, list out"),
        Row("moving_average(list, 10), pure Python", per["py avg 10"], stream_avg, "no numpy"),
        Row("ExpFilter.apply_many(ndarray)", per["np exp"], per["stream exp"], ""),
        Row(
            "ExpFilter.apply_many(ndarray), clamps active",
            per["np exp clamped"],
            per["stream exp clamped"],
            "",
        ),
        Row(
            "ExpFilter.apply_many(list), pure Python", per["py exp"], per["stream exp"], "lists, or no numpy"
        ),
    ]


def main() -> None:
    print_rows("filters: streaming, per sample (reference: livekit.agents.utils)", _streaming_rows())
    print_rows(
        "filters: batch on 10**6 samples, per sample (reference: the agentutils streaming loop)",
        _batch_rows(),
    )


if __name__ == "__main__":
    main()
