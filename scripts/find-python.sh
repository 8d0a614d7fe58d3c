#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 (PATH first, then pyenv's versions), or explains what
# to install and fails.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for name in python3.13 python3.12 python3.14 python3 python; do
  if p=$(command -v "$name" 2>/dev/null) && ok "$p"; then echo "$p"; exit 0; fi
done
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
  if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<'MSG'
Sikumi needs Python 3.12 or newer, and none was found (PATH, pyenv).
Install one, for example:
  - Debian/Ubuntu: sudo apt-get install python3.12 python3.12-venv
  - pyenv:         pyenv install 3.13
then run the command again.
MSG
exit 1
