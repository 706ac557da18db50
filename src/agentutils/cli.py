"""The ``agentutils`` command line: ``agentutils plugins [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["collect_plugins", "main", "print_plugins"]


def collect_plugins() -> dict[str, Any]:
    """Describe every discovered plugin, disabled plugin and failure, as plain data."""
    import warnings

    from agentutils_core import PluginWarning, get_plugin_manager

    with warnings.catch_warnings():
        # The failures are reported in the listing itself.
        warnings.simplefilter("ignore", PluginWarning)
        manager = get_plugin_manager()
    return {
        "plugins": [
            {"name": p.name, "value": p.value, "distribution": p.distribution, "version": p.version}
            for p in manager.plugins
        ],
        "disabled": [{"name": p.name, "distribution": p.distribution} for p in manager.disabled],
        "failures": [
            {"name": f.plugin.name, "distribution": f.plugin.distribution, "stage": f.stage, "error": f.error}
            for f in manager.failures
        ],
    }


def print_plugins(data: dict[str, Any]) -> None:
    """Print what :func:`collect_plugins` returned, as a readable listing."""
    print(f"plugins ({len(data['plugins'])}):")
    for p in data["plugins"]:
        print(f"  {p['name']:<16} {p['distribution'] or '<in-process>'} {p['version'] or ''}  [{p['value']}]")
    if data["disabled"]:
        print(f"disabled ({len(data['disabled'])}):")
        for p in data["disabled"]:
            print(f"  {p['name']:<16} {p['distribution']}")
    if data["failures"]:
        print(f"failed to load ({len(data['failures'])}):")
        for f in data["failures"]:
            print(f"  {f['name']:<16} {f['distribution']}: {f['stage']}: {f['error']}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="agentutils", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    plugins = sub.add_parser("plugins", help="list the discovered plugins and the ones that failed")
    plugins.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.command == "plugins":
        data = collect_plugins()
        if args.json:
            json.dump(data, sys.stdout, indent=2)
            print()
        else:
            print_plugins(data)
    return 0
