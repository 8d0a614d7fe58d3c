# Sikumi: two commands. `make run` serves the app with the Depok Renstra and example data;
# `make test` runs every check. Both create .venv from uv.lock with a Python >= 3.12.
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test venv lint typecheck migrations-check test-sqlite test-postgres test-browser messages clean

$(VENV)/.synced: uv.lock pyproject.toml scripts/bootstrap.sh
	@bash scripts/bootstrap.sh
	@touch $@

venv: $(VENV)/.synced

run: venv
	@PORT=$(PORT) HOST=$(HOST) bash scripts/run.sh

test: venv
	@bash scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy .

messages: venv
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=.tools --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

clean:
	rm -rf $(VENV) .tools
