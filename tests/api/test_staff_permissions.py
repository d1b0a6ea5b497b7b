"""The staff API asks for the same model permissions as the admin, not just `is_staff`."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from helpscout_integration.api.permissions import StaffModelPermissions
from helpscout_integration.models import Conversation

LIST = "helpscout:staff-conversation-list"
DETAIL = "helpscout:staff-conversation-detail"


@pytest.fixture
def staff(make_user):
    def make(*codenames, **fields):
        user = make_user(f"staff{len(codenames)}{sorted(fields)}", is_staff=True, **fields)
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return user

    return make


@pytest.fixture
def refund(mirrored):
    return mirrored("ada@example.com", subject="Refund for order 7731")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["list", "detail"])
def test_staff_without_permissions_are_refused_with_the_permission_named(
    refund, staff, api_as, url
):
    path = reverse(LIST) if url == "list" else reverse(DETAIL, args=[refund])

    response = api_as(staff()).get(path)

    assert response.status_code == 403
    assert "helpscout_integration.view_conversation" in response.data["detail"]
    body = response.content.decode()
    assert "7731" not in body and "ada@example.com" not in body


@pytest.mark.django_db
def test_view_conversation_reads_conversations_but_not_customer_emails(refund, staff, api_as):
    api = api_as(staff("view_conversation"))

    listing = api.get(reverse(LIST))
    detail = api.get(reverse(DETAIL, args=[refund]))
    by_email = api.get(reverse(LIST), {"customer_email": "ada@example.com"})

    assert listing.status_code == 200 and [c["id"] for c in listing.data["results"]] == [refund]
    assert "customer_email" not in listing.data["results"][0]
    assert detail.status_code == 200 and "customer_email" not in detail.data
    assert "ada@example.com" not in listing.content.decode() + detail.content.decode()
    assert by_email.status_code == 403
    assert "helpscout_integration.view_customer" in by_email.data["detail"]


@pytest.mark.django_db
def test_view_customer_adds_the_email_field_and_filter(refund, staff, api_as):
    api = api_as(staff("view_conversation", "view_customer"))

    response = api.get(reverse(LIST), {"customer_email": "ADA@example.com"})
    detail = api.get(reverse(DETAIL, args=[refund]))

    assert [c["customer_email"] for c in response.data["results"]] == ["ada@example.com"]
    assert detail.data["customer_email"] == "ada@example.com"


@pytest.mark.django_db
def test_superusers_read_everything(refund, make_user, api_as):
    admin = make_user("root", is_staff=True, is_superuser=True)
    response = api_as(admin).get(reverse(DETAIL, args=[refund]))
    assert response.status_code == 200 and response.data["customer_email"] == "ada@example.com"


@pytest.mark.django_db
def test_permissions_without_is_staff_are_not_enough(refund, make_user, api_as):
    user = make_user("clerk")
    user.user_permissions.add(*Permission.objects.filter(codename="view_conversation"))
    assert api_as(user).get(reverse(LIST)).status_code == 403


@pytest.mark.django_db
def test_writes_to_the_read_api_need_more_than_view(refund, staff, api_as):
    response = api_as(staff("view_conversation")).post(reverse(LIST), {"subject": "x"})
    assert response.status_code == 403
    assert "helpscout_integration.change_conversation" in response.data["detail"]


class _ReplyViewSet(viewsets.GenericViewSet):
    """A staff write endpoint as the API would declare one (the admin's action codename)."""

    permission_classes = [StaffModelPermissions]
    queryset = Conversation.objects.all()
    write_permissions = {"reply": "reply_conversation"}

    def reply(self, request):
        return Response({"sent": True})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("codenames", "status"),
    [((), 403), (("view_conversation",), 403), (("view_conversation", "reply_conversation"), 200)],
)
def test_staff_writes_need_the_admins_action_permission(staff, codenames, status):
    view = _ReplyViewSet.as_view({"post": "reply"})
    request = APIRequestFactory().post("/reply/", {"text": "hi"})
    force_authenticate(request, staff(*codenames))

    response = view(request)

    assert response.status_code == status
    if status == 403 and codenames:
        assert "helpscout_integration.reply_conversation" in response.data["detail"]


@pytest.mark.django_db
def test_a_customer_threads_author_name_needs_view_customer(helpscout_sandbox, mirrored, staff):
    from helpscout_integration.api.serializers import StaffThreadSerializer
    from helpscout_integration.models import Thread

    helpscout_sandbox.create_customer("bo@example.com", first_name="Bo", last_name="Lee")
    conversation = mirrored("bo@example.com")
    threads = Thread.objects.filter(conversation_id=conversation, created_by_type="customer")
    assert threads.filter(created_by_name__contains="Bo").exists()  # named in the mirror

    def names_seen_by(user):
        request = APIRequestFactory().get("/")
        request.user = user
        data = StaffThreadSerializer(threads, many=True, context={"request": request}).data
        return [thread["created_by_name"] for thread in data]

    assert set(names_seen_by(staff("view_conversation"))) == {""}
    assert "" not in names_seen_by(staff("view_conversation", "view_customer"))
