"""API of vendor contracts and of requests handed to vendors (RYY art. 6(ğ); issue 6 points
4 and 9).

Contracts: read by anyone posted in Bilgi İşlem, written by the Director and the Chief, 404
for everyone else. Handoffs: listed for the requests the person may see; a request the person
may not see answers 404 (as bad input naming ``ticket`` when it is given in the body).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError

from .. import permissions as desk
from ..models import VendorContract, VendorHandoff
from ..querysets import tickets
from ..services import agreements as agreement_services
from ..services import vendors as services


class VendorContractSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = VendorContract
        fields = [
            "id",
            "vendor",
            "number",
            "subject",
            "valid_from",
            "valid_until",
            "pauses_sla",
            "contact",
        ]
        read_only_fields = fields


class VendorContractInputSerializer(serializers.Serializer):
    vendor = serializers.CharField(max_length=300, required=False, allow_blank=True)
    number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=500, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    pauses_sla = serializers.BooleanField(required=False)
    contact = serializers.CharField(max_length=300, required=False, allow_blank=True)


class VendorHandoffSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    ticket = serializers.IntegerField(source="ticket_id", read_only=True)
    ticket_number = serializers.CharField(source="ticket.number_label", read_only=True)
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    vendor = serializers.CharField(source="contract.vendor", read_only=True)
    sent_by = serializers.CharField(source="sent_by.username", read_only=True)
    clock_paused = serializers.BooleanField(source="contract.pauses_sla", read_only=True)

    class Meta:
        model = VendorHandoff
        fields = [
            "id",
            "ticket",
            "ticket_number",
            "contract",
            "vendor",
            "vendor_reference",
            "sent_by",
            "sent_at",
            "returned_at",
            "clock_paused",
            "note",
        ]
        read_only_fields = fields


class HandoffInputSerializer(serializers.Serializer):
    ticket = serializers.IntegerField()
    contract = serializers.IntegerField()
    vendor_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReturnInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


def _read(serializer_class, data, *, partial=False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="Vendor contracts",
        parameters=[OpenApiParameter("current", bool, description="Only those in force.")],
    ),
    retrieve=extend_schema(summary="A vendor contract"),
    create=extend_schema(
        summary="Record a vendor contract",
        request=VendorContractInputSerializer,
        responses={201: VendorContractSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a vendor contract",
        request=VendorContractInputSerializer,
        responses={200: VendorContractSerializer},
    ),
)
class VendorContractViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = VendorContractSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not agreement_services.may_view_agreements(request.user):
            raise Http404

    def get_queryset(self):
        current = self.request.query_params.get("current") in ("1", "true")
        queryset = services.contracts_in_force() if self.action == "list" and current else None
        if queryset is None:
            queryset = VendorContract.objects.all()
        return queryset.order_by("vendor", "-valid_from", "pk")

    def create(self, request):
        data = _read(VendorContractInputSerializer, request.data)
        contract = services.vendor_contract_create(actor=request.user, **data)
        return Response(VendorContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        contract = self.get_object()
        data = _read(VendorContractInputSerializer, request.data, partial=True)
        contract = services.vendor_contract_update(actor=request.user, contract=contract, **data)
        return Response(VendorContractSerializer(contract).data)


@extend_schema_view(
    list=extend_schema(
        summary="Requests handed to vendors (those the person may see)",
        parameters=[
            OpenApiParameter("ticket", int),
            OpenApiParameter("open", bool, description="Only those still with the vendor."),
        ],
    ),
    retrieve=extend_schema(summary="A vendor handoff"),
)
class VendorHandoffViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = VendorHandoffSerializer
    queryset = VendorHandoff.objects.none()  # for the schema; get_queryset scopes the rows

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        visible = tickets().visible_to(user)
        queryset = VendorHandoff.objects.filter(ticket__in=visible).select_related(
            "ticket", "contract", "sent_by"
        )
        # Vendor numbers and notes are the desk's business: the requester side sees none.
        if not (desk.is_desk_head(user) or desk.worked_queue_ids(user)):
            queryset = queryset.filter(ticket__assignee=user)
        params = self.request.query_params
        if self.action == "list":
            if params.get("ticket", "").isdigit():
                queryset = queryset.filter(ticket_id=int(params["ticket"]))
            if params.get("open") in ("1", "true"):
                queryset = queryset.filter(returned_at__isnull=True)
        return queryset.order_by("-sent_at", "-pk")

    @extend_schema(
        summary="Hand a request to a vendor under a contract in force",
        request=HandoffInputSerializer,
        responses={201: VendorHandoffSerializer},
    )
    def create(self, request):
        data = _read(HandoffInputSerializer, request.data)
        ticket = tickets().visible_to(request.user).filter(pk=data["ticket"]).first()
        if ticket is None:
            raise DomainError(_("No such request."), field="ticket")
        contract = VendorContract.objects.filter(pk=data["contract"]).first()
        if contract is None:
            raise DomainError(_("Choose the contract."), field="contract")
        handoff = services.ticket_hand_to_vendor(
            actor=request.user,
            ticket=ticket,
            contract=contract,
            vendor_reference=data.get("vendor_reference", ""),
            note=data.get("note", ""),
        )
        handoff = self.get_queryset().get(pk=handoff.pk)
        return Response(VendorHandoffSerializer(handoff).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record that the vendor sent the request back",
        request=ReturnInputSerializer,
        responses={200: VendorHandoffSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def returned(self, request, pk=None):
        handoff = self.get_object()
        if handoff.returned_at is not None:
            raise DomainError(_("The request is not with a vendor."), field="handoff")
        data = _read(ReturnInputSerializer, request.data)
        services.ticket_vendor_returned(
            actor=request.user, ticket=handoff.ticket, note=data.get("note", "")
        )
        return Response(VendorHandoffSerializer(self.get_queryset().get(pk=handoff.pk)).data)
