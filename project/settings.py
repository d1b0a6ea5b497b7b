"""Settings of the demo host project: a product that installed helpscout_integration.

Everything comes from the environment (or an optional `.env`) through django-environ, so
the same settings serve the demo, the test suite on SQLite and CI on PostgreSQL.
"""

from pathlib import Path

import django
import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="demo-only-not-secret-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# Django 6 has the tasks framework built in (`django.tasks`); Django 5.2 runs the same API
# from the django-tasks backport, which is an app. Backends must come from the package in
# use (check helpscout.E013 says so): django-tasks-db suits both.
if django.VERSION >= (6, 0):
    TASKS_APPS = ["django_tasks_db"]
    IMMEDIATE_TASK_BACKEND = "django.tasks.backends.immediate.ImmediateBackend"
else:
    TASKS_APPS = ["django_tasks", "django_tasks_db"]
    IMMEDIATE_TASK_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    *TASKS_APPS,
    "rest_framework",
    "helpscout_integration",
    "project",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'demo.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's web server, task worker and sync write side by side; with WAL,
    # synchronous=NORMAL is what SQLite recommends: no corruption on a crash, and a commit
    # no longer waits for an fsync (a power cut may lose the last commits, which the next
    # incremental sync fetches again). See docs/performance.md.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default=IMMEDIATE_TASK_BACKEND),
    }
}

AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# The demo talks to the local sandbox (`make demo` starts it on SANDBOX_PORT); a real
# product sets these from its own environment. The defaults are demo values, not secrets.
SANDBOX_URL = env("HELPSCOUT_SANDBOX_URL", default="http://127.0.0.1:8765")
HELPSCOUT = {
    "APP_ID": env("HELPSCOUT_APP_ID", default="demo-app-id"),
    "APP_SECRET": env("HELPSCOUT_APP_SECRET", default="demo-app-secret"),
    "WEBHOOK_SECRET": env.list("HELPSCOUT_WEBHOOK_SECRET", default=["demo-webhook-secret"]),
    "BEACON_ID": env("HELPSCOUT_BEACON_ID", default="demo-beacon-id"),
    "BEACON_SECRET_KEY": env("HELPSCOUT_BEACON_SECRET_KEY", default="demo-beacon-secret"),
    "DOCS_API_KEY": env("HELPSCOUT_DOCS_API_KEY", default="demo-docs-key"),
    "DYNAMIC_APP_SECRET": env("HELPSCOUT_DYNAMIC_APP_SECRET", default="demo-dynamic-app-secret"),
    "APP_PLATFORM_SECRET": env("HELPSCOUT_APP_PLATFORM_SECRET", default="demo-app-platform-secret"),
    "API_BASE_URL": env("HELPSCOUT_API_BASE_URL", default=f"{SANDBOX_URL}/v2"),
    "DOCS_API_BASE_URL": env("HELPSCOUT_DOCS_API_BASE_URL", default=f"{SANDBOX_URL}/docs/v1"),
    # The sandbox's Beacon 2 stand-in, so the demo shows a working widget offline.
    "BEACON_SCRIPT_URL": env("HELPSCOUT_BEACON_SCRIPT_URL", default=f"{SANDBOX_URL}/beacon/"),
    "RATE_LIMIT_PER_MINUTE": env.int("HELPSCOUT_RATE_LIMIT_PER_MINUTE", default=400),
}
# `make demo` sets this to project.customer_properties.demo_properties; unset elsewhere.
if env("HELPSCOUT_CUSTOMER_PROPERTIES", default=""):
    HELPSCOUT["CUSTOMER_PROPERTIES"] = env("HELPSCOUT_CUSTOMER_PROPERTIES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"helpscout_integration": {"handlers": ["console"], "level": "INFO"}},
}
