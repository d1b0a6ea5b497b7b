"""Test-only URLs: the demo home page served behind a strict, nonce-based CSP.

Stands in for a host running Django 6's CSP middleware or django-csp: a fresh nonce per
response on `request.csp_nonce`, and a policy that allows no inline script at all.
"""

import secrets

from django.urls import include, path

from helpscout_integration.beacon.csp import beacon_csp_sources
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


def helper_csp_home(request):
    """The same page under a policy built from `beacon_csp_sources()` plus the nonce."""
    request.csp_nonce = secrets.token_urlsafe(16)
    response = views.home(request)
    directives = {
        "default-src": ["'self'"],
        "script-src": [f"'nonce-{request.csp_nonce}'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
    for directive, sources in beacon_csp_sources().items():
        directives.setdefault(directive, ["'self'"]).extend(sources)
    response["Content-Security-Policy"] = "; ".join(
        f"{name} {' '.join(sources)}" for name, sources in directives.items()
    )
    return response


urlpatterns = [
    path("csp/", strict_csp_home, name="csp-home"),
    path("csp-helper/", helper_csp_home, name="csp-helper-home"),
    path("", include(demo_urlpatterns)),
]
