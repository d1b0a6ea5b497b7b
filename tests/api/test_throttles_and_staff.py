"""Per-user throttles on the end-user API, and the small staff read API."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from helpscout_integration.api.throttles import DEFAULT_RATES, HelpScoutReadThrottle

LIST = "helpscout:my-conversation-list"


@pytest.mark.django_db
def test_reads_are_throttled_per_user_with_429(make_user, api_as, settings):
    settings.REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": {"helpscout_read": "3/min"}}
    ada, bob = api_as(make_user("ada")), api_as(make_user("bob"))

    statuses = [ada.get(reverse(LIST)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert bob.get(reverse(LIST)).status_code == 200  # one user's burst is not everyone's


@pytest.mark.django_db
def test_writes_have_their_own_tighter_budget(make_user, api_as, settings):
    settings.REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": {"helpscout_write": "2/min"}}
    ada = api_as(make_user("ada"))

    # Invalid bodies never reach Help Scout but still count against the budget.
    statuses = [ada.post(reverse(LIST), {}).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]
    assert "Retry-After" in ada.post(reverse(LIST), {}).headers


def test_default_rates_need_no_host_configuration(settings):
    settings.REST_FRAMEWORK = {}
    assert HelpScoutReadThrottle().get_rate() == DEFAULT_RATES["helpscout_read"]


@pytest.mark.django_db
def test_the_staff_api_is_for_staff_only(mirrored, make_user, api_as):
    conversation_id = mirrored("ada@example.com", subject="Refund")
    staff_user = make_user("staff", is_staff=True)
    staff_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_conversation", "view_customer"])
    )
    staff = api_as(staff_user)

    assert (
        api_as(make_user("ada")).get(reverse("helpscout:staff-conversation-list")).status_code
        == 403
    )
    response = staff.get(
        reverse("helpscout:staff-conversation-list"), {"customer_email": "ADA@example.com"}
    )
    assert [c["id"] for c in response.data["results"]] == [conversation_id]
    assert response.data["results"][0]["customer_email"] == "ada@example.com"
    assert (
        staff.get(reverse("helpscout:staff-conversation-list"), {"status": "closed"}).data["count"]
        == 0
    )


@pytest.mark.django_db
def test_the_api_root_lists_the_endpoints(make_user, api_as):
    response = api_as(make_user("staff", is_staff=True)).get(reverse("helpscout:api-root"))
    assert response.status_code == 200
    assert set(response.data) == {"conversations", "me/conversations"}
