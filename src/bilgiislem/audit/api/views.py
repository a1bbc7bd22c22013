"""Audit trail API: the Mayor and the system's Director read it; to anyone else it is a 404."""

from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound

from .. import access, selectors
from ..filters import AuditEventFilter
from ..models import AuditEvent
from .serializers import AuditEventSerializer


class CanReadAuditTrail(permissions.BasePermission):
    """Not even the trail's existence is shown to people who may not read it."""

    def has_permission(self, request, view):
        if not access.can_view(request.user):
            raise NotFound
        return True


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Audit events, newest first; filter by date, person, action, object type and text."""

    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [permissions.IsAuthenticated, CanReadAuditTrail]

    def get_queryset(self):
        return selectors.events_visible_to(self.request.user)
