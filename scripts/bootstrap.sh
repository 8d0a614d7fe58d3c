#!/usr/bin/env bash
# Creates .venv from uv.lock with a Python >= 3.12. uv itself comes from PyPI into .tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash scripts/find-python.sh)
UV_VERSION=0.13.9
if [ ! -x .tools/bin/uv ]; then
  "$PY" -m venv .tools
  .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PYTHON_DOWNLOADS=never
.tools/bin/uv sync --frozen --quiet --python "$PY" "$@"
