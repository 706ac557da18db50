#!/usr/bin/env bash
# The whole test suite: lint, types, the matrix (Python 3.10-3.13 x minimal/full, branch
# coverage measured in the 3.12-full leg with a 90% floor), every member installed alone,
# the release build (every wheel and sdist, twine check, lockstep, changelogs) and the
# packaging tests (the built files, each member alone, publish to and install by name from
# a local index). Sets everything up on a fresh machine. Every step runs even when one
# fails; a summary table ends the output, then the total line; the exit status is non-zero
# when any step failed.
#
# The matrix legs run two at a time on a machine with two or more CPUs (bash >= 5.1), each
# leg's output printed whole when it ends; AGENTUTILS_JOBS=1 runs them one by one.
# Usage: scripts/test.sh
set -uo pipefail
source "$(dirname "$0")/_bootstrap.sh" || exit 1
cd "$ROOT"

LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
STEP_NAMES=()
STEP_TIMES=()
STEP_RESULTS=()
STEP_COUNTS=()
TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
FAILED_STEPS=0
START=$SECONDS
PYTEST_QUIET=(-q -p no:cacheprovider)

say() { printf '\n==> %s\n' "$*"; }
clock() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# record NAME STATUS SECONDS COUNTS: one row of the summary table.
record() {
  STEP_NAMES+=("$1")
  STEP_TIMES+=("$(clock "$3")")
  if [ "$2" -eq 0 ]; then
    STEP_RESULTS+=("passed")
  else
    STEP_RESULTS+=("FAILED")
    FAILED_STEPS=$((FAILED_STEPS + 1))
  fi
  STEP_COUNTS+=("$4")
}

# step NAME CMD...: a step that is not pytest (its output as is).
step() {
  local name=$1 t0=$SECONDS status
  shift
  say "$name"
  "$@"
  status=$?
  record "$name" "$status" $((SECONDS - t0)) ""
}

# run_pytest PREFIX CMD...: run a pytest command, its skip lines folded by reason
# (scripts/_pytest_quiet.py) into PREFIX.log, its counts into PREFIX.counts, its exit status
# into PREFIX.status.
run_pytest() {
  local prefix=$1
  shift
  "$@" 2>&1 | "$BOOT_PY" scripts/_pytest_quiet.py "$prefix.counts" >"$prefix.log"
  echo "${PIPESTATUS[0]}" >"$prefix.status"
}

# account NAME PREFIX SECONDS: print a finished pytest run and add it to the summary.
account() {
  local name=$1 prefix=$2 status passed=0 failed=0 skipped=0 errors=0
  say "$name"
  cat "$prefix.log"
  status=$(cat "$prefix.status")
  read -r passed failed skipped errors <"$prefix.counts" || true
  failed=$((failed + errors))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
  record "$name" "$status" "$3" "$passed passed, $failed failed, $skipped skipped"
}

step "lint (ruff check, ruff format --check)" hatch run lint:check

if [[ ",$AGENTUTILS_PYTHONS," == *",3.12,"* ]]; then
  step "types (mypy --strict, Python 3.12)" hatch run types:check
else
  # The type-check environment is pinned to Python 3.12 (its numpy stubs need it).
  say "types: Python 3.12 is required"
  record "types (mypy --strict)" 1 0 "Python 3.12 missing"
fi

# ---------------------------------------------------------------- the matrix
[ -n "$AGENTUTILS_PYTHONS" ] || { echo "no Python 3.10-3.13 found" >&2; exit 1; }
for minor in 3.10 3.11 3.12 3.13; do
  [[ ",$AGENTUTILS_PYTHONS," == *",$minor,"* ]] || echo "skipping Python $minor: not installed here"
done
# Coverage is measured in one leg (the newest of 3.10-3.12 present, full), over every member
# of the packages/* glob and the meta-package.
COV_LEG=""
for minor in 3.10 3.11 3.12; do
  [[ ",$AGENTUTILS_PYTHONS," == *",$minor,"* ]] && COV_LEG="py$minor-full"
