# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create their virtualenv themselves; nothing but Python is needed (SQLite by default).
#
# PY picks the supported line, each in its own virtualenv:
#   make test              Python 3.11 + Django 5.2 LTS (the django-tasks backport), in .venv
#   make test PY=3.13      Python 3.13 + Django 6.1 (django.tasks built in), in .venv-3.13
# DJANGO=X.Y overrides the Django series (default: 5.2 on 3.11, 6.1 on any later Python),
# PYTHON=/path/to/python the interpreter (default: scripts/find_python.sh finds Python PY on
# PATH or under pyenv, and fails, never skips, when it is missing).
PY ?= 3.11
DJANGO ?= $(if $(filter 3.11,$(PY)),5.2,6.1)
VENV ?= $(if $(filter 3.11,$(PY)),.venv,.venv-$(PY))
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-django$(DJANGO)
# On Django 5.2 the [django52] extra brings the backport whatever the Python.
comma := ,
EXTRAS = dev,demo$(if $(filter 5.%,$(DJANGO)),$(comma)django52)
SANDBOX_PORT ?= 8765
DEMO_PORT ?= 8000

.PHONY: demo test suite lint format install clean browser typecheck

$(STAMP): pyproject.toml
	python="$(or $(PYTHON),$$(scripts/find_python.sh $(PY)))" && "$$python" -m venv $(VENV)
	@$(BIN)/python -c "import sys; v = '%d.%d' % sys.version_info[:2]; sys.exit(0 if v == '$(PY)' else '$(VENV) runs Python ' + v + ', not PY=$(PY): remove it')"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]" "Django~=$(DJANGO).0"
	@rm -f $(VENV)/.installed*
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

test: $(STAMP) lint typecheck browser suite

# The checks and the whole suite without lint and type-check (CI's second database run).
suite: $(STAMP) browser
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run helpscout_integration
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	SANDBOX_PORT=$(SANDBOX_PORT) DEMO_PORT=$(DEMO_PORT) $(BIN)/python -m project.demo

clean:
	rm -rf .venv .venv-* *.egg-info build dist .pytest_cache demo.sqlite3
