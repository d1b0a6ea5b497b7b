"""Import point for Django's tasks framework: `django.tasks` on Django 6, the backport on 5.2.

Everything in this app imports `task`, `task_backends` and the facts about backend classes
it needs from here, never from either package directly, so the app runs unchanged on both.

Why backend classes are told apart by name, not `isinstance`: both packages ship an
`ImmediateBackend` (and a `BaseTaskBackend`), and a host can name either in `TASKS`. An
`isinstance` against the class of one package is False for the other's, so a check like
"does this backend run tasks inline?" must look at the class's ancestry by qualified name.
This module must never import the package that is not in use on its own account (the
check imports only the backend classes `TASKS` names).

A `TASKS` backend from the other package cannot run this app's tasks: on Django 6 the
backport's backends build backport Task objects that django.tasks workers (django-tasks-db)
reject, so events wait for ever. `mismatched_backends()` finds them for the
`helpscout.E013` system check.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

try:  # Django >= 6.0
    from django.tasks import default_task_backend, task, task_backends  # type: ignore
    from django.tasks.backends.base import BaseTaskBackend  # type: ignore

    TASKS_PACKAGE = "django.tasks"
    OTHER_PACKAGE = "django_tasks"
except ImportError:  # Django 5.2 with the django-tasks backport
    try:
        from django_tasks import default_task_backend, task, task_backends  # type: ignore
        from django_tasks.backends.base import BaseTaskBackend  # type: ignore
    except ImportError as exc:
        raise ImproperlyConfigured(
            "helpscout_integration runs on Django's tasks framework: Django 6 has it "
            "built in, Django 5.2 needs the django-tasks backport. Install it with "
            "`pip install 'django-helpscout-integration[django52]'` (or "
            '`pip install django-tasks`) and add "django_tasks" to INSTALLED_APPS.'
        ) from exc
    TASKS_PACKAGE = "django_tasks"
    OTHER_PACKAGE = "django.tasks"

IMMEDIATE_BACKEND = f"{TASKS_PACKAGE}.backends.immediate.ImmediateBackend"
"""Dotted path of the in-process backend of the package in use (tests, settings)."""
DUMMY_BACKEND = f"{TASKS_PACKAGE}.backends.dummy.DummyBackend"
"""Dotted path of the backend that only records what was queued."""

__all__ = [
    "DUMMY_BACKEND",
    "IMMEDIATE_BACKEND",
    "BaseTaskBackend",
    "TASKS_PACKAGE",
    "default_task_backend",
    "is_immediate",
    "matching_backend",
    "mismatched_backends",
    "task",
    "task_backends",
]

_IMMEDIATE = {
    "django.tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.immediate.ImmediateBackend",
}

# Where a backend named for the other package lives for the one in use. On Django 6:
_FOR_DJANGO_TASKS = {
    "django_tasks.backends.immediate.ImmediateBackend": (
        "django.tasks.backends.immediate.ImmediateBackend"
    ),
    "django_tasks.backends.dummy.DummyBackend": "django.tasks.backends.dummy.DummyBackend",
    # Older backport releases shipped the database and RQ backends in the package itself.
    "django_tasks.backends.database.DatabaseBackend": "django_tasks_db.DatabaseBackend",
    "django_tasks.backends.rq.RQBackend": "django_tasks_rq.RQBackend",
}
# On Django 5.2 (django.tasks does not exist there):
_FOR_BACKPORT = {
    "django.tasks.backends.immediate.ImmediateBackend": (
        "django_tasks.backends.immediate.ImmediateBackend"
    ),
    "django.tasks.backends.dummy.DummyBackend": "django_tasks.backends.dummy.DummyBackend",
}


def _qualified_names(cls: type) -> set[str]:
    return {f"{klass.__module__}.{klass.__qualname__}" for klass in cls.__mro__}


def is_immediate(backend: object) -> bool:
    """True if `backend` runs tasks inline, whichever package its class comes from."""
    return not _IMMEDIATE.isdisjoint(_qualified_names(type(backend)))


def matching_backend(path: str) -> str | None:
    """The backend to name instead of `path` (a backend of the other package), if known."""
    return (_FOR_DJANGO_TASKS if TASKS_PACKAGE == "django.tasks" else _FOR_BACKPORT).get(path)


def mismatched_backends(tasks_setting: dict[str, dict[str, object]]) -> list[tuple[str, str, str]]:
    """(alias, BACKEND path, why) of each `TASKS` backend that cannot run this app's tasks.

    why is "package": the backend is one of the other package's own (the backport's
    immediate backend on Django 6, a `django.tasks` path on 5.2); `matching_backend`
    knows its replacement. Or "default": this app declares its tasks with `@task()`, so
    their class is the `task_class` of `TASKS['default']`; when that backend is built on
    the other package (django-tasks-rq is, even on Django 6), a backend built on the
    package in use (django-tasks-db) rejects every one of them in its worker. A backend
    built on the other package by a third party is otherwise left alone: django-tasks-rq
    runs either package's tasks. Classes that cannot be imported are Django's to report.
    """
    from django.utils.module_loading import import_string

    wrong: list[tuple[str, str, str]] = []
    classes: dict[str, type] = {}
    for alias, config in tasks_setting.items():
        path = str((config or {}).get("BACKEND", ""))
        try:
            cls = import_string(path)
        except ImportError:
            # On Django 5.2 a `django.tasks` path cannot import at all.
            if path.startswith(f"{OTHER_PACKAGE}."):
                wrong.append((alias, path, "package"))
            continue
        if not isinstance(cls, type):
            continue
        classes[alias] = cls
        if cls.__module__.startswith(f"{OTHER_PACKAGE}."):
            wrong.append((alias, path, "package"))
    default = classes.get("default")
    if default is not None and not _on_package_in_use(default):
        for alias, cls in classes.items():
            if alias != "default" and _on_package_in_use(cls):
                wrong.append((alias, str(tasks_setting[alias]["BACKEND"]), "default"))
    return wrong


def _on_package_in_use(cls: type) -> bool:
    return issubclass(cls, BaseTaskBackend)
