"""Tasks run on the package of the Django in use, and a backend of the other one is an error.

Django 6 has `django.tasks`; Django 5.2 has the django-tasks backport. A host that names a
backend of the wrong package would leave every webhook event waiting: check E013 says
which setting to change and to what. Each line runs the tests that can exist on it.
"""

import pytest
from django.conf import settings
from django.core import checks
from django.test import override_settings
from django.utils.module_loading import import_string

from helpscout_integration import tasks_compat
from helpscout_integration.tasks_compat import (
    DUMMY_BACKEND,
    IMMEDIATE_BACKEND,
    TASKS_PACKAGE,
    BaseTaskBackend,
    is_immediate,
)

ON_DJANGO_6 = TASKS_PACKAGE == "django.tasks"
BACKPORT_IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
BACKPORT_DUMMY = "django_tasks.backends.dummy.DummyBackend"


def task_backend_errors(tasks):
    with override_settings(TASKS=tasks):
        return [m for m in checks.run_checks(tags=["helpscout"]) if m.id == "helpscout.E013"]


def test_the_project_settings_name_backends_of_the_tasks_package_in_use():
    for alias, config in settings.TASKS.items():
        backend = import_string(config["BACKEND"])
        assert issubclass(backend, BaseTaskBackend), (alias, config["BACKEND"])
    assert ("django_tasks" in settings.INSTALLED_APPS) == (not ON_DJANGO_6)
    assert task_backend_errors(settings.TASKS) == []


def test_backends_of_the_package_in_use_and_the_database_backend_are_clean():
    tasks = {
        "default": {"BACKEND": IMMEDIATE_BACKEND},
        "deferred": {"BACKEND": DUMMY_BACKEND},
        "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    assert task_backend_errors(tasks) == []


def test_a_backend_that_cannot_be_imported_is_left_to_djangos_own_check():
    assert task_backend_errors({"default": {"BACKEND": "nowhere.Backend"}}) == []


def test_the_immediate_backend_is_recognised_through_subclasses():
    immediate = import_string(IMMEDIATE_BACKEND)
    subclass = type("InlineBackend", (immediate,), {})
    assert is_immediate(immediate(alias="default", params={}))
    assert is_immediate(subclass(alias="default", params={}))
    assert not is_immediate(import_string(DUMMY_BACKEND)(alias="default", params={}))


@pytest.mark.skipif(not ON_DJANGO_6, reason="the backport is the package in use on Django 5.2")
class TestOnDjango6:
    def test_a_backport_backend_is_an_error_naming_the_django_tasks_one(self):
        errors = task_backend_errors(
            {"default": {"BACKEND": BACKPORT_IMMEDIATE}, "other": {"BACKEND": BACKPORT_DUMMY}}
        )
        assert [e.level for e in errors] == [checks.ERROR, checks.ERROR]
        assert "TASKS['default']" in errors[0].msg and "backport" in errors[0].msg
        assert errors[0].hint == "Set it to 'django.tasks.backends.immediate.ImmediateBackend'."
        assert errors[1].hint == "Set it to 'django.tasks.backends.dummy.DummyBackend'."

    def test_mixing_the_backport_default_with_the_database_backend_names_both_fixes(self):
        # The trap in the field: @task() gave every task the backport's Task class, and
        # django-tasks-db's worker refused them ("does not point to a Task").
        errors = task_backend_errors(
            {
                "default": {"BACKEND": BACKPORT_IMMEDIATE},
                "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
            }
        )
        assert [e.msg.split("]")[0] for e in errors] == ["TASKS['default'", "TASKS['queue'"]
        assert "take their class from TASKS['default']" in errors[1].msg
        assert IMMEDIATE_BACKEND in errors[1].hint

    def test_a_third_party_backend_built_on_the_backport_alone_is_accepted(self):
        # django-tasks-rq is built on the backport even on Django 6 and runs either
        # package's tasks: only the Task class its neighbours expect matters.
        alone = {"default": {"BACKEND": f"{__name__}.BackportBuiltBackend"}}
        assert task_backend_errors(alone) == []
        beside_immediate = {
            "default": {"BACKEND": IMMEDIATE_BACKEND},
            "rq": {"BACKEND": f"{__name__}.BackportBuiltBackend"},
        }
        assert task_backend_errors(beside_immediate) == []

    def test_a_backport_built_default_beside_a_django_tasks_backend_is_an_error(self):
        errors = task_backend_errors(
            {
                "default": {"BACKEND": f"{__name__}.BackportBuiltBackend"},
                "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
            }
        )
        assert len(errors) == 1 and "TASKS['queue']" in errors[0].msg

    def test_the_backports_immediate_backend_still_runs_inline(self):
        # What webhooks/drain.py relies on while the host fixes its settings.
        backend = import_string(BACKPORT_IMMEDIATE)(alias="default", params={})
        assert is_immediate(backend)


@pytest.mark.skipif(ON_DJANGO_6, reason="Django 6 has django.tasks")
class TestOnDjango52:
    def test_a_django_tasks_backend_is_an_error_naming_the_backport_one(self):
        errors = task_backend_errors(
            {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
        )
        assert len(errors) == 1
        assert "Django 5.2 does not have" in errors[0].msg
        assert errors[0].hint == f"Set it to {BACKPORT_IMMEDIATE!r}."

    def test_the_missing_backport_is_named_with_the_install_command(self, monkeypatch):
        import importlib
        import sys

        monkeypatch.setitem(sys.modules, "django_tasks", None)  # as if not installed
        monkeypatch.delitem(sys.modules, tasks_compat.__name__)
        from django.core.exceptions import ImproperlyConfigured

        with pytest.raises(ImproperlyConfigured, match=r"\[django52\]"):
            importlib.import_module(tasks_compat.__name__)


if ON_DJANGO_6:
    BackportBase = import_string("django_tasks.backends.base.BaseTaskBackend")

    class BackportBuiltBackend(BackportBase):
        """A third-party backend built on the backport (as django-tasks-rq 0.12 is)."""

        def enqueue(self, task, args, kwargs):
            raise AssertionError("never reached: only the check looks at this class")
