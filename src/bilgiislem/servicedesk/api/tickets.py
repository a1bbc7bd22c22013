"""API of requests (issue 6 point 9): the call centre and a mobile app open and follow them.

Reads are scoped by ``TicketQuerySet.visible_to``: a request the person may not see answers
404. Each write is one service; bad input answers 400 naming the field, a refused act on a
visible request 403 with the reason (core.api.exception_handler).
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from bilgiislem.core.downloads import attachment_response
from bilgiislem.core.errors import DomainError
from bilgiislem.core.storage import StorageCorruptionError
from bilgiislem.organization.models import OrgUnit, Person

from .. import permissions as desk
from ..choices import TicketState
from ..models import PartnerOrganization, Queue
from ..permissions import available_actions
from ..querysets import LIST_RELATED, attachments_visible_to, entries_visible_to, tickets
from ..services import ticket_flow as flow
from ..services.sla import sla_status
from ..services.tickets import ticket_create, ticket_message_add, ticket_time_add
from . import ticket_serializers as s

SCOPES = {"mine", "assigned", "queue", "unassigned"}


def _get(model, pk, field, queryset=None):
    """The row ``pk`` names, or a 400 naming ``field``."""
    if pk is None:
        return None
    found = (queryset if queryset is not None else model.objects.all()).filter(pk=pk).first()
    if found is None:
        raise DomainError(_("No such choice."), field=field)
    return found


@extend_schema_view(
    list=extend_schema(
        summary="Requests the person may see",
        parameters=[
            OpenApiParameter(
                "scope",
                OpenApiTypes.STR,
                enum=sorted(SCOPES),
                description="mine: asked or recorded by me; assigned: assigned to me; "
                "queue: in my queues; unassigned: new ones in my queues",
            ),
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(TicketState.values)),
            OpenApiParameter("queue", OpenApiTypes.INT),
        ],
    ),
    retrieve=extend_schema(summary="A request with its messages and the actions open to you"),
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Support requests (arıza / destek talepleri)."""

    serializer_class = s.TicketListItemSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        user = self.request.user
        rows = tickets().visible_to(user).select_related(*LIST_RELATED)
        if self.action != "list":
            return rows
        params = self.request.query_params
        scope = params.get("scope")
        if scope == "mine":
            rows = rows.filter(Q(requester=user) | Q(recorded_by=user))
        elif scope == "assigned":
            rows = rows.filter(assignee=user)
        elif scope in ("queue", "unassigned"):
            rows = rows.filter(queue_id__in=desk.worked_queue_ids(user))
            if scope == "unassigned":
                rows = rows.filter(state=TicketState.NEW)
        if params.get("state") in TicketState.values:
            rows = rows.filter(state=params["state"])
        if (params.get("queue") or "").isdigit():
            rows = rows.filter(queue_id=int(params["queue"]))
        return rows.order_by("-created_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        now = timezone.now()
        for ticket in page:
            ticket.sla = sla_status(ticket, now)
        return self.get_paginated_response(s.TicketListItemSerializer(page, many=True).data)

    def detail_response(self, ticket, code=status.HTTP_200_OK) -> Response:
        user = self.request.user
        ticket = self.get_queryset().get(pk=ticket.pk)
        ticket.sla = sla_status(ticket, timezone.now())
        context = {
            "entries": list(entries_visible_to(user, ticket)),
            "attachments": list(attachments_visible_to(user, ticket)),
            "actions": available_actions(user, ticket),
            "desk_side": desk.is_desk_side(user, ticket),
        }
        return Response(s.TicketDetailSerializer(ticket, context=context).data, status=code)

    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object())

    def read(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary="Open a request (for yourself, or on someone's behalf as the desk)",
        request={
            "application/json": s.TicketCreateSerializer,
            "multipart/form-data": s.TicketCreateSerializer,
        },
        responses={201: s.TicketDetailSerializer},
    )
    def create(self, request):
        data = self.read(s.TicketCreateSerializer)
        user = request.user
        requester = _get(
            Person, data.get("requester"), "requester", Person.objects.filter(is_active=True)
        )
        parent = _get(None, data.get("parent"), "parent", tickets().visible_to(user))
        ticket = ticket_create(
            actor=user,
            title=data["title"],
            description=data["description"],
            category=data["category"],
            priority=data["priority"],
            channel=data["channel"],
            requester=requester,
            requester_unit=_get(OrgUnit, data.get("requester_unit"), "requester_unit"),
            organization=_get(PartnerOrganization, data.get("organization"), "organization"),
            contact_name=data.get("contact_name", ""),
            contact_email=data.get("contact_email", ""),
            contact_phone=data.get("contact_phone", ""),
            parent=parent,
            attachments=request.FILES.getlist("attachments"),
        )
        return self.detail_response(ticket, status.HTTP_201_CREATED)

    # ------------------------------------------------------------ dividing the work

    @extend_schema(
        summary="Assign to a technician of its queue (Chief, Director, unit head)",
        request=s.TicketAssignSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketAssignSerializer)
        assignee = _get(Person, data["assignee"], "assignee")
        flow.ticket_assign(actor=request.user, ticket=ticket, assignee=assignee, note=data["note"])
        return self.detail_response(ticket)

    @extend_schema(
        summary="Take a new request of your queue",
        request=None,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        ticket = self.get_object()
        flow.ticket_take(actor=request.user, ticket=ticket)
        return self.detail_response(ticket)

    @extend_schema(
        summary="Move to another queue",
        request=s.TicketMoveSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketMoveSerializer)
        queue = _get(Queue, data["queue"], "queue")
        flow.ticket_move(actor=request.user, ticket=ticket, queue=queue, note=data["note"])
        return self.detail_response(ticket)

    # ------------------------------------------------------------ doing it

    @extend_schema(
        summary="Start work (the assignee)",
        request=s.TicketMinutesSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketMinutesSerializer)
        flow.ticket_start(actor=request.user, ticket=ticket, minutes_spent=data["minutes_spent"])
        return self.detail_response(ticket)

    @extend_schema(
        summary="Wait for the requester, a vendor or a part (the assignee)",
        request=s.TicketPauseSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketPauseSerializer)
        flow.ticket_pause(
            actor=request.user,
            ticket=ticket,
            reason=data["reason"],
            note=data["note"],
            minutes_spent=data["minutes_spent"],
        )
        return self.detail_response(ticket)

    @extend_schema(
        summary="Resume work after waiting (the assignee)",
        request=s.TicketMinutesSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketMinutesSerializer)
        flow.ticket_resume(actor=request.user, ticket=ticket, minutes_spent=data["minutes_spent"])
        return self.detail_response(ticket)

    @extend_schema(
        summary="Resolve with a resolution note (only the assignee)",
        request=s.TicketResolveSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketResolveSerializer)
        flow.ticket_resolve(
            actor=request.user,
            ticket=ticket,
            resolution=data["resolution"],
            minutes_spent=data["minutes_spent"],
        )
        return self.detail_response(ticket)

    # ------------------------------------------------------------ the requester's answer

    @extend_schema(
        summary="Confirm the resolution (the requester): the request closes",
        request=None,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        ticket = self.get_object()
        flow.ticket_confirm(actor=request.user, ticket=ticket)
        return self.detail_response(ticket)

    @extend_schema(
        summary="Reopen: not solved (the requester)",
        request=s.TicketReasonSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketReasonSerializer)
        flow.ticket_reopen(actor=request.user, ticket=ticket, reason=data["reason"])
        return self.detail_response(ticket)

    @extend_schema(
        summary="Cancel (the requester, the Chief or the unit head)",
        request=s.TicketReasonSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketReasonSerializer)
        flow.ticket_cancel(actor=request.user, ticket=ticket, reason=data["reason"])
        return self.detail_response(ticket)

    # ------------------------------------------------------------ writing

    @extend_schema(
        summary="Write: a message, a reply, or an internal note (the desk)",
        request={
            "application/json": s.TicketMessageSerializer,
            "multipart/form-data": s.TicketMessageSerializer,
        },
        responses={201: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketMessageSerializer)
        ticket_message_add(
            actor=request.user,
            ticket=ticket,
            text=data["text"],
            internal=data["internal"],
            minutes_spent=data["minutes_spent"],
            attachments=request.FILES.getlist("attachments"),
        )
        return self.detail_response(ticket, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Book time spent (1–1440 minutes; the desk)",
        request=s.TicketTimeSerializer,
        responses={201: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def time(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketTimeSerializer)
        ticket_time_add(
            actor=request.user,
            ticket=ticket,
            minutes_spent=data["minutes_spent"],
            text=data["text"],
        )
        return self.detail_response(ticket, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a file of the request (internal ones only for the desk)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>\d+)",
        url_name="attachment",
    )
    def attachment(self, request, pk=None, attachment_pk=None):
        ticket = self.get_object()
        stored = get_object_or_404(attachments_visible_to(request.user, ticket), pk=attachment_pk)
        try:
            return attachment_response(stored.sha256, stored.filename, stored.content_type)
        except StorageCorruptionError:
            return Response(
                {"detail": _("The stored file is damaged or missing.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )

    # ------------------------------------------------------------ related requests

    def _other(self, data):
        other = data["ticket"]
        if other is None:
            return None
        return _get(None, other, "ticket", tickets().visible_to(self.request.user))

    @extend_schema(
        summary="Merge this duplicate into another request",
        request=s.TicketOtherSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        ticket = self.get_object()
        into = self._other(self.read(s.TicketOtherSerializer))
        if into is None:
            raise DomainError(_("Give the request to merge into."), field="ticket")
        flow.ticket_merge(actor=request.user, ticket=ticket, into=into)
        return self.detail_response(ticket)

    @extend_schema(
        summary="Make it a child of another request (null: free it)",
        request=s.TicketOtherSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def parent(self, request, pk=None):
        ticket = self.get_object()
        parent = self._other(self.read(s.TicketOtherSerializer))
        flow.ticket_set_parent(actor=request.user, ticket=ticket, parent=parent)
        return self.detail_response(ticket)

    @extend_schema(
        summary="Change the priority (the desk); the SLA targets follow",
        request=s.TicketPrioritySerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def priority(self, request, pk=None):
        ticket = self.get_object()
        data = self.read(s.TicketPrioritySerializer)
        flow.ticket_set_priority(actor=request.user, ticket=ticket, priority=data["priority"])
        return self.detail_response(ticket)
