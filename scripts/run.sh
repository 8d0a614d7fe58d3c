#!/usr/bin/env bash
# Migrate, load reference data, the Renstra and example data, start the task workers, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Plain HTTP on the loopback address: cookies cannot be marked Secure there.
if [ "$HOST" = "127.0.0.1" ] || [ "$HOST" = "localhost" ]; then
  export SIKUMI_SECURE_COOKIES=${SIKUMI_SECURE_COOKIES:-false}
fi
umask 077  # the database, uploads, backups and the secret key are for this user only
$PY manage.py migrate --noinput
$PY manage.py compilemessages --ignore=.venv --ignore=.tools -v0 2>/dev/null || true
$PY manage.py setup_instance
# Imports cut off while writing (a killed worker) are reverted before the workers start.
$PY manage.py recover_imports
# SIKUMI_WORKERS task workers under a supervisor that restarts any that dies (and marks the
# tasks it was running failed); the loop below restarts the supervisor itself should it die.
(
  SUP=""
  trap '[ -n "$SUP" ] && kill -TERM "$SUP" 2>/dev/null; wait "$SUP" 2>/dev/null; exit 0' TERM INT
  while true; do
    $PY manage.py run_workers &
    SUP=$!
    wait "$SUP" || true
    echo "Sikumi: supervisor of the task workers stopped; restarting in 2 s" >&2
    sleep 2
  done
) &
WORKERS=$!
trap 'kill -TERM $WORKERS 2>/dev/null || true; wait $WORKERS 2>/dev/null || true' EXIT INT TERM
echo "Sikumi: http://$HOST:$PORT/"
.venv/bin/gunicorn config.wsgi:application --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-3}" \
  --timeout 300 --access-logfile - --error-logfile -
