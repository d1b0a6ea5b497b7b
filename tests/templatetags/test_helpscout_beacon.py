"""`{% helpscout_beacon %}` as a page renders it: shape, escaping, CSP nonce, cost."""

import hashlib
import hmac
import json
import re

import pytest
import respx
from django.template import Context, Template

from tests.beacon.conftest import BEACON_ID, SECRET, User
from tests.beacon.rules import rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beacon_settings")]

HOSTILE_NAME = "</script><script>alert(1)</script>"
HOSTILE_EMAIL = '"o\'hara"</script>@example.com'


def render(request, args="", **context):
    template = Template("{% load helpscout %}{% helpscout_beacon " + args + " %}")
    return template.render(Context({"request": request, **context}))


def config_of(html):
    match = re.search(
        r'<script id="helpscout-beacon-config" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert match, html
    return json.loads(match.group(1))


def test_renders_the_config_element_and_a_static_deferred_loader(make_request):
    html = render(make_request("/", User()))
    config = config_of(html)
    assert set(config) == {"beaconId", "scriptUrl", "identify", "prefill", "suggest"}
    assert config["scriptUrl"] == "https://beacon-v2.helpscout.net"
    assert config["beaconId"] == BEACON_ID
    assert '<script src="/static/helpscout_integration/beacon.js" defer></script>' in html
    assert html.count("<script") == 2  # the JSON element and the loader; nothing inline


def test_renders_nothing_without_beacon_id(settings, make_request):
    settings.HELPSCOUT = {"BEACON_SECRET_KEY": SECRET}
    assert render(make_request("/", User())) == ""


def test_the_secret_key_never_appears_in_the_page(make_request):
    html = render(make_request("/", User()))
    assert SECRET not in html
    expected = hmac.new(SECRET.encode(), b"ada@example.com", hashlib.sha256).hexdigest()
    assert config_of(html)["identify"]["signature"] == expected


def test_hostile_name_and_quoted_email_cannot_break_out_of_the_json(make_request):
    user = User(first=HOSTILE_NAME, last="", email=HOSTILE_EMAIL)
    html = render(make_request("/", user), 'prefill_subject="</script><b>x"')
    assert "alert(1)</script>" not in html
    assert "<b>" not in html
    assert html.count("</script>") == 2
    config = config_of(html)
    assert config["identify"]["name"] == HOSTILE_NAME
    assert config["identify"]["email"] == HOSTILE_EMAIL
    assert config["prefill"]["subject"] == "</script><b>x"


def test_tag_arguments_reach_the_config(make_request):
    html = render(
        make_request("/billing/", User()),
        'suggest="art1,art2" prefill_subject="Refund" prefill_text=text',
        text="Charged twice",
    )
    config = config_of(html)
    assert config["suggest"] == ["art1", "art2"]
    assert config["prefill"]["subject"] == "Refund"
    assert config["prefill"]["text"] == "Charged twice"


def test_django_csp_nonce_from_the_request_is_set_on_the_loader(make_request):
    request = make_request("/")
    request.csp_nonce = "n0nc3-django-csp"
    assert 'defer nonce="n0nc3-django-csp"></script>' in render(request)


def test_django_6_nonce_from_context_or_request_is_set_on_the_loader(make_request):
    request = make_request("/")
    assert 'nonce="ctx-nonce"' in render(request, csp_nonce="ctx-nonce")
    request._csp_nonce = "req-nonce"
    assert 'nonce="req-nonce"' in render(request)


def test_no_nonce_attribute_without_a_nonce(make_request):
    assert "nonce" not in render(make_request("/"))


@respx.mock(assert_all_mocked=True)
def test_warm_render_runs_no_query_and_no_http(make_request, django_assert_num_queries):
    rule("/billing/*", "a_billing", search_query="refund")
    request = make_request("/billing/invoices/", User())
    render(request)  # warms the rule cache (the search cache stays cold: no HTTP here)
    with django_assert_num_queries(0):
        html = render(request)
    assert config_of(html)["suggest"] == ["a_billing"]
    assert not respx.calls  # no route is defined: any request would have failed the test


def test_anonymous_visitor_renders_identify_null(make_request):
    config = config_of(render(make_request("/")))
    assert config["identify"] is None and config["prefill"] is None
