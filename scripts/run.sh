#!/usr/bin/env bash
# Migrate, load reference data, the Renstra and example data, start the task worker, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Plain HTTP on the loopback address: cookies cannot be marked Secure there.
if [ "$HOST" = "127.0.0.1" ] || [ "$HOST" = "localhost" ]; then
  export SIKUMI_SECURE_COOKIES=${SIKUMI_SECURE_COOKIES:-false}
fi
$PY manage.py migrate --noinput
$PY manage.py compilemessages --ignore=.venv --ignore=.tools -v0 2>/dev/null || true
$PY manage.py setup_instance
# Imports cut off while writing (a killed worker) are reverted before the worker starts.
$PY manage.py recover_imports
$PY manage.py db_worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Sikumi: http://$HOST:$PORT/"
exec_gunicorn() {
  .venv/bin/gunicorn config.wsgi:application --bind "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-3}" \
    --timeout 300 --access-logfile - --error-logfile -
}
exec_gunicorn
