#!/usr/bin/env bash
# The main demo: sets everything up on a fresh machine, then runs examples/demo.py.
# Usage: scripts/demo.sh
source "$(dirname "$0")/_bootstrap.sh"
hatch run demo:run "$@"
