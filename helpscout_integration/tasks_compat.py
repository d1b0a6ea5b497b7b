"""Import point for Django's tasks framework: `django.tasks` on Django 6, the backport on 5.2.

Everything in this app imports `task`, `task_backends` and the backend classes it tells
apart from here, never from either package directly, so the app runs unchanged on both.
"""

try:  # Django >= 6.0
    from django.tasks import default_task_backend, task, task_backends  # type: ignore
    from django.tasks.backends.immediate import ImmediateBackend  # type: ignore
except ImportError:  # Django 5.2 with the django-tasks backport
    from django_tasks import default_task_backend, task, task_backends  # type: ignore
    from django_tasks.backends.immediate import ImmediateBackend  # type: ignore

__all__ = ["ImmediateBackend", "task", "task_backends", "default_task_backend"]
