"""docs/install.md's "Django 5.2 and 6.x" settings run as shown on the Django in use.

Each Python block of the section is executed into a settings namespace, as it would be
at the end of a `startproject` settings.py; the backends it names must import, belong to
the tasks package of this Django (no check helpscout.E013) and run this app's tasks.
"""

import re
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings
from django.utils.module_loading import import_string

from helpscout_integration.tasks_compat import TASKS_PACKAGE, BaseTaskBackend

ROOT = Path(__file__).resolve().parent.parent


def section_blocks(heading):
    text = (ROOT / "docs" / "install.md").read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def run_block(code):
    namespace = {"INSTALLED_APPS": ["django.contrib.admin"]}
    exec(compile(code, "docs/install.md", "exec"), namespace)  # noqa: S102 (our own doc)
    return namespace


def test_the_section_has_the_version_switch_and_the_database_queue():
    assert len(section_blocks("Django 5.2 and 6.x")) == 2


@pytest.mark.parametrize("block", [0, 1], ids=["immediate", "database"])
def test_each_block_names_apps_and_backends_of_the_django_in_use(block):
    settings = run_block(section_blocks("Django 5.2 and 6.x")[block])
    for config in settings["TASKS"].values():
        assert issubclass(import_string(config["BACKEND"]), BaseTaskBackend)
    if block == 0:
        assert ("django_tasks" in settings["INSTALLED_APPS"]) == (TASKS_PACKAGE == "django_tasks")
    with override_settings(TASKS=settings["TASKS"]):
        assert not [m for m in checks.run_checks(tags=["helpscout"]) if m.id == "helpscout.E013"]


def test_the_numbered_steps_install_the_backport_app_only_on_django_5_2():
    text = (ROOT / "docs" / "install.md").read_text()
    step = text.split("2. Add the apps to `settings.py`:", 1)[1]
    code = re.search(r"```python\n(.*?)```", step, flags=re.S).group(1)
    settings = run_block(re.sub(r"^   ", "", code, flags=re.M))
    assert "helpscout_integration" in settings["INSTALLED_APPS"]
    assert ("django_tasks" in settings["INSTALLED_APPS"]) == (TASKS_PACKAGE == "django_tasks")
