"""API of the intake channels: the public form (no login, rate-limited, e-mail confirmation),
partner accounts, letters turned into requests and their replies, the satisfaction answer.

A request the person may not see answers 404; bad input 400 naming the field; a refused act
on something visible 403. The public endpoint never returns the confirmation token: only
the e-mailed link proves the address.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from bilgiislem.registry.models import Document

from .. import permissions
from ..choices import Category, TicketState
from ..models import PartnerOrganization, Ticket
from ..services import intake, letters, satisfaction


class TicketBriefSerializer(serializers.ModelSerializer):
    """What the intake endpoints answer with: the request's number and where it stands."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(source="number_label", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    source_document = serializers.IntegerField(source="source_document_id", read_only=True)
    reply_letter = serializers.IntegerField(source="reply_letter_id", read_only=True)
    satisfaction = serializers.IntegerField(read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "title",
            "category",
            "priority",
            "state",
            "channel",
            "organization",
            "created_at",
            "due_date",
            "source_document",
            "reply_letter",
            "satisfaction",
        ]
        read_only_fields = fields


class PublicReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    state = serializers.CharField()
    detail = serializers.CharField()


class PublicRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    organization = serializers.PrimaryKeyRelatedField(
        queryset=PartnerOrganization.objects.filter(active=True), required=False, allow_null=True
    )
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)


class PartnerRequestSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=PartnerOrganization.objects.all(),
        required=False,
        allow_null=True,
        help_text="Your own organisation (the default); naming another is refused.",
    )
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    contact_phone = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class FromDocumentSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TicketRefSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()


class LetterRefSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    letter = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    score = serializers.IntegerField(help_text="1 (not satisfied) to 5 (very satisfied).")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class IntakeViewSet(viewsets.ViewSet):
    """Requests from outside the municipality, and from official letters."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        if self.action in ("public", "confirm"):
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="Send a request through the public form (confirmed by e-mail)",
        request={"multipart/form-data": PublicRequestSerializer},
        responses={201: PublicReceiptSerializer},
        auth=[],
    )
    @action(detail=False, methods=["post"])
    def public(self, request):
        if intake.over_limit(_address(request)):
            raise exceptions.Throttled()
        data = _input(PublicRequestSerializer, request)
        ticket, _token = intake.public_request_submit(
            site_url=request.build_absolute_uri("/"), **data
        )
        receipt = {
            "number": ticket.number_label,
            "state": ticket.state,
            "detail": _("We have sent a confirmation link to the address you gave."),
        }
        return Response(receipt, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm a public request with the token of its e-mailed link",
        request=ConfirmSerializer,
        responses={200: PublicReceiptSerializer},
        auth=[],
    )
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        data = _input(ConfirmSerializer, request)
        if intake.public_request_for_token(data["token"]) is None and intake.over_limit(
            _address(request), scope="token"
        ):
            raise exceptions.Throttled()
        ticket = intake.public_request_confirm(token=data["token"])
        receipt = {
            "number": ticket.number_label,
            "state": ticket.state,
            "detail": _("Your request has been confirmed."),
        }
        return Response(receipt)

    @extend_schema(
        summary="A partner account asks for help for its organisation",
        request={
            "application/json": PartnerRequestSerializer,
            "multipart/form-data": PartnerRequestSerializer,
        },
        responses={201: TicketBriefSerializer},
    )
    @action(detail=False, methods=["post"])
    def partner(self, request):
        data = _input(PartnerRequestSerializer, request)
        ticket = intake.partner_request_create(actor=request.user, **data)
        return Response(TicketBriefSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The requests of the partner account's organisation",
        responses={200: TicketBriefSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="partner-requests")
    def partner_requests(self, request):
        member = intake.partner_membership(request.user)
        if member is None:
            raise Http404
        tickets = intake.organization_requests(member).order_by("-created_at", "-id")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(tickets, request, view=self)
        return paginator.get_paginated_response(TicketBriefSerializer(page, many=True).data)

    @extend_schema(
        summary="Turn an incoming letter of the directorate into a request",
        request=FromDocumentSerializer,
        responses={201: TicketBriefSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-document")
    def from_document(self, request):
        data = _input(FromDocumentSerializer, request)
        document = get_object_or_404(Document.objects.visible_to(request.user), pk=data["document"])
        ticket = letters.ticket_from_document(
            actor=request.user, document=document, category=data["category"], note=data["note"]
        )
        return Response(TicketBriefSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start the reply letter of a resolved request that came from a letter",
        request=TicketRefSerializer,
        responses={201: LetterRefSerializer},
    )
    @action(detail=False, methods=["post"], url_path="start-reply")
    def start_reply(self, request):
        data = _input(TicketRefSerializer, request)
        ticket = get_object_or_404(Ticket, pk=data["ticket"])
        if not permissions.is_desk_side(request.user, ticket):
            raise Http404
        letter = letters.ticket_start_reply(actor=request.user, ticket=ticket)
        return Response({"ticket": ticket.pk, "letter": letter.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer the satisfaction question of a closed request (once)",
        request=SatisfactionSerializer,
        responses={200: TicketBriefSerializer},
    )
    @action(detail=False, methods=["post"])
    def satisfaction(self, request):
        data = _input(SatisfactionSerializer, request)
        ticket = get_object_or_404(
            Ticket.objects.exclude(state=TicketState.UNCONFIRMED), pk=data["ticket"]
        )
        if not permissions.is_requester_side(request.user, ticket):
            raise Http404
        ticket = satisfaction.satisfaction_give(
            actor=request.user, ticket=ticket, score=data["score"], comment=data["comment"]
        )
        return Response(TicketBriefSerializer(ticket).data)
