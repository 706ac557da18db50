#!/usr/bin/env bash
# The whole test suite: lint, types, the matrix (Python 3.10-3.13 x minimal/full), every
# member installed alone, and the built distributions. Sets everything up on a fresh machine.
# Usage: scripts/test.sh
set -euo pipefail
source "$(dirname "$0")/_bootstrap.sh"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "lint (ruff)"
hatch run lint:check

step "types (mypy --strict)"
# The type-check environment is pinned to Python 3.12 (its numpy stubs need it).
[[ ",$AGENTUTILS_PYTHONS," == *",3.12,"* ]] || { echo "types: Python 3.12 is required" >&2; exit 1; }
hatch run types:check

step "test matrix: Python ${AGENTUTILS_PYTHONS} x {minimal, full}"
for minor in 3.10 3.11 3.12 3.13; do
  [[ ",$AGENTUTILS_PYTHONS," == *",$minor,"* ]] || echo "skipping Python $minor: not installed here"
done
[ -n "$AGENTUTILS_PYTHONS" ] || { echo "no Python 3.10-3.13 found" >&2; exit 1; }
hatch run "+python=$AGENTUTILS_PYTHONS" test:run

for dir in packages/*/; do
  member=$(basename "$dir")
  step "isolated: agentutils-$member alone"
  hatch run "iso-$member:run"
done

step "packaging: build every wheel and sdist, install each member alone in a fresh venv"
hatch run packaging:run
