"""The meta-package: `import agentutils` against `import livekit.agents.utils`."""

from __future__ import annotations

from _common import Row, import_time, print_rows


def main() -> None:
    rows = [
        Row(
            "import agentutils vs livekit.agents.utils",
            import_time("agentutils"),
            import_time("livekit.agents.utils", runs=7),
            "ours < 30 ms",
        ),
        Row(
            "agentutils.EventEmitter (first use) vs livekit.agents.utils",
            import_time("agentutils", then="agentutils.EventEmitter"),
            import_time("livekit.agents.utils", runs=7, then="livekit.agents.utils.EventEmitter"),
            "",
        ),
    ]
    print_rows("meta-package: import time (bytecode cached, interpreter start subtracted, median)", rows)


if __name__ == "__main__":
    main()
