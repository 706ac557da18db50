#!/usr/bin/env bash
# The main demo: sets everything up on a fresh machine, then runs examples/demo.py.
# Usage: scripts/demo.sh [--out FILE.wav]
# --out is relative to the folder you run this from (default: ./agentutils-demo.wav there),
# although the demo itself runs from the repository root.
set -euo pipefail
CALLER_DIR="$PWD"
source "$(dirname "$0")/_bootstrap.sh"
cd "$ROOT"

from_caller() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$CALLER_DIR" "$1" ;; esac; }

args=()
out_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out)
      out_given=1
      if [ $# -ge 2 ]; then args+=(--out "$(from_caller "$2")"); shift 2; else args+=(--out); shift; fi
      ;;
    --out=*) out_given=1; args+=("--out=$(from_caller "${1#--out=}")"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ "$out_given" -eq 1 ] || args+=(--out "$CALLER_DIR/agentutils-demo.wav")
hatch run demo:run "${args[@]}"
