"""URLs of the demo host project: the admin plus the app's include, as a product would do."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("helpscout/", include("helpscout_integration.urls")),
]
