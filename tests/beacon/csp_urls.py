"""Test-only URLs: the demo home page served behind a strict, nonce-based CSP.

Stands in for a host running Django 6's CSP middleware or django-csp: a fresh nonce per
response on `request.csp_nonce`, and a policy that allows no inline script at all.
"""

import secrets

from django.urls import include, path

from project import views
from project.urls import urlpatterns as demo_urlpatterns

POLICY = (
    "default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'"
)


def strict_csp_home(request):
    request.csp_nonce = secrets.token_urlsafe(16)
    response = views.home(request)
    response["Content-Security-Policy"] = POLICY.format(nonce=request.csp_nonce)
    return response


urlpatterns = [
    path("csp/", strict_csp_home, name="csp-home"),
    path("", include(demo_urlpatterns)),
]
