"""API of service agreements, partner organisations and partner accounts (issue 6 points 2
and 9), and accepting a request that has no valid agreement.

Anyone posted in Bilgi İşlem reads them; the Director and the Chief write (403 for the other
readers); everyone else gets 404. Bad input answers 400 naming the field (an agreement that
ends before it starts names ``valid_until``).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person
from bilgiislem.registry.models import Document

from ..choices import Category, PartnerKind, Priority
from ..models import AgreementTarget, PartnerMember, PartnerOrganization, ServiceAgreement
from ..querysets import ticket_get_for_user
from ..services import agreements as services
from ..services.sla import ticket_accept


class _Readable:
    """404 for people who may read none of these records; writes need the desk's heads."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not services.may_view_agreements(request.user):
            raise Http404


# ---------------------------------------------------------------- serializers


class PartnerOrganizationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = PartnerOrganization
        fields = [
            "id",
            "name",
            "kind",
            "identifier",
            "email_domain",
            "address",
            "phone",
            "active",
            "member_count",
        ]
        read_only_fields = fields

    def get_member_count(self, organization) -> int:
        return organization.members.filter(active=True).count()


class PartnerOrganizationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False)
    identifier = serializers.CharField(max_length=16, required=False, allow_blank=True)
    email_domain = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class PartnerMemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    username = serializers.CharField(source="person.username", read_only=True)
    full_name = serializers.CharField(source="person.get_full_name", read_only=True)

    class Meta:
        model = PartnerMember
        fields = ["id", "organization", "person", "username", "full_name", "active"]
        read_only_fields = fields


class PartnerMemberInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    username = serializers.CharField(max_length=150)


class PartnerMemberStateSerializer(serializers.Serializer):
    active = serializers.BooleanField()


