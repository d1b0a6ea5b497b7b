"""Beacon test helpers: settings with Beacon on, and requests for a given user and path."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

BEACON_ID = "4b7a9b1e-0000-4000-8000-beacon000001"
SECRET = "s3cret-beacon-key-never-in-pages"


@pytest.fixture
def beacon_settings(settings):
    settings.HELPSCOUT = {
        "BEACON_ID": BEACON_ID,
        "BEACON_SECRET_KEY": SECRET,
        "DOCS_API_KEY": "docs-key",
        "DOCS_API_BASE_URL": "https://docsapi.helpscout.net/v1",
    }
    return settings


class User:
    """A stand-in for an authenticated user (no database needed)."""

    is_authenticated = True

    def __init__(self, first="Ada", last="Lovelace", email="ada@example.com"):
        self.first_name, self.last_name, self.email = first, last, email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_username(self):
        return "ada"


@pytest.fixture
def make_request():
    factory = RequestFactory()

    def make(path="/", user=None):
        request = factory.get(path)
        request.user = user if user is not None else AnonymousUser()
        return request

    return make
