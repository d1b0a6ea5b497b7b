"""Routes of the DRF API, included under `api/` by the app's urls (root: `helpscout:api-root`)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import BeaconIdentityView, MyConversationViewSet, StaffConversationViewSet

router = DefaultRouter()
router.register("conversations", StaffConversationViewSet, basename="staff-conversation")
router.register("me/conversations", MyConversationViewSet, basename="my-conversation")

urlpatterns = [
    path("me/beacon-identity/", BeaconIdentityView.as_view(), name="my-beacon-identity"),
    *router.urls,
]
