"""Settings of the child processes of the multi-process tests (web server, task workers).

The demo project, with the cache and task backend the test asks for through the
environment: `HS_MP_CACHE` (`locmem`, `database`, `redis`, `dummy`) and `HS_MP_TASKS`
(`database` for django-tasks-db, `rq`). `DATABASE_URL` points at the test's own scratch
database. `HS_MP_SLOW_MS` makes each event take that long in the worker, so a test can
kill a worker in the middle of a batch. Help Scout's API is off.
"""

import os

from project.settings import *  # noqa: F403
from project.settings import HELPSCOUT, INSTALLED_APPS

CACHE = os.environ.get("HS_MP_CACHE", "locmem")
REDIS_URL = os.environ.get("REDIS_URL", "")
PREFIX = os.environ.get("HS_MP_CACHE_PREFIX", "hs-mp")

INSTALLED_APPS = [*INSTALLED_APPS, "tests.webhooks.mp_app.MultiProcessTestConfig"]
CACHES = {
    "locmem": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "database": {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hs_mp_cache",
        }
    },
    "redis": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PREFIX,
        }
    },
    "dummy": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
}[CACHE]

if os.environ.get("HS_MP_TASKS", "database") == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

HELPSCOUT = {
    **HELPSCOUT,
    "APP_ID": "",
    "APP_SECRET": "",
    "WEBHOOK_SECRET": [os.environ["HELPSCOUT_WEBHOOK_SECRET"]],
}
DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"helpscout_integration": {"handlers": ["console"], "level": "WARNING"}},
}