done
COV_SOURCES=$(for src in packages/*/src/agentutils_*; do basename "$src"; done | paste -sd, -),agentutils
IFS=, read -ra PYTHONS <<<"$AGENTUTILS_PYTHONS"
LEGS=()
[ -n "$COV_LEG" ] && LEGS+=("$COV_LEG") # the longest first
for minor in "${PYTHONS[@]}"; do
  for deps in full minimal; do
    [ "py$minor-$deps" = "$COV_LEG" ] || LEGS+=("py$minor-$deps")
  done
done

JOBS=${AGENTUTILS_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$JOBS" -gt 2 ] && JOBS=2
# Waiting for whichever leg ends first needs bash >= 5.1 (wait -n -p).
((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)) || JOBS=1

# Create the missing environments one by one first (hatch says what it creates), so that
# legs running side by side do not build the same editable members at once.
say "environments: ${#LEGS[@]} test legs (each created once: a minute or two the first time)"
for leg in "${LEGS[@]}"; do
  [ -d "$(hatch env find "test.$leg" 2>/dev/null)" ] || hatch env create "test.$leg"
done

leg_name() { # leg_name INDEX
  if [ "${LEGS[$1]}" = "$COV_LEG" ]; then echo "tests ${LEGS[$1]}, with branch coverage"; else echo "tests ${LEGS[$1]}"; fi
}
run_leg() { # run_leg INDEX: one leg, its output into $LOGS/leg-INDEX.*
  local leg=${LEGS[$1]}
  if [ "$leg" = "$COV_LEG" ]; then
    run_pytest "$LOGS/leg-$1" hatch run "test.$leg:coverage" run --source="$COV_SOURCES" \
      -m pytest --ignore=tests/packaging "${PYTEST_QUIET[@]}"
  else
    run_pytest "$LOGS/leg-$1" hatch run "test.$leg:run" "${PYTEST_QUIET[@]}"
  fi
}

rm -f .coverage .coverage.*
say "test matrix: ${#LEGS[@]} legs, $JOBS at a time (each leg's output follows when it ends)"
LEG_OF_PID=()
LEG_START=()
running=0
finish_one() { # wait for whichever leg ends first (bash >= 5.1), print and account it
  local pid i
  wait -n -p pid
  i=${LEG_OF_PID[$pid]}
  account "$(leg_name "$i")" "$LOGS/leg-$i" $((SECONDS - LEG_START[i]))
  running=$((running - 1))
}
for i in "${!LEGS[@]}"; do
  while [ "$running" -ge "$JOBS" ]; do finish_one; done
  LEG_START[i]=$SECONDS
  echo "(running $(leg_name "$i"))"
  if [ "$JOBS" -eq 1 ]; then
    run_leg "$i"
    account "$(leg_name "$i")" "$LOGS/leg-$i" $((SECONDS - LEG_START[i]))
  else
    run_leg "$i" &
    LEG_OF_PID[$!]=$i
    running=$((running + 1))
  fi
done
while [ "$running" -gt 0 ]; do finish_one; done

if [ -n "$COV_LEG" ]; then
  say "coverage ($COV_LEG, branch): floor 90% ([tool.coverage.report] fail_under)"
  t0=$SECONDS
  hatch run "test.$COV_LEG:coverage" report >"$LOGS/coverage" 2>&1
  status=$?
  cat "$LOGS/coverage"
  figure=$(awk '/^TOTAL/ {print $NF}' "$LOGS/coverage")
  record "coverage ($COV_LEG, branch)" "$status" $((SECONDS - t0)) "${figure:-?} (floor 90%)"
fi

# ---------------------------------------------------------------- members alone, release, packaging
for dir in packages/*/; do
  member=$(basename "$dir")
  t0=$SECONDS
  echo
  echo "(running isolated: agentutils-$member alone)"
  run_pytest "$LOGS/iso-$member" hatch run "iso-$member:run" "${PYTEST_QUIET[@]}"
  account "isolated: agentutils-$member alone" "$LOGS/iso-$member" $((SECONDS - t0))
done

step "release build: every wheel and sdist, twine check --strict, lockstep, changelogs" \
  hatch run packaging:release build --unreleased

echo
echo "(running the packaging tests; the first run downloads a wheelhouse of the third-party"
echo " dependencies into .cache/wheelhouse)"
export AGENTUTILS_DIST="$ROOT/dist"
t0=$SECONDS
run_pytest "$LOGS/packaging" hatch run packaging:run "${PYTEST_QUIET[@]}"
account "packaging: the built files, each member alone, install by name from an index" \
  "$LOGS/packaging" $((SECONDS - t0))

# ---------------------------------------------------------------- summary
say "summary"
elapsed=$((SECONDS - START))
width=0
for name in "${STEP_NAMES[@]}"; do [ ${#name} -gt "$width" ] && width=${#name}; done
row() { printf "%-${width}s  %6s  %-6s  %s\n" "$@"; }
row "step" "time" "result" "tests"
for i in "${!STEP_NAMES[@]}"; do
  row "${STEP_NAMES[$i]}" "${STEP_TIMES[$i]}" "${STEP_RESULTS[$i]}" "${STEP_COUNTS[$i]}"
done
row "all ${#STEP_NAMES[@]} steps" "$(clock "$elapsed")" \
  "$([ "$FAILED_STEPS" -eq 0 ] && echo passed || echo FAILED)" "$FAILED_STEPS failed steps"
echo
# The closing line CI reads: every pytest run's counts added up.
echo "total: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
[ "$FAILED_STEPS" -eq 0 ]
