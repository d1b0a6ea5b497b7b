"""The dynamic app endpoint: Help Scout's signed sidebar request in, `{"html": ...}` out.

Verifies `X-HelpScout-Signature` (base64 HMAC-SHA1 of the raw body, keyed with
`DYNAMIC_APP_SECRET`) before reading anything; unsigned or wrongly signed requests get
401 and no user data. Renders `helpscout_integration/dynamic_app/sidebar.html` (or
`no_account.html`), which host products override; Django's autoescaping keeps product
values from becoming HTML. Never calls Help Scout.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ..conf import get_settings
from ..webhooks.signature import verify_signature
from ..webhooks.strict_json import loads_strict
from .context import sidebar_context
from .request import parse_sidebar_request

SIDEBAR_TEMPLATE = "helpscout_integration/dynamic_app/sidebar.html"
NO_ACCOUNT_TEMPLATE = "helpscout_integration/dynamic_app/no_account.html"


@method_decorator(csrf_exempt, name="dispatch")  # signed by Help Scout, not by a browser
class DynamicAppView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        conf = get_settings()
        if not conf.DYNAMIC_APP_SECRET:
            return HttpResponse("The dynamic app is not configured.", status=404)
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > conf.WEBHOOK_MAX_BODY_BYTES:
            return HttpResponse(status=413)
        body = request.body
        signature = request.headers.get("X-HelpScout-Signature")
        if not verify_signature(body, signature, conf.DYNAMIC_APP_SECRET):
            return HttpResponse("Invalid signature.", status=401)
        try:
            # Strict: a signed body nested 1,000 deep is a 400, not a RecursionError.
            sidebar = parse_sidebar_request(loads_strict(body))
        except ValueError:
            return HttpResponse("Malformed request.", status=400)
        context = sidebar_context(sidebar)
        template = SIDEBAR_TEMPLATE if context["user"] is not None else NO_ACCOUNT_TEMPLATE
        html = render_to_string(template, context, request=None)
        return JsonResponse({"html": html.strip()})
