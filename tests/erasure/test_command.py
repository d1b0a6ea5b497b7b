"""`manage.py helpscout_erase_customer EMAIL_OR_ID [--dry-run] [--local-only]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from helpscout_integration.models import Customer, CustomerErasure, Thread

from .conftest import EMAIL, SURNAME
from .grep import find_everywhere

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("helpscout_erase_customer", *args, stdout=out)
    return out.getvalue()


def test_dry_run_says_what_would_go_and_changes_nothing(person):
    threads = Thread.objects.count()
    output = _run(EMAIL, "--dry-run")
    assert f"Would erase customer {person.customer_id} from Help Scout and the mirror" in output
    assert "customers 1, conversations 2" in output and "ratings 1" in output
    assert "nothing was changed" in output
    assert EMAIL not in output.lower() and SURNAME not in output
    assert Thread.objects.count() == threads and not CustomerErasure.objects.exists()
    assert person.sandbox.store.customers.get(person.customer_id) is not None


def test_erase_prints_ids_counts_and_help_scouts_answer_never_the_person(person):
    output = _run(EMAIL)
    assert f"(customer {person.customer_id}): done" in output
    assert "Help Scout: Deleted at Help Scout (204)." in output
    assert "conversations: tombstoned 2" in output
    assert EMAIL not in output.lower() and SURNAME not in output
    assert find_everywhere(EMAIL, SURNAME) == []


def test_local_only_by_email_leaves_help_scout_alone(person):
    output = _run(EMAIL.upper(), "--local-only")
    assert "Help Scout: Help Scout was not asked (local only)." in output
    assert not Customer.objects.filter(pk=person.customer_id).exists()
    assert person.sandbox.store.customers.get(person.customer_id) is not None
    assert find_everywhere(EMAIL, SURNAME) == []


def test_bad_input_and_missing_credentials_are_clear_errors(person, settings):
    with pytest.raises(CommandError, match="customer id .* or an email address"):
        _run("someone")
    settings.HELPSCOUT = {}
    with pytest.raises(CommandError, match="--local-only"):
        _run(EMAIL)
    assert Customer.objects.filter(pk=person.customer_id).exists()
    assert not CustomerErasure.objects.exists()
