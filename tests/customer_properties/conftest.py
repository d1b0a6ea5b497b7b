import pytest
from django.contrib.auth import get_user_model

PRODUCERS = "tests.customer_properties.producers."


@pytest.fixture
def properties_sandbox(helpscout_sandbox, settings):
    """The sandbox with the five property types defined, and CUSTOMER_PROPERTIES set."""
    store = helpscout_sandbox.store
    store.add_property_definition("plan", "Plan", "dropdown", ["Free", "Pro"])
    store.add_property_definition("seats", "Seats", "number")
    store.add_property_definition("signed-up", "Signed up", "date")
    store.add_property_definition("profile", "Profile", "url")
    store.add_property_definition("company-notes", "Notes", "text")
    settings.HELPSCOUT = {**settings.HELPSCOUT, "CUSTOMER_PROPERTIES": PRODUCERS + "plan_and_seats"}
    return helpscout_sandbox


@pytest.fixture
def make_user(db):
    def make(username="ada", email=None, **fields):
        email = f"{username}@example.com" if email is None else email
        return get_user_model().objects.create_user(username=username, email=email, **fields)

    return make


def properties_of(sandbox, customer_id):
    """Property values Help Scout holds for a customer, read back over the API (on the
    sandbox's clock, so a spent budget is waited out on it, not on the wall clock)."""
    from helpscout_integration.client import HelpScoutClient

    with HelpScoutClient.from_settings(**sandbox.client_options()) as client:
        customer = client.customers.get(customer_id)
    return {p["slug"]: p["text"] for p in customer["_embedded"]["properties"]}
