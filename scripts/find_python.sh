#!/usr/bin/env bash
# Prints the path of a Python X.Y interpreter (`make ... PY=X.Y` builds its venv with it),
# or fails saying how to get one: a line that cannot be tested must never pass by being
# skipped. Looks for pythonX.Y on PATH, then for the newest X.Y.* under pyenv.
set -euo pipefail
want="${1:?usage: scripts/find_python.sh X.Y}"
[[ "$want" =~ ^[0-9]+\.[0-9]+$ ]] || { echo "find_python: '$want' is not X.Y (e.g. 3.13)" >&2; exit 2; }

is_wanted() {  # prints the interpreter's real path if it runs and is Python $want
  "$1" -c "import sys; v = '%d.%d' % sys.version_info[:2]; assert v == '$want', v; print(sys.executable)" 2>/dev/null
}

if command -v "python$want" >/dev/null 2>&1 && is_wanted "python$want"; then
  exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  version="$(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" | sort -V | tail -n 1 || true)"
  if [ -n "$version" ]; then
    candidate="$(PYENV_VERSION="$version" pyenv which python 2>/dev/null || true)"
    if [ -n "$candidate" ] && is_wanted "$candidate"; then
      exit 0
    fi
  fi
fi
echo "find_python: no Python $want here (looked for python$want on PATH and under pyenv)." >&2
echo "find_python: install it (e.g. \`pyenv install $want\`) or pass PYTHON=/path/to/python$want." >&2
exit 1
