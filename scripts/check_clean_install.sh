#!/usr/bin/env bash
# Proves the app installs like a third-party package: build the wheel, check it carries
# templates, static files, migrations and py.typed, pip-install it into a fresh virtualenv,
# add it to a blank `django-admin startproject` project, then `check` and `migrate`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
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

cd "$work"
"$work/venv/bin/django-admin" startproject host
cat >> host/host/settings.py <<'PY'

INSTALLED_APPS += ["django_tasks", "rest_framework", "helpscout_integration"]
HELPSCOUT = {"APP_ID": "id", "APP_SECRET": "secret", "WEBHOOK_SECRET": "whsec",
             "BEACON_ID": "beacon", "BEACON_SECRET_KEY": "key"}
PY
cat >> host/host/urls.py <<'PY'
from django.urls import include
urlpatterns += [path("helpscout/", include("helpscout_integration.urls"))]
PY
cd host
"$work/venv/bin/python" manage.py check --fail-level WARNING
"$work/venv/bin/python" manage.py migrate --noinput >/dev/null
# Captured first: `grep -q` stops reading at its first match, and a command still writing
# into the closed pipe then dies of a broken pipe (which pipefail reports as a failure).
migrations="$("$work/venv/bin/python" manage.py showmigrations helpscout_integration)"
for applied in $(ls "$repo"/helpscout_integration/migrations/0*.py | xargs -n1 basename | sed 's/\.py$//'); do
  grep -q "\[X\] $applied" <<<"$migrations" || { echo "migration $applied not applied" >&2; exit 1; }
done
echo "clean install: wheel installs into a blank project; check and migrate pass"
