"""The conversation timeline: sanitised HTML, distinct thread kinds, attachments, sidebar."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from helpscout_integration.admin.timeline import sanitize_thread_html

HOSTILE = (
    "<p>Hello <b>there</b></p>"
    '<script>alert("x")</script>'
    '<img src="https://example.com/a.png" onerror="alert(1)">'
    '<a href="javascript:alert(2)">click</a>'
    '<a href="https://example.com/ok" onclick="steal()">fine link</a>'
    '<iframe src="https://evil.example"></iframe>'
    "<style>body{display:none}</style>"
)


def test_sanitiser_removes_scripts_handlers_and_javascript_urls():
    html = str(sanitize_thread_html(HOSTILE))
    assert "<script" not in html and 'alert("x")' not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "<style" not in html and "display:none" not in html
    # What a support mail needs survives.
    assert "<b>there</b>" in html
    assert 'src="https://example.com/a.png"' not in html  # a remote image: see below
    # The user's own link, not the blocked-image link, carries the rel (its own one,
    # had it any, replaced).
    assert '<a href="https://example.com/ok" rel="noopener noreferrer nofollow">fine link</a>' in (
        html
    )


def test_every_link_in_a_body_opens_without_opener_referrer_or_endorsement():
    html = str(
        sanitize_thread_html(
            '<p><a href="https://shop.example/order/1">order</a> '
            '<a href="mailto:help@example.com" rel="opener">mail us</a></p>'
        )
    )
    assert html == (
        '<p><a href="https://shop.example/order/1" rel="noopener noreferrer nofollow">order</a> '
        '<a href="mailto:help@example.com" rel="noopener noreferrer nofollow">mail us</a></p>'
    )


TRACKER = '<p>Hi<img src="https://track.example/open.gif?u=ada&amp;m=1" alt="logo"></p>'


def test_remote_images_become_a_link_instead_of_loading():
    html = str(sanitize_thread_html(TRACKER))

    assert "<img" not in html
    assert (
        '<a class="hs-remote-image" href="https://track.example/open.gif?u=ada&amp;m=1" '
        'title="logo" target="_blank" rel="noopener noreferrer nofollow">'
        "remote image blocked, show</a>"
    ) in html


def test_help_scout_attachment_images_still_load():
    inline = '<img src="https://secure.helpscout.net/file/98848150/18c19af0/shot.png">'
    html = str(sanitize_thread_html(inline))
    assert html.startswith('<img src="https://secure.helpscout.net/file/98848150/')


def test_the_threads_own_attachment_urls_load():
    html = str(
        sanitize_thread_html(
            '<img src="https://files.example/1">', attachment_urls=["https://files.example/1"]
        )
    )
    assert "<img" in html


@pytest.mark.parametrize(
    "src", ["/admin/logout/", "//track.example/x.gif", "https://secure.helpscout.net.evil/x"]
)
def test_relative_and_look_alike_sources_are_blocked(src):
    html = str(sanitize_thread_html(f'<img src="{src}">'))
    assert "<img" not in html and "hs-remote-image" in html


@pytest.mark.parametrize(
    ("setting", "loads"),
    [(True, True), (["track.example"], True), (["*.example"], True), (["other.example"], False)],
)
def test_admin_remote_images_allows_them(settings, setting, loads):
    settings.HELPSCOUT = {"ADMIN_REMOTE_IMAGES": setting}
    assert ("<img" in str(sanitize_thread_html(TRACKER))) is loads


@pytest.mark.parametrize("src", ["/admin/logout/", "//track.example/x.gif", "x.gif"])
def test_relative_sources_never_load_even_when_all_remote_images_may(settings, src):
    """`ADMIN_REMOTE_IMAGES=True` lets remote http(s) images load; a relative source would
    load from the admin's own site (a GET to /admin/logout/ as the page opens) and a
    protocol-relative one carries no scheme to check, so neither ever loads."""
    settings.HELPSCOUT = {"ADMIN_REMOTE_IMAGES": True}
    html = str(sanitize_thread_html(f'<p>Hi<img src="{src}"></p>'))
    assert html == '<p>Hi<span class="hs-remote-image">image removed</span></p>'


def test_sanitiser_handles_empty_and_plain_text():
    assert str(sanitize_thread_html("")) == ""
    assert str(sanitize_thread_html("a < b & c")) == "a &lt; b &amp; c"


@pytest.mark.django_db
def test_change_page_shows_a_readable_timeline(admin_client, mirror):
    conv = mirror.conversation(
        threads=[
            {"type": "customer", "body": HOSTILE, "created_by_name": "Cleo Customer",
             "attachments": [{"id": 1, "filename": "invoice.pdf", "mimeType": "application/pdf",
                              "size": 20480, "_links": {"web": {"href": "https://files.example/1"}}}]},
            {"type": "lineitem", "action_text": "Ada assigned to Ada", "body": ""},
            {"type": "message", "body": "<p>We refunded you.</p>", "created_by_name": "Ada Agent"},
            {"type": "note", "body": "<p>Checked Stripe <img src=x onerror=alert(9)></p>",
             "created_by_name": "Ada Agent"},
        ]
    )  # fmt: skip
    page = admin_client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[conv.pk])
    ).content.decode()
    start = page.index('class="hs-timeline"')
    timeline = page[start : page.index("</ol>", start)]
    for kind in ("hs-customer", "hs-reply", "hs-note", "hs-lineitem"):
        assert f'class="{kind}"' in timeline
    # Oldest first, in the order they happened.
    assert timeline.index("Hello") < timeline.index("assigned") < timeline.index("refunded")
    assert timeline.index("refunded") < timeline.index("Checked Stripe")
    assert "<script" not in timeline and "onerror" not in timeline and "javascript:" not in timeline
    # Downloaded through the product, never from Help Scout's (deprecated) web file URL.
    download = reverse("admin:helpscout_integration_conversation_attachment", args=[conv.pk, 1])
    assert f'href="{download}"' in timeline and "invoice.pdf" in timeline
    assert "https://files.example/1" not in timeline
    assert "20.0\xa0KB" in timeline


@pytest.mark.django_db
@override_settings(HELPSCOUT={"WEB_APP_URL": "https://secure.helpscout.net"})
def test_sidebar_shows_customer_other_conversations_and_web_app_link(admin_client, mirror):
    conv = mirror.conversation(subject="Current one")
    older = mirror.conversation(subject="An older question", offset_minutes=-60)
    page = admin_client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[conv.pk])
    ).content.decode()
    sidebar = page[page.index('class="hs-sidebar"') :]
    assert "cleo@example.com" in sidebar
    assert "An older question" in sidebar
    assert reverse("admin:helpscout_integration_conversation_change", args=[older.pk]) in sidebar
    assert "plan" in sidebar and "Pro" in sidebar  # customer properties
    assert f"https://secure.helpscout.net/conversation/{conv.pk}/{conv.number}" in page


@pytest.mark.django_db
def test_the_change_page_blocks_remote_images_but_shows_attachments(admin_client, mirror):
    shot = "https://files.example/shot.png"
    conv = mirror.conversation(
        threads=[
            {"type": "customer", "body": TRACKER + f'<img src="{shot}">',
             "attachments": [{"id": 2, "filename": "shot.png", "mimeType": "image/png",
                              "_links": {"web": {"href": shot}}}]},
        ]
    )  # fmt: skip
    page = admin_client.get(
        reverse("admin:helpscout_integration_conversation_change", args=[conv.pk])
    ).content.decode()

    assert '<img src="https://track.example' not in page
    assert "remote image blocked, show" in page
    assert f'<img src="{shot}">' in page


@pytest.mark.django_db
def test_a_line_item_without_text_still_says_what_happened(mirror):
    from helpscout_integration.admin.timeline import build_timeline

    conv = mirror.conversation(
        threads=[
            {"type": "lineitem", "action_text": "", "body": "", "status": "closed"},
            {"type": "lineitem", "action_text": "<b>Ana</b> marked as Closed", "body": ""},
            {"type": "lineitem", "action_text": "", "body": "", "status": "nochange"},
        ]
    )
    texts = [str(e.html) for e in build_timeline(conv.threads.all())]
    assert texts == [
        "Status changed to closed",
        "&lt;b&gt;Ana&lt;/b&gt; marked as Closed",  # Help Scout's text is escaped, not HTML
        "Event",
    ]
