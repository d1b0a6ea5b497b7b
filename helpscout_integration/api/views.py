"""DRF views: the end user's own conversations (`me/conversations/`) and a staff read API.

Authentication is the host's DRF default (session, token...); every end-user query starts
from `ownership.conversations_for(request.user)`, so another customer's conversation is a
404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from ..beacon.config import identity_or_refusal
from ..downloads import find_attachment, stream_attachment
from ..emails import UnsafeAddress, email_keys
from ..exceptions import ConfigurationError, HelpScoutError, NotFoundError
from ..models import Conversation, Customer
from . import serializers
from .conversations import open_conversation, reply_as_customer
from .ownership import conversations_for, public_threads
from .permissions import StaffModelPermissions, can_view, require_view
from .throttles import HelpScoutReadThrottle, HelpScoutWriteThrottle


class ConversationPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class HelpScoutUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Support is unreachable right now; please try again in a moment."
    default_code = "helpscout_unavailable"


class MyConversationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's support conversations; POST opens one, `reply/` answers one."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = ConversationPagination

    def get_queryset(self):
        return conversations_for(self.request.user)

    def get_throttles(self):
        if self.request.method in permissions.SAFE_METHODS:
            return [HelpScoutReadThrottle()]
        return [HelpScoutWriteThrottle()]

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.OpenConversationSerializer
        if self.action == "reply":
            return serializers.ReplySerializer
        if self.action == "retrieve":
            return serializers.MyConversationDetailSerializer
        return serializers.MyConversationSerializer

    def _detail(self, conversation_id: int, status_code: int) -> Response:
        conversation = self.get_queryset().filter(pk=conversation_id).first()
        if conversation is None:  # created in Help Scout, not mirrored yet
            return Response({"id": conversation_id}, status=status_code)
        data = serializers.MyConversationDetailSerializer(conversation).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            conversation_id = open_conversation(
                request.user,
                form.validated_data["subject"],
                form.validated_data["text"],
                attachments=form.validated_data["attachments"],
            )
        except UnsafeAddress as exc:  # the identity rule refused: nothing reached Help Scout
            return Response({"detail": str(exc), "code": exc.refusal.code}, status=400)
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        except (HelpScoutError, ConfigurationError):
            raise HelpScoutUnavailable() from None
        return self._detail(conversation_id, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        conversation = self.get_object()  # 404 unless it is the user's own
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            reply_as_customer(
                request.user,
                conversation,
                form.validated_data["text"],
                attachments=form.validated_data["attachments"],
            )
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        except (HelpScoutError, ConfigurationError):
            raise HelpScoutUnavailable() from None
        return self._detail(conversation.pk, status.HTTP_201_CREATED)

    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment",
    )
    def attachment(self, request, pk=None, attachment_id=None):
        """The user's own conversation's file, streamed from Help Scout (`downloads`).

        Only files on threads the user may see (no notes) and whose scan said valid."""
        conversation = self.get_object()  # 404 unless it is the user's own
        threads = public_threads().filter(conversation=conversation).only("id", "attachments")
        found = find_attachment(threads, int(attachment_id or 0))
        if found is None or not found[0].is_valid:
            raise NotFound("No such attachment.")
        try:
            return stream_attachment(conversation.pk, found[0])
        except NotFoundError:
            raise NotFound("No such attachment.") from None
        except (HelpScoutError, ConfigurationError):
            raise HelpScoutUnavailable() from None


class StaffConversationViewSet(viewsets.ReadOnlyModelViewSet):
    """Mirrored conversations for staff (`?status=`, `?mailbox=`, `?customer_email=`).

    Needs `view_conversation`, like the admin; the customer's email (field and filter)
    needs `view_customer` too.
    """

    permission_classes = [StaffModelPermissions]
    permission_model = Conversation
    pagination_class = ConversationPagination

    def get_serializer_class(self):
        if can_view(self.request.user, Customer):
            return serializers.StaffConversationSerializer
        return serializers.StaffConversationWithoutCustomerSerializer

    def get_queryset(self):
        rows = Conversation.objects.filter(is_deleted=False).select_related("mailbox", "customer")
        params = self.request.query_params
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        if params.get("mailbox", "").isdigit():
            rows = rows.filter(mailbox_id=int(params["mailbox"]))
        if params.get("customer_email"):
            require_view(self.request.user, Customer, "customers (the customer_email filter)")
            keys = email_keys([params["customer_email"]])
            rows = rows.filter(customer__email__in=keys)
        return rows.order_by("-updated_at", "-id")


class BeaconIdentityView(APIView):
    """The signed Beacon identity of the signed-in user, for mobile apps' Beacon SDKs.

    Answers the same `identify` payload the web tag renders (via `signed_identity`), so
    a native app can identify the user in secure mode without ever holding the secret.
    400 naming the reason when the identity rule refuses the user's address (`emails`).
    """

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [HelpScoutReadThrottle]

    def get(self, request):
        identity, refused = identity_or_refusal(request)
        if refused is not None:
            detail = str(UnsafeAddress(refused))
            return Response({"detail": detail, "code": refused.code}, status=400)
        if identity is None:
            return Response({"detail": "No Beacon identity for this user."}, status=404)
        return Response(identity)
