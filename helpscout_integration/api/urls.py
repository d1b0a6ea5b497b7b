"""Routes of the DRF API, included under `api/` by the app's urls (root: `helpscout:api-root`)."""

from rest_framework.routers import DefaultRouter

from .views import MyConversationViewSet, StaffConversationViewSet

router = DefaultRouter()
router.register("conversations", StaffConversationViewSet, basename="staff-conversation")
router.register("me/conversations", MyConversationViewSet, basename="my-conversation")

urlpatterns = router.urls
