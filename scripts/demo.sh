#!/usr/bin/env bash
# The main demo: sets everything up on a fresh machine, then runs examples/demo.py.
# Usage: scripts/demo.sh
set -euo pipefail
source "$(dirname "$0")/_bootstrap.sh"
cd "$ROOT"
hatch run demo:run "$@"
