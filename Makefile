# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv themselves; nothing but python3 is needed (SQLite by default).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SANDBOX_PORT ?= 8765
DEMO_PORT ?= 8000

.PHONY: demo test lint format install clean browser typecheck

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,demo]"
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# mypy with django-stubs over the package (config in pyproject.toml: strict flags for
# client/, payloads/, webhooks/). Part of `make test`: keep the package at zero errors.
typecheck: $(STAMP)
	$(BIN)/mypy

# Browser tests drive Debian's chromium through Playwright (browsers cannot be downloaded
# here, so never `playwright install`). Installed when missing and we may (root + apt-get);
# otherwise the browser tests skip locally and fail under CI, with the reason.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x "$(CHROMIUM)" ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

test: $(STAMP) lint typecheck browser
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run helpscout_integration
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	SANDBOX_PORT=$(SANDBOX_PORT) DEMO_PORT=$(DEMO_PORT) $(BIN)/python -m project.demo

clean:
	rm -rf $(VENV) *.egg-info build dist .pytest_cache demo.sqlite3
