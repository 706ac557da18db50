# Sourced by the scripts in this folder (and by developers: `source scripts/_bootstrap.sh`):
# installs the project's tools (hatch, uv) into .tools/ and makes the interpreters
# 3.10-3.13 findable. Nothing else is assumed installed. It sets no shell options and
# does not change directory, so sourcing it leaves an interactive shell as it was.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Under pyenv, `python3.X` resolves only for versions listed in PYENV_VERSION: list every
# installed 3.10-3.13 (after whatever the caller had listed).
if ! command -v pyenv >/dev/null 2>&1 && [ -x "${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv" ]; then
  export PATH="${PYENV_ROOT:-$HOME/.pyenv}/shims:${PYENV_ROOT:-$HOME/.pyenv}/bin:$PATH"
fi
if command -v pyenv >/dev/null 2>&1; then
  listed="${PYENV_VERSION:-}"
  for minor in 3.11 3.10 3.12 3.13; do
    v=$(pyenv versions --bare 2>/dev/null | grep -E "^${minor//./\\.}\.[0-9]+$" | sort -V | tail -n 1 || true)
    if [ -n "$v" ] && [[ ":$listed:" != *":$v:"* ]]; then
      listed="${listed:+$listed:}$v"
    fi
  done
  if [ -n "$listed" ]; then
    export PYENV_VERSION="$listed"
  fi
fi

# The interpreters of the test matrix that are really here (a pyenv shim that cannot run
# counts as absent). hatch would otherwise try to download the missing ones.
AGENTUTILS_PYTHONS=""
for minor in 3.10 3.11 3.12 3.13; do
  if command -v "python$minor" >/dev/null 2>&1 && "python$minor" -c pass >/dev/null 2>&1; then
    AGENTUTILS_PYTHONS="${AGENTUTILS_PYTHONS:+$AGENTUTILS_PYTHONS,}$minor"
  fi
done
export AGENTUTILS_PYTHONS

# The interpreter that runs hatch itself: the newest 3.1x found.
BOOT_PY=""
for candidate in python3.12 python3.11 python3.13 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null; then
    BOOT_PY="$candidate"
    break
  fi
done
if [ -z "$BOOT_PY" ]; then
  echo "agentutils: no Python >= 3.10 found" >&2
  return 1 2>/dev/null || exit 1
fi

TOOLS="$ROOT/.tools"
if [ ! -x "$TOOLS/bin/hatch" ] || [ ! -x "$TOOLS/bin/uv" ]; then
  echo "agentutils: installing hatch and uv into .tools/ (once)" >&2
  "$BOOT_PY" -m venv "$TOOLS" || { echo "agentutils: cannot create $TOOLS" >&2; return 1 2>/dev/null || exit 1; }
  # Pinned, so every machine runs the same tools; pip's notes about unused local
  # indexes are dropped, its errors are not.
  "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "hatch==1.18.2" "uv==0.13.8" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2) ||
    { echo "agentutils: installing hatch and uv failed" >&2; return 1 2>/dev/null || exit 1; }
fi
export PATH="$TOOLS/bin:$PATH"
# hatch uses this uv for every environment; it never downloads an interpreter
# (python-sources = ["external"] in hatch.toml).
export HATCH_ENV_TYPE_VIRTUAL_UV_PATH="$TOOLS/bin/uv"
export PYTHONDONTWRITEBYTECODE=1
# Trust the machine's certificate store (a package proxy may present its own CA), not
# only the roots bundled with uv.
export UV_SYSTEM_CERTS=1
