"""Pushing one user's properties to the sandbox: found or created by email, read back."""

import json

import httpx
import pytest
import respx

from helpscout_integration.customer_properties import push_customer_properties, push_properties_now
from helpscout_integration.models import Customer
from helpscout_integration.tasks_compat import IMMEDIATE_BACKEND

from .conftest import PRODUCERS, properties_of


@pytest.mark.django_db
def test_properties_are_pushed_to_a_new_customer_and_read_back(properties_sandbox, make_user):
    user = make_user("ada", first_name="Ada", last_name="Lovelace", is_staff=True)

    result = push_properties_now(user)

    assert result.ok and result.customer_created
    assert properties_of(properties_sandbox, result.customer_id) == {
        "plan": "Pro",
        "seats": "3",
        "signed-up": "2024-05-01",
        "profile": f"https://product.example/users/{user.pk}",
        "company-notes": "Ada <b>likes</b> & trusts us",
    }
    customer = properties_sandbox.store.customer(result.customer_id)
    assert customer.first_name == "Ada"


@pytest.mark.django_db
def test_an_existing_customer_is_found_by_email_and_not_duplicated(properties_sandbox, make_user):
    existing = properties_sandbox.create_customer(email="bob@example.com", first_name="Bob")
    user = make_user("bob")

    result = push_properties_now(user)

    assert result.customer_id == existing["id"] and not result.customer_created
    assert len(properties_sandbox.store.customers) == 1
    assert properties_of(properties_sandbox, existing["id"])["plan"] == "Free"


@pytest.mark.django_db
def test_the_queued_task_pushes_on_the_configured_backend(properties_sandbox, make_user):
    user = make_user("cy")

    handle = push_customer_properties(user)  # ImmediateBackend in tests: runs inline

    assert handle.return_value["customer_id"]
    assert properties_of(properties_sandbox, handle.return_value["customer_id"])["seats"] == "3"


@pytest.mark.django_db
def test_the_mirrored_customer_keeps_the_pushed_values(properties_sandbox, make_user):
    existing = properties_sandbox.create_customer(email="dee@example.com")
    Customer.objects.create(id=existing["id"], email="dee@example.com", properties={"old": "x"})

    push_properties_now(make_user("dee"))

    properties = Customer.objects.get(id=existing["id"]).properties
    assert properties["seats"] == 3 and properties["old"] == "x"


@pytest.mark.django_db
def test_invalid_values_are_reported_for_that_user_and_the_rest_still_pushed(
    properties_sandbox, settings, make_user
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "CUSTOMER_PROPERTIES": PRODUCERS + "with_bad_seats"}
    good, bad = make_user("good"), make_user("eve-bad")

    good_result, bad_result = push_properties_now(good), push_properties_now(bad)

    assert good_result.ok
    assert not bad_result.ok and not bad_result.error
    assert set(bad_result.invalid) == {"seats", "plan"}
    assert "seats" in bad_result.summary()
    values = properties_of(properties_sandbox, bad_result.customer_id)
    assert "seats" not in values and "plan" not in values
    assert values["signed-up"] == "2024-05-01"


@pytest.mark.django_db
def test_a_failing_callable_or_missing_email_is_a_result_not_a_crash(
    properties_sandbox, settings, make_user
):
    assert push_properties_now(make_user("noemail", email="")).error
    settings.HELPSCOUT = {**settings.HELPSCOUT, "CUSTOMER_PROPERTIES": PRODUCERS + "broken"}
    result = push_properties_now(make_user("frank"))
    assert "RuntimeError" in result.error
    assert "database is down" not in result.error  # host errors stay in the log
    assert properties_sandbox.store.customers == {}


@pytest.mark.django_db
def test_help_scout_errors_become_the_result(properties_sandbox, make_user):
    properties_sandbox.faults.fail_next(1, status=403)
    result = push_properties_now(make_user("gil"))
    assert result.error and not result.ok


@pytest.mark.django_db
def test_unknown_slugs_are_reported_and_not_created_by_default(
    properties_sandbox, settings, make_user
):
    settings.HELPSCOUT = {**settings.HELPSCOUT, "CUSTOMER_PROPERTIES": PRODUCERS + "unknown_slug"}
    result = push_properties_now(make_user("hal"))
    assert sorted(result.unknown) == ["favourite-colour", "logins"]
    assert result.created_definitions == []
    assert not any(
        p.endswith("/customer-properties") and m == "POST"
        for m, p, _ in properties_sandbox.request_log
    )
    assert properties_of(properties_sandbox, result.customer_id) == {"plan": "Free"}


@pytest.mark.django_db
def test_missing_definitions_are_created_when_configured(settings, make_user):
    """Help Scout's `POST /customer-properties` (the sandbox does not emulate it)."""
    base = "https://hs.test/v2"
    settings.HELPSCOUT = {
        "APP_ID": "a",
        "APP_SECRET": "b",
        "API_BASE_URL": base,
        "CUSTOMER_PROPERTIES": PRODUCERS + "unknown_slug",
        "CREATE_MISSING_PROPERTIES": True,
    }
    created = {}
    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{base}/oauth2/token").respond(
            json={"access_token": "t", "token_type": "bearer", "expires_in": 7200}
        )
        mock.get(f"{base}/customer-properties").respond(
            json={
                "_embedded": {
                    "customer-properties": [
                        {
                            "type": "dropdown",
                            "slug": "plan",
                            "name": "Plan",
                            "options": [{"id": "o1", "label": "Free"}],
                        }
                    ]
                },
                "page": {"size": 50, "totalElements": 1, "totalPages": 1, "number": 1},
            }
        )

        def create_definition(request):
            body = json.loads(request.content)
            created[body["slug"]] = body
            return httpx.Response(201, headers={"Resource-ID": "1"})

        mock.post(f"{base}/customer-properties").mock(side_effect=create_definition)
        mock.get(f"{base}/customers").respond(
            json={
                "_embedded": {"customers": [{"id": 77}]},
                "page": {"size": 50, "totalElements": 1, "totalPages": 1, "number": 1},
            }
        )
        patch = mock.patch(f"{base}/customers/77/properties").respond(204)

        result = push_properties_now(make_user("ivy"))

    assert created == {
        "favourite-colour": {
            "type": "text",
            "slug": "favourite-colour",
            "name": "Favourite colour",
        },
        "logins": {"type": "number", "slug": "logins", "name": "Logins"},
    }
    assert result.ok and sorted(result.created_definitions) == ["favourite-colour", "logins"]
    sent = json.loads(patch.calls.last.request.content)
    assert {"op": "replace", "path": "/logins", "value": 12} in sent
    assert {"op": "replace", "path": "/plan", "value": "o1"} in sent


@pytest.mark.django_db(transaction=True)
def test_with_a_queue_the_push_waits_for_a_worker(settings, make_user):
    """On a real backend nothing is sent in the request: a task row holds the user's pk."""
    settings.TASKS = {
        "default": {"BACKEND": IMMEDIATE_BACKEND},
        "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    settings.HELPSCOUT = {"TASK_BACKEND": "queue", "CUSTOMER_PROPERTIES": PRODUCERS + "broken"}
    user = make_user("queued")

    handle = push_customer_properties(user)

    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.get(id=handle.id)
    assert row.args_kwargs["args"] == [user.pk]
    assert row.task_path.endswith("push_customer_properties_task")
