"""Memory follows the signal, not the window: a huge window over a short signal costs nothing."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest

from agentutils_filters import MovingAverage, moving_average

# Allocations that do not depend on the signal's length (numpy's chunk buffers included).
FIXED = 4 << 20
PER_SAMPLE = 512


def peak_bytes(run: Callable[[], object]) -> int:
    """The peak of what ``run`` allocates, measured on a second call (imports done by the first)."""
    run()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        run()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("window", [10**6, 10**8])
def test_streaming_filter_holds_the_samples_it_was_given(window):
    def run() -> MovingAverage:
        avg = MovingAverage(window)
        for sample in (1.0, 2.0, 3.0):
            avg.add_sample(sample)
        assert avg.get_avg() == 2.0
        return avg

    assert peak_bytes(run) < 4096


@pytest.mark.parametrize("window", [10**6, 10**7, 10**8])
@pytest.mark.parametrize("n", [3, 300, 3000])
def test_batch_list_memory_follows_the_signal(window, n):
    samples = [float(i % 7) - 3.0 for i in range(n)]  # both signs
    peak = peak_bytes(lambda: moving_average(samples, window))
    assert peak < FIXED + PER_SAMPLE * n


@pytest.mark.parametrize("window", [10**6, 10**7, 10**8])
@pytest.mark.parametrize("n", [3, 300, 3000])
@pytest.mark.parametrize("sign", ["one", "both"])
def test_batch_array_memory_follows_the_signal(window, n, sign):
    np = pytest.importorskip("numpy")
    samples = np.arange(n, dtype=np.float64) % 7 + 1.0
    if sign == "both":
        samples -= 4.0
    got = []
    peak = peak_bytes(lambda: got.append(moving_average(samples, window)))
    assert peak < FIXED + PER_SAMPLE * n
    expected = np.cumsum(samples) / np.arange(1, n + 1)  # every window holds the whole prefix
    assert np.allclose(got[0], expected, rtol=1e-12, atol=1e-12)
