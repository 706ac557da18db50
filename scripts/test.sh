#!/usr/bin/env bash
# The whole test suite: lint, types, the matrix (Python 3.10-3.13 x minimal/full, branch
# coverage measured in the 3.12-full leg with a 90% floor), every member installed alone,
# the release build (every wheel and sdist, twine check, lockstep, changelogs) and the
# packaging tests (the built files, each member alone, publish to and install by name from
# a local index). Sets everything up on a fresh machine. Every step runs even when one
# fails; a summary table ends the output, then the total line; the exit status is non-zero
# when any step failed.
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

say() { printf '\n==> %s\n' "$*"; }

# record NAME STATUS SECONDS COUNTS: one row of the summary table.
record() {
  STEP_NAMES+=("$1")
  STEP_TIMES+=("$(printf '%d:%02d' $(($3 / 60)) $(($3 % 60)))")
  if [ "$2" -eq 0 ]; then STEP_RESULTS+=("passed"); else STEP_RESULTS+=("FAILED"); FAILED_STEPS=$((FAILED_STEPS + 1)); fi
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

# pytest_step NAME CMD...: a pytest run, its skip lines folded by reason (scripts/_pytest_quiet.py),
# its counts added to the totals.
pytest_step() {
  local name=$1 t0=$SECONDS status passed failed skipped errors counts="$LOGS/counts"
  shift
  say "$name"
  "$@" 2>&1 | "$BOOT_PY" scripts/_pytest_quiet.py "$counts"
  status=${PIPESTATUS[0]}
  read -r passed failed skipped errors <"$counts" || { passed=0 failed=0 skipped=0 errors=0; }
  failed=$((failed + errors))
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  TOTAL_SKIPPED=$((TOTAL_SKIPPED + skipped))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; TOTAL_FAILED=$((TOTAL_FAILED + 1)); fi
  record "$name" "$status" $((SECONDS - t0)) "$passed passed, $failed failed, $skipped skipped"
}

PYTEST_QUIET=(-q -p no:cacheprovider)

step "lint (ruff check, ruff format --check)" hatch run lint:check

if [[ ",$AGENTUTILS_PYTHONS," == *",3.12,"* ]]; then
  step "types (mypy --strict, Python 3.12)" hatch run types:check
else
  # The type-check environment is pinned to Python 3.12 (its numpy stubs need it).
  say "types: Python 3.12 is required"
  record "types (mypy --strict)" 1 0 "Python 3.12 missing"
fi

[ -n "$AGENTUTILS_PYTHONS" ] || { echo "no Python 3.10-3.13 found" >&2; exit 1; }
for minor in 3.10 3.11 3.12 3.13; do
  [[ ",$AGENTUTILS_PYTHONS," == *",$minor,"* ]] || echo "skipping Python $minor: not installed here"
done
# Coverage is measured in one leg (the newest of 3.12 and below that is present, full), over
# every member of the packages/* glob and the meta-package.
COV_LEG=""
for minor in 3.10 3.11 3.12; do
  [[ ",$AGENTUTILS_PYTHONS," == *",$minor,"* ]] && COV_LEG="py$minor-full"
done
COV_SOURCES=$(for src in packages/*/src/agentutils_*; do basename "$src"; done | paste -sd, -),agentutils
IFS=, read -ra PYTHONS <<<"$AGENTUTILS_PYTHONS"
for minor in "${PYTHONS[@]}"; do
  for deps in minimal full; do
    leg="py$minor-$deps"
    [ -d "$(hatch env find "test.$leg" 2>/dev/null)" ] ||
      echo "(creating the environment test.$leg first: once, a minute or two)"
    if [ "$leg" = "$COV_LEG" ]; then
      rm -f .coverage .coverage.*
      pytest_step "tests $leg, with branch coverage" hatch run "test.$leg:coverage" run --source="$COV_SOURCES" \
        -m pytest --ignore=tests/packaging "${PYTEST_QUIET[@]}"
    else
      pytest_step "tests $leg" hatch run "test.$leg:run" "${PYTEST_QUIET[@]}"
    fi
  done
done

if [ -n "$COV_LEG" ]; then
  say "coverage ($COV_LEG, branch): floor 90% ([tool.coverage.report] fail_under)"
  t0=$SECONDS
  hatch run "test.$COV_LEG:coverage" report >"$LOGS/coverage" 2>&1
  status=$?
  # Only the files under the floor's view that miss something, then the total.
  cat "$LOGS/coverage"
  figure=$(awk '/^TOTAL/ {print $NF}' "$LOGS/coverage")
  record "coverage ($COV_LEG, branch)" "$status" $((SECONDS - t0)) "${figure:-?} (floor 90%)"
fi

for dir in packages/*/; do
  member=$(basename "$dir")
  pytest_step "isolated: agentutils-$member alone" hatch run "iso-$member:run" "${PYTEST_QUIET[@]}"
done

step "release build: every wheel and sdist, twine check --strict, lockstep, changelogs" \
  hatch run packaging:release build --unreleased

echo "(the first run downloads a wheelhouse of the third-party dependencies into .cache/wheelhouse)"
export AGENTUTILS_DIST="$ROOT/dist"
pytest_step "packaging: the built files, each member alone, install by name from an index" \
  hatch run packaging:run "${PYTEST_QUIET[@]}"

# ---------------------------------------------------------------- summary
say "summary"
elapsed=$((SECONDS - START))
width=0
for name in "${STEP_NAMES[@]}"; do [ ${#name} -gt "$width" ] && width=${#name}; done
printf "%-${width}s  %6s  %-6s  %s\n" "step" "time" "result" "tests"
for i in "${!STEP_NAMES[@]}"; do
  printf "%-${width}s  %6s  %-6s  %s\n" "${STEP_NAMES[$i]}" "${STEP_TIMES[$i]}" "${STEP_RESULTS[$i]}" "${STEP_COUNTS[$i]}"
done
printf "%-${width}s  %6s  %-6s  %s\n" "all ${#STEP_NAMES[@]} steps" \
  "$(printf '%d:%02d' $((elapsed / 60)) $((elapsed % 60)))" \
  "$([ "$FAILED_STEPS" -eq 0 ] && echo passed || echo FAILED)" "$FAILED_STEPS failed steps"
echo
# The closing line CI reads: every pytest run's counts added up.
echo "total: $TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
[ "$FAILED_STEPS" -eq 0 ]
