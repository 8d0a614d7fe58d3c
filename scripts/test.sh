#!/usr/bin/env bash
# Every check: ruff, mypy, makemigrations --check, the tests on SQLite, on PostgreSQL (when a
# server is reachable; started if installed but stopped) and in a real browser (Debian chromium,
# installed when missing).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
PY=.venv/bin/python
status=0
step() { printf '\n==> %s\n' "$*"; }
fail() { echo "FAILED: $*"; status=1; }

step "ruff"
ruff check . || fail "ruff check"
ruff format --check . || fail "ruff format"

step "mypy"
mypy . || fail "mypy"

step "makemigrations --check"
$PY manage.py makemigrations --check --dry-run || fail "missing migrations"

step "compilemessages"
$PY manage.py compilemessages --ignore=.venv --ignore=.tools -v0 || fail "compilemessages"

# --- chromium for the browser tests --------------------------------------------------------
CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
  step "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "could not install chromium"
  elif command -v sudo >/dev/null; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "could not install chromium"
  fi
  CHROMIUM=$(command -v chromium || true)
fi
export SIKUMI_CHROMIUM="$CHROMIUM"

# --- PostgreSQL ---------------------------------------------------------------------------
PG_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
pg_ready() { $PY - "$PG_URL" <<'PYEOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except Exception:
    sys.exit(1)
PYEOF
}
if ! pg_ready && [ -z "${DATABASE_URL:-}" ] && [ -d /etc/postgresql ]; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do pg_ready && break; sleep 1; done
fi

step "tests on SQLite (with browser tests)"
env -u DATABASE_URL pytest -q || fail "tests on SQLite"

if pg_ready; then
  step "tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" pytest -q -m "not browser" || fail "tests on PostgreSQL"
else
  echo "PostgreSQL not reachable at $PG_URL: PostgreSQL tests not run."
  [ "${CI:-}" = "true" ] && fail "PostgreSQL required in CI"
fi

if [ $status -eq 0 ]; then step "all checks passed"; else step "some checks failed"; fi
exit $status
