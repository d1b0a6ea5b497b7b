"""URLconf of the webhook benchmark: the app's URLs and the bare view it is compared to."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

BARE_TABLE = "bench_bare_webhook"


@csrf_exempt
def bare_insert(request):
    """The floor: read the body, one INSERT, 200. No signature, no parsing, no queue."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (body) VALUES (%s)", [request.body])
    return HttpResponse(status=200)


urlpatterns = [
    path("bare/", bare_insert),
    path("helpscout/", include("helpscout_integration.urls")),
]
