# Sourced by the scripts in this folder: installs the project's tools (hatch, uv) into
# .tools/ and makes the interpreters 3.10-3.13 findable. Nothing else is assumed installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Under pyenv, `python3.X` resolves only for versions listed in PYENV_VERSION.
if command -v pyenv >/dev/null 2>&1 && [ -z "${PYENV_VERSION:-}" ]; then
  wanted=()
  for minor in 3.11 3.10 3.12 3.13; do
    v=$(pyenv versions --bare 2>/dev/null | grep -E "^${minor//./\\.}\.[0-9]+$" | sort -V | tail -n 1 || true)
    [ -n "$v" ] && wanted+=("$v")
  done
  if [ ${#wanted[@]} -gt 0 ]; then
    PYENV_VERSION=$(IFS=:; echo "${wanted[*]}")
    export PYENV_VERSION
  fi
fi

# The interpreter that runs hatch itself: the newest 3.1x found.
BOOT_PY=""
for candidate in python3.12 python3.11 python3.13 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null; then
    BOOT_PY="$candidate"
    break
  fi
done
[ -n "$BOOT_PY" ] || { echo "agentutils: no Python >= 3.10 found" >&2; exit 1; }

TOOLS="$ROOT/.tools"
if [ ! -x "$TOOLS/bin/hatch" ] || [ ! -x "$TOOLS/bin/uv" ]; then
  echo "agentutils: installing hatch and uv into .tools/ (once)" >&2
  "$BOOT_PY" -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "hatch>=1.16,<2" "uv>=0.5"
fi
export PATH="$TOOLS/bin:$PATH"
# hatch uses this uv for every environment; it never downloads an interpreter
# (python-sources = ["external"] in hatch.toml).
export HATCH_ENV_TYPE_VIRTUAL_UV_PATH="$TOOLS/bin/uv"
export PYTHONDONTWRITEBYTECODE=1
