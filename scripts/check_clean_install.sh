#!/usr/bin/env bash
# Proves the app installs like a third-party package and that the README's install
# snippets work as written: build the wheel, check it carries templates, static files,
# migrations and py.typed, pip-install it into a fresh virtualenv, paste the README's
# settings.py and urls.py snippets verbatim into a blank `django-admin startproject`
# project, then `check`, `migrate`, and a sync against `manage.py helpscout_sandbox`
# configured only with the environment variables that command prints.
#
# PY=X.Y picks the Python line (default 3.11): pip then picks the newest Django that
# Python allows (5.2 on 3.11, 6.x on 3.12+), as a host's `pip install` would, and the
# script checks the django-tasks backport came along only where Django lacks django.tasks.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python="${PYTHON:-$("$repo/scripts/find_python.sh" "${PY:-3.11}")}"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip wheel --quiet --no-deps -w "$work/dist" "$repo"
wheel="$(ls "$work"/dist/*.whl)"
listing="$("$work/venv/bin/python" -m zipfile -l "$wheel")"
for needed in helpscout_integration/py.typed helpscout_integration/migrations/0001_initial.py \
    helpscout_integration/templates/ helpscout_integration/static/ \
    helpscout_integration/sandbox/beacon_static/beacon.js; do
  grep -q "$needed" <<<"$listing" || { echo "wheel lacks $needed" >&2; exit 1; }
done
"$work/venv/bin/python" -m pip install --quiet "$wheel"
# django-tasks only where needed: Django 5.2 has no django.tasks, Django 6 must not need it.
"$work/venv/bin/python" - <<'PY'
import importlib.util
import sys

import django

has_builtin = importlib.util.find_spec("django.tasks") is not None
has_backport = importlib.util.find_spec("django_tasks") is not None
print(f"clean install: Python {sys.version.split()[0]}, Django {django.get_version()}, "
      f"django-tasks backport {'installed' if has_backport else 'not installed'}")
if has_builtin == has_backport:
    sys.exit("the django-tasks backport must be installed exactly when Django lacks django.tasks")
PY

cd "$work"
"$work/venv/bin/django-admin" startproject host
# The snippets come from the README itself (the fenced block after each
# `<!-- install-snippet: FILE -->` marker), so the README cannot drift from what is tested.
snippet() {
  awk -v want="<!-- install-snippet: $1 -->" '
    $0 == want { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' "$repo/README.md"
}
for file in settings.py urls.py; do
  code="$(snippet "$file")"
  [ -n "$code" ] || { echo "README has no install snippet for $file" >&2; exit 1; }
  printf '\n%s\n' "$code" >> "host/host/$file"
done
cd host
# Nothing exported yet: every feature is off, which is a warning, never an error.
"$work/venv/bin/python" manage.py check
"$work/venv/bin/python" manage.py migrate --noinput >/dev/null
# Captured first: `grep -q` stops reading at its first match, and a command still writing
# into the closed pipe then dies of a broken pipe (which pipefail reports as a failure).
migrations="$("$work/venv/bin/python" manage.py showmigrations helpscout_integration)"
for applied in $(ls "$repo"/helpscout_integration/migrations/0*.py | xargs -n1 basename | sed 's/\.py$//'); do
  grep -q "\[X\] $applied" <<<"$migrations" || { echo "migration $applied not applied" >&2; exit 1; }
done

# A sync against the command-line sandbox, configured only by what it prints.
sandbox_log="$work/sandbox.log"
"$work/venv/bin/python" manage.py helpscout_sandbox --port 0 --seed large:25 --rate-limit 0 \
  --webhook-url http://127.0.0.1:9/helpscout/webhook/ --webhook-secret clean-install \
  >"$sandbox_log" 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q "Ctrl-C to stop" "$sandbox_log" && break; sleep 0.1; done
grep -q "Ctrl-C to stop" "$sandbox_log" || { cat "$sandbox_log" >&2; exit 1; }
exports="$(grep '^ *export HELPSCOUT_' "$sandbox_log" | grep -v '\.\.\.')"
# Every printed variable takes effect: the README's settings snippet reads each one.
for name in $(sed -E 's/^ *export (HELPSCOUT_[A-Z_]+)=.*/\1/' <<<"$exports"); do
  grep -q "\"$name\"" <<<"$(snippet settings.py)" || { echo "README's settings snippet ignores $name" >&2; exit 1; }
done
eval "$exports"
export HELPSCOUT_WEBHOOK_SECRET=clean-install
# Configured now: API and webhooks on, so not even a warning is left.
"$work/venv/bin/python" manage.py check --fail-level WARNING
"$work/venv/bin/python" manage.py helpscout_sync --full --no-progress 2>&1 | tee "$work/sync.log"
conversations="$("$work/venv/bin/python" manage.py shell -c \
  'from helpscout_integration.models import Conversation; print(Conversation.objects.count())' | tail -n 1)"
[ "$conversations" = 25 ] || { echo "sync mirrored $conversations conversations, not 25" >&2; exit 1; }
echo "clean install: README snippets work in a blank project; check, migrate and a sync pass"
