"""Filter pytest's output for scripts/test.sh: fold the skip lines, record the counts.

Reads pytest's output on stdin and writes it to stdout unchanged, except the
``SKIPPED [n] file:line: reason`` lines of the short summary (one per skipping test
location, over a hundred in the minimal legs): those are folded by reason and printed,
with their counts, just before pytest's closing line, which stays the last line. The
closing line's counts go to the file named by the first argument, as
``passed failed skipped errors``, for the summary table.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

SKIP_RE = re.compile(r"^SKIPPED \[(\d+)\] [^:]+:\d+: (.*)$")
# "3 failed, 10 passed in 1.2s (0:00:01)", framed by "=" except with -q.
CLOSING_RE = re.compile(r"^(?:=+ )?((?:\d+ [a-z]+, )*\d+ [a-z]+ in [0-9.]+s\b.*?)(?: =+)?$")
COUNT_RE = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")


def counts(closing: str) -> dict[str, int]:
    """The counts of a closing line such as ``3 failed, 10 passed, 2 skipped in 1.2s``."""
    found = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    for number, word in COUNT_RE.findall(closing):
        key = "errors" if word.startswith("error") else word
        if key in found:
            found[key] += int(number)
    return found


def fold(skips: Counter[str]) -> list[str]:
    """The folded skip lines: the number of tests skipped for each reason, most first."""
    if not skips:
        return []
    total = sum(skips.values())
    tests = "1 test" if total == 1 else f"{total} tests"
    reasons = "1 reason" if len(skips) == 1 else f"{len(skips)} reasons"
    lines = [f"skipped: {tests}, for {reasons}:"]
    lines += [f"  {n:5d}  {reason}" for reason, n in skips.most_common()]
    return lines


def main(counts_file: str) -> int:
    """Filter stdin to stdout; write the closing line's counts to ``counts_file``."""
    skips: Counter[str] = Counter()
    closing = ""
    for line in sys.stdin:
        skip = SKIP_RE.match(line.rstrip("\n"))
        if skip:
            skips[skip.group(2)] += int(skip.group(1))
            continue
        end = CLOSING_RE.match(line.rstrip("\n"))
        if end:
            closing = end.group(1)
            for folded in fold(skips):
                print(folded)
            skips.clear()
        sys.stdout.write(line)
        sys.stdout.flush()
    for folded in fold(skips):  # no closing line (pytest crashed): still show them
        print(folded)
    found = counts(closing)
    with open(counts_file, "w") as out:
        out.write(f"{found['passed']} {found['failed']} {found['skipped']} {found['errors']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
