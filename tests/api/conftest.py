import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from helpscout_integration.sync.upsert import upsert_conversations


@pytest.fixture
def make_user(db):
    def make(username, email=None, **fields):
        email = f"{username}@example.com" if email is None else email
        return get_user_model().objects.create_user(username, email, "pw", **fields)

    return make


@pytest.fixture
def api_as():
    def signed_in(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return signed_in


@pytest.fixture
def mirrored(helpscout_sandbox):
    """Create a conversation in the sandbox and mirror it; returns its id."""

    def create(customer_email, subject="Question", threads=None, **kwargs):
        created = helpscout_sandbox.create_conversation(
            customer_email=customer_email, subject=subject, threads=threads, **kwargs
        )
        upsert_conversations([helpscout_sandbox.get_conversation(created["id"])])
        return created["id"]

    return create
