"""Sidebar preview: the admin shows what Help Scout's App platform would render."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = "admin:helpscout_integration_conversation_sidebar_preview"
SECRET = "preview-secret"


@pytest.fixture
def platform(settings):
    settings.HELPSCOUT = {"APP_PLATFORM_SECRET": SECRET}


def frames(page: str) -> list[str]:
    return [htmllib.unescape(m) for m in re.findall(r'srcdoc="([^"]*)"', page)]


def test_preview_renders_the_sidebar_and_side_panel_of_the_product(admin_client, mirror, platform):
    cleo = get_user_model().objects.create_user("cleo", "CLEO@example.com", first_name="Cleo")
    conversation = mirror.conversation(subject="Refund please")

    response = admin_client.get(reverse(URL, args=[conversation.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'sandbox=""' in page  # no scripts, no same origin in the preview
    sidebar, panel = frames(page)
    assert f"Product account #{cleo.pk}" in sidebar
    assert "Refund please" in panel
    assert SECRET not in page and "X-HelpScout-Signature" not in page


def test_preview_escapes_product_values_twice_over(admin_client, mirror, platform):
    get_user_model().objects.create_user("cleo", "cleo@example.com", first_name='"><script>x')
    conversation = mirror.conversation()
    page = admin_client.get(reverse(URL, args=[conversation.pk])).content.decode()
    assert "<script>x" not in page
    assert "<script>x" not in "".join(frames(page))


def test_preview_says_when_the_app_platform_is_off(admin_client, mirror, settings):
    settings.HELPSCOUT = {}
    conversation = mirror.conversation()
    page = admin_client.get(reverse(URL, args=[conversation.pk])).content.decode()
    assert 'id="hs-app-off"' in page and "srcdoc" not in page


def test_preview_needs_view_permission_on_conversations(client, staff_user, mirror, platform):
    conversation = mirror.conversation()
    client.force_login(staff_user("view_syncstate"))
    assert client.get(reverse(URL, args=[conversation.pk])).status_code == 403
    client.force_login(staff_user("view_conversation"))  # the sidebar shows the customer
    assert client.get(reverse(URL, args=[conversation.pk])).status_code == 403
    client.force_login(staff_user("view_conversation", "view_customer"))
    assert client.get(reverse(URL, args=[conversation.pk])).status_code == 200


def test_preview_of_an_unknown_conversation_is_404(admin_client, platform, db):
    assert admin_client.get(reverse(URL, args=[424242])).status_code == 404


def test_conversation_page_and_overview_link_the_preview(admin_client, mirror, platform):
    conversation = mirror.conversation()
    preview = reverse(URL, args=[conversation.pk])
    change = admin_client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[conversation.pk])
    )
    assert preview in change.content.decode()
    overview = admin_client.get(reverse("admin:helpscout_integration_overview"))
    assert preview in overview.content.decode()
