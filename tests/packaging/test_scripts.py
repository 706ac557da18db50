"""scripts/_pytest_quiet.py: the filter that keeps scripts/test.sh's pytest output short and counted."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.packaging.conftest import ROOT

FILTER = ROOT / "scripts" / "_pytest_quiet.py"


def run_filter(text: str, tmp_path) -> tuple[str, str]:
    counts = tmp_path / "counts"
    result = subprocess.run(
        [sys.executable, str(FILTER), str(counts)], input=text, capture_output=True, text=True, check=True
    )
    return result.stdout, counts.read_text()


SKIPS = (
    "SKIPPED [3] tests/a.py:12: numpy is not installed\n"
    "SKIPPED [2] tests/b.py:5: numpy is not installed\n"
    "SKIPPED [1] tests/b.py:9: livekit missing\n"
)


@pytest.mark.parametrize(
    ("closing", "counts"),
    [
        ("1 failed, 10 passed, 6 skipped in 1.20s", "10 1 6 0"),
        ("==== 1 failed, 10 passed, 6 skipped in 1.20s ====", "10 1 6 0"),
        ("12 failed, 2150 passed, 494 skipped in 234.92s (0:03:54)", "2150 12 494 0"),
        ("3 passed, 2 errors in 0.5s", "3 0 0 2"),
        ("4 skipped, 1 error in 8.87s", "0 0 4 1"),
    ],
)
def test_skips_are_folded_before_the_closing_line_which_stays_last(tmp_path, closing, counts):
    out, found = run_filter("..s\nFAILED tests/c.py::t - boom\n" + SKIPS + closing + "\n", tmp_path)
    assert out.splitlines() == [
        "..s",
        "FAILED tests/c.py::t - boom",
        "skipped: 6 tests, for 2 reasons:",
        "      5  numpy is not installed",
        "      1  livekit missing",
        closing,
    ]
    assert found == counts + "\n"


def test_without_a_closing_line_the_skips_still_show_and_nothing_is_counted(tmp_path):
    out, found = run_filter("Traceback ...\n" + SKIPS.splitlines()[0] + "\n", tmp_path)
    assert out.splitlines() == [
        "Traceback ...",
        "skipped: 3 tests, for 1 reason:",
        "      3  numpy is not installed",
    ]
    assert found == "0 0 0 0\n"
