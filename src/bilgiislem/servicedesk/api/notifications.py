"""API of the person's notices: list them (newest first) and mark one or all read.

Only the person's own notices exist for them: another person's answers 404. Marking read is
the person's own view state (no audit event)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Notification
from ..services.notify import notification_mark_read, notifications_of


class NotificationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    ticket = serializers.IntegerField(source="ticket_id", read_only=True, allow_null=True)
    ticket_number = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "text", "ticket", "ticket_number", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_ticket_number(self, obj) -> str | None:
        return obj.ticket.number_label if obj.ticket_id else None

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


class ReadAllResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary="My notifications, newest first",
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="true: only the unread ones")
        ],
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The person's in-app notices about support requests (bildirimler)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return Notification.objects.none()
        rows = notifications_of(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(summary="Mark one of my notifications read", request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = get_object_or_404(notifications_of(request.user), pk=pk)
        notification_mark_read(actor=request.user, notification_ids=[notice.pk])
        notice.refresh_from_db()
        return Response(NotificationSerializer(notice).data)

    @extend_schema(
        summary="Mark all my notifications read", request=None, responses=ReadAllResultSerializer
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notification_mark_read(actor=request.user)})
