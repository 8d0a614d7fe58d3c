#!/usr/bin/env bash
# Compiles the C extension sikumi/imports/_sheetscan.c in place (fast XLSX sheet reader, see
# sikumi/imports/fastsheet.py) with the flags of .venv/bin/python's sysconfig. Without a C
# compiler or Python headers it says so and exits 0: the import then reads with python-calamine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SRC=sikumi/imports/_sheetscan.c
if [ ! -x "$PY" ]; then
  echo "build-ext: $PY not found (run scripts/bootstrap.sh first); extension not built." >&2
  exit 0
fi
CC=${CC:-$("$PY" -c 'import sysconfig; print((sysconfig.get_config_var("CC") or "cc").split()[0])')}
if ! command -v "$CC" >/dev/null 2>&1; then
  if command -v gcc >/dev/null 2>&1; then
    CC=gcc
  else
    echo "build-ext: no C compiler found; _sheetscan not built (imports use python-calamine)."
    exit 0
  fi
fi
INCLUDE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
SUFFIX=$("$PY" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
if [ ! -f "$INCLUDE/Python.h" ]; then
  echo "build-ext: Python.h not found in $INCLUDE; _sheetscan not built (imports use python-calamine)."
  exit 0
fi
OUT=sikumi/imports/_sheetscan$SUFFIX
# Built to a temporary name and moved: a running process never sees a half-written library.
TMP=$(mktemp "sikumi/imports/._sheetscan.XXXXXX")
trap 'rm -f "$TMP"' EXIT
# -DNDEBUG and -fno-strict-overflow as in Python's own CFLAGS (no C asserts in Python's macros).
if "$CC" -O2 -shared -fPIC -DNDEBUG -fno-strict-overflow -Wall -Wextra -std=c11 -I"$INCLUDE" \
  -o "$TMP" "$SRC" -lm; then
  chmod 755 "$TMP" # mktemp made it private: other users (a service account) load it too
  mv -f "$TMP" "$OUT"
  echo "build-ext: built $OUT"
else
  echo "build-ext: compiling $SRC failed; imports use python-calamine." >&2
  exit 0
fi