class AgreementTargetSerializer(serializers.ModelSerializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    response_minutes = serializers.IntegerField(min_value=1)
    resolution_minutes = serializers.IntegerField(min_value=1)

    class Meta:
        model = AgreementTarget
        fields = ["priority", "response_minutes", "resolution_minutes"]


class ServiceAgreementSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    organization = serializers.IntegerField(
        source="organization_id", read_only=True, allow_null=True
    )
    protocol = serializers.IntegerField(source="protocol_id", read_only=True, allow_null=True)
    categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    targets = AgreementTargetSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = ServiceAgreement
        fields = [
            "id",
            "title",
            "organization",
            "is_internal_default",
            "protocol",
            "categories",
            "valid_from",
            "valid_until",
            "work_start",
            "work_end",
            "contacts",
            "targets",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ServiceAgreementInputSerializer(serializers.Serializer):
    """Shape only; the service checks the rules and names the field it refuses."""

    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    organization = serializers.IntegerField(required=False, allow_null=True)
    is_internal_default = serializers.BooleanField(required=False)
    protocol = serializers.IntegerField(required=False, allow_null=True)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False
    )
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    work_start = serializers.TimeField(required=False)
    work_end = serializers.TimeField(required=False)
    contacts = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    targets = AgreementTargetSerializer(many=True, required=False)


# ---------------------------------------------------------------- views


def _read(serializer_class, data, *, partial=False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="Partner organisations",
        parameters=[OpenApiParameter("kind", str, enum=PartnerKind.values)],
    ),
    retrieve=extend_schema(summary="A partner organisation"),
    create=extend_schema(
        summary="Record a partner organisation",
        request=PartnerOrganizationInputSerializer,
        responses={201: PartnerOrganizationSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a partner organisation",
        request=PartnerOrganizationInputSerializer,
        responses={200: PartnerOrganizationSerializer},
    ),
)
class PartnerOrganizationViewSet(
    _Readable,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PartnerOrganizationSerializer

    def get_queryset(self):
        queryset = PartnerOrganization.objects.order_by("name", "pk")
        kind = self.request.query_params.get("kind")
        if self.action == "list" and kind:
            queryset = queryset.filter(kind=kind)
        return queryset

    def create(self, request):
        data = _read(PartnerOrganizationInputSerializer, request.data)
        organization = services.partner_org_create(actor=request.user, **data)
        return Response(
            PartnerOrganizationSerializer(organization).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        organization = self.get_object()
        data = _read(PartnerOrganizationInputSerializer, request.data, partial=True)
        organization = services.partner_org_update(
            actor=request.user, organization=organization, **data
        )
        return Response(PartnerOrganizationSerializer(organization).data)


@extend_schema_view(
    list=extend_schema(
        summary="Partner accounts",
        parameters=[OpenApiParameter("organization", int)],
    ),
    retrieve=extend_schema(summary="A partner account"),
    create=extend_schema(
        summary="Give a person a partner account of an organisation",
        request=PartnerMemberInputSerializer,
        responses={201: PartnerMemberSerializer},
    ),
    partial_update=extend_schema(
        summary="Suspend or restore a partner account",
        request=PartnerMemberStateSerializer,
        responses={200: PartnerMemberSerializer},
    ),
)
class PartnerMemberViewSet(
    _Readable,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PartnerMemberSerializer

    def get_queryset(self):
        queryset = PartnerMember.objects.select_related("person").order_by("pk")
        organization = self.request.query_params.get("organization", "")
        if self.action == "list" and organization.isdigit():
            queryset = queryset.filter(organization_id=int(organization))
        return queryset

    def create(self, request):
        data = _read(PartnerMemberInputSerializer, request.data)
        organization = PartnerOrganization.objects.filter(pk=data["organization"]).first()
        if organization is None:
            raise DomainError(_("No such organisation."), field="organization")
        person = Person.objects.filter(username=data["username"]).first()
        if person is None:
            raise DomainError(_("No account has this user name."), field="username")
        member = services.partner_member_add(
            actor=request.user, organization=organization, person=person
        )
        return Response(PartnerMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        member = self.get_object()
        data = _read(PartnerMemberStateSerializer, request.data)
        member = services.partner_member_set_active(
            actor=request.user, member=member, active=data["active"]
        )
        return Response(PartnerMemberSerializer(member).data)


def _agreement_values(user, data: dict) -> dict:
    """Ids to rows; an id that names nothing (or a document not visible) is a 400."""
    values = dict(data)
    if "organization" in values and values["organization"] is not None:
        organization = PartnerOrganization.objects.filter(pk=values["organization"]).first()
        if organization is None:
            raise DomainError(_("No such organisation."), field="organization")
        values["organization"] = organization
    if "protocol" in values and values["protocol"] is not None:
        document = Document.objects.visible_to(user).filter(pk=values["protocol"]).first()
        if document is None:
            raise DomainError(_("Choose a registered document you may see."), field="protocol")
        values["protocol"] = document
    if "targets" in values:
        values["targets"] = [dict(t) for t in values["targets"]]
    return values


@extend_schema_view(
    list=extend_schema(
        summary="Service agreements",
        parameters=[
            OpenApiParameter("organization", int),
            OpenApiParameter("internal", bool, description="Only the default internal ones."),
        ],
    ),
    retrieve=extend_schema(summary="A service agreement with its targets"),
    create=extend_schema(
        summary="Record a service agreement with its targets per priority",
        request=ServiceAgreementInputSerializer,
        responses={201: ServiceAgreementSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a service agreement (targets given replace all of them)",
        request=ServiceAgreementInputSerializer,
        responses={200: ServiceAgreementSerializer},
    ),
)
class ServiceAgreementViewSet(
    _Readable,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ServiceAgreementSerializer

    def get_queryset(self):
        queryset = (
            ServiceAgreement.objects.select_related("created_by")
            .prefetch_related("targets")
            .order_by("-is_internal_default", "organization__name", "-valid_from", "pk")
        )
        params = self.request.query_params
        if self.action == "list":
            if params.get("organization", "").isdigit():
                queryset = queryset.filter(organization_id=int(params["organization"]))
            if params.get("internal") in ("1", "true"):
                queryset = queryset.filter(is_internal_default=True)
        return queryset

    def _answer(self, agreement, code=status.HTTP_200_OK):
        agreement = self.get_queryset().get(pk=agreement.pk)
        return Response(ServiceAgreementSerializer(agreement).data, status=code)

    def create(self, request):
        data = _agreement_values(request.user, _read(ServiceAgreementInputSerializer, request.data))
        targets = data.pop("targets", [])
        agreement = services.agreement_create(actor=request.user, targets=targets, **data)
        return self._answer(agreement, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        agreement = self.get_object()
        data = _agreement_values(
            request.user, _read(ServiceAgreementInputSerializer, request.data, partial=True)
        )
        targets = data.pop("targets", None)
        agreement = services.agreement_update(
            actor=request.user, agreement=agreement, targets=targets, **data
        )
        return self._answer(agreement)


class TicketAcceptanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    needs_acceptance = serializers.BooleanField()
    accepted_by = serializers.CharField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    response_due_at = serializers.DateTimeField(allow_null=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True)


class TicketAcceptView(APIView):
    """The Director or the Chief accepts a request that has no valid agreement (404 for a
    request the person may not see, 403 for anyone else who sees it)."""

    @extend_schema(
        summary="Accept a request that has no valid service agreement",
        request=None,
        responses={200: TicketAcceptanceSerializer},
    )
    def post(self, request, pk):
        ticket = ticket_get_for_user(request.user, pk)
        ticket = ticket_accept(actor=request.user, ticket=ticket)
        return Response(
            TicketAcceptanceSerializer(
                {
                    "id": ticket.pk,
                    "number": ticket.number_label,
                    "needs_acceptance": ticket.needs_acceptance,
                    "accepted_by": ticket.accepted_by.username if ticket.accepted_by else None,
                    "accepted_at": ticket.accepted_at,
                    "response_due_at": ticket.response_due_at,
                    "resolution_due_at": ticket.resolution_due_at,
                }
            ).data
        )
