"""The admin honours `view_customer` like the staff API: a staff user who may view
conversations but not customers sees no customer name, email, properties or other
conversations, cannot search or filter by customer, and is told what is hidden and why.

Before this, such a user got a 403 from the staff API for customer emails while the admin
showed them on the list and change pages and searched by them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from helpscout_integration.models import SatisfactionRating

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:helpscout_integration_conversation_changelist"
CHANGE = "admin:helpscout_integration_conversation_change"
CUSTOMER_TRACES = ("cleo@example.com", "Cleo", "Customer 55", ">Pro<", "seats")


@pytest.fixture
def conversations(mirror):
    """Cleo's two conversations: one with a customer thread signed with her name."""
    first = mirror.conversation(
        subject="Invoice question",
        threads=[{"type": "customer", "body": "<p>Hello</p>", "created_by_name": "Cleo Customer",
                  "created_by_email": "cleo@example.com", "customer": mirror.customer}],
        data={"primaryCustomer": {"email": "cleo@example.com", "first": "Cleo"}},
    )  # fmt: skip
    second = mirror.conversation(subject="Older one", offset_minutes=-60)
    return first, second


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def conversations_only(staff_user):
    return _signed_in(staff_user("view_conversation"))


@pytest.fixture
def with_customers(staff_user):
    return _signed_in(staff_user("view_conversation", "view_customer"))


def _page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_no_customer_and_says_why(conversations_only, conversations):
    html = _page(conversations_only, CHANGELIST)

    assert "Invoice question" in html
    assert "cleo@example.com" not in html and "Cleo" not in html
    assert "helpscout_integration.view_customer" in html and 'id="hs-customer-hidden"' in html
    assert "customer email or name" not in html  # the search help no longer promises it


def test_the_list_shows_the_customer_with_the_permission(with_customers, conversations):
    html = _page(with_customers, CHANGELIST)

    assert "cleo@example.com" in html and 'id="hs-customer-hidden"' not in html


@pytest.mark.parametrize("term", ["cleo@example.com", "Cleo", "Customer"])
def test_no_search_by_customer_fields(conversations_only, with_customers, conversations, term):
    hidden = _page(conversations_only, CHANGELIST, q=term)
    assert "Invoice question" not in hidden  # the term matched no subject, and no customer

    shown = _page(with_customers, CHANGELIST, q=term)
    assert "Invoice question" in shown  # the same search finds her with the permission


def test_search_by_subject_and_number_still_works(conversations_only, conversations):
    first, _second = conversations
    assert "Invoice question" in _page(conversations_only, CHANGELIST, q="invoice")
    assert "Invoice question" in _page(conversations_only, CHANGELIST, q=f"#{first.number}")


def test_customer_filters_are_left_out(rf, staff_user):
    from django.contrib import admin

    from helpscout_integration.admin.conversations import ConversationAdmin
    from helpscout_integration.models import Conversation

    model_admin = ConversationAdmin(Conversation, admin.site)
    model_admin.list_filter = (*model_admin.list_filter, "customer", "customer__email")
    request = rf.get("/")

    request.user = staff_user("view_conversation")
    hidden = model_admin.get_list_filter(request)
    request.user = staff_user("view_conversation", "view_customer")
    shown = model_admin.get_list_filter(request)

    assert "customer" not in hidden and "customer__email" not in hidden and "status" in hidden
    assert "customer" in shown and "customer__email" in shown


def test_the_change_page_shows_no_customer_and_says_why(conversations_only, conversations):
    first, second = conversations

    html = _page(conversations_only, CHANGE, first.pk)

    assert "Invoice question" in html and "Hello" in html  # the conversation itself
    for trace in CUSTOMER_TRACES:
        assert trace not in html, trace
    assert "Older one" not in html  # her other conversations
    assert 'id="hs-customer-hidden"' in html and "helpscout_integration.view_customer" in html
    assert "sidebar-preview" not in html


def test_the_change_page_shows_the_customer_with_the_permission(with_customers, conversations):
    first, _second = conversations

    html = _page(with_customers, CHANGE, first.pk)

    assert "cleo@example.com" in html and "Cleo Customer" in html and "Older one" in html
    assert ">Pro<" in html and 'id="hs-customer-hidden"' not in html


def test_the_sidebar_preview_is_refused(conversations_only, conversations):
    first, _second = conversations
    url = reverse("admin:helpscout_integration_conversation_sidebar_preview", args=[first.pk])

    assert conversations_only.get(url).status_code == 403


def test_ratings_list_shows_no_customer(client, staff_user, mirror, conversations):
    first, _second = conversations
    SatisfactionRating.objects.create(
        id=901, conversation=first, customer=mirror.customer, rating="great", comments="ok"
    )
    client.force_login(staff_user("view_satisfactionrating"))

    html = _page(client, "admin:helpscout_integration_satisfactionrating_changelist")
    change = _page(client, "admin:helpscout_integration_satisfactionrating_change", 901)

    assert "Cleo" not in html and "cleo@example.com" not in html
    assert "Cleo" not in change and "cleo@example.com" not in change
    assert "Cleo" not in _page(
        client, "admin:helpscout_integration_satisfactionrating_changelist", q="cleo"
    )


@pytest.fixture
def acme(mirror, conversations):
    from helpscout_integration.models import Customer, Organization

    org = Organization.objects.create(id=700, name="Acme", domains=["acme.test"])
    Customer.objects.filter(pk=mirror.customer.pk).update(organization=org)
    return org


def _organization_viewer(staff_user, *codenames):
    return _signed_in(staff_user("view_conversation", "view_organization", *codenames))


def test_the_organization_page_lists_no_customers_and_says_why(staff_user, acme):
    url = reverse("admin:helpscout_integration_organization_change", args=[acme.pk])

    hidden = _organization_viewer(staff_user).get(url).content.decode()
    shown = _organization_viewer(staff_user, "view_customer").get(url).content.decode()

    assert "Acme" in hidden and "Invoice question" in hidden  # the company, its conversations
    for trace in ("cleo@example.com", "Cleo", "Customer 55", "All customers"):
        assert trace not in hidden, trace
    assert 'id="hs-customer-hidden"' in hidden and "helpscout_integration.view_customer" in hidden
    assert "Cleo Customer" in shown and 'id="hs-customer-hidden"' not in shown


def test_the_sidebar_company_section_names_no_product_user(
    conversations_only, with_customers, conversations, acme, django_user_model
):
    django_user_model.objects.create(username="cleo-in-the-product", email="cleo@example.com")
    first, _second = conversations

    hidden = _page(conversations_only, CHANGE, first.pk)
    shown = _page(with_customers, CHANGE, first.pk)

    assert "cleo-in-the-product" in shown and "Acme" in shown
    assert "cleo-in-the-product" not in hidden and 'id="hs-customer-hidden"' in hidden
