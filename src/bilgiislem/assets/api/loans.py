"""API of loans (emanet, art. 23/7) and of items sent for repair (H-LOANS).

Same services and visibility as the pages in views/loans.py: the loan list and the repair
list are for Bilgi İşlem (404 for everyone else); a loan is also visible to its coordinating
unit. The services decide who acts (403 with the reason); bad input names its field (400).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.organization.models import OrgUnit
from bilgiislem.servicedesk.models import Ticket

from .. import permissions
from ..choices import AssetStatus
from ..models import Asset, AssetLoan
from ..selectors import assets_visible
from ..services import loans as services
from ..services import repair as repair_services
from ..services._common import require_registrar
from ._input import read as _read
from ._input import row as _row


class LoanSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    asset = serializers.IntegerField(source="asset_id", read_only=True)
    sicil_no = serializers.CharField(source="asset.sicil_no", read_only=True)
    coordinating_unit = serializers.IntegerField(
        source="coordinating_unit_id", read_only=True, allow_null=True
    )
    lent_by = serializers.CharField(source="lent_by.username", read_only=True)
    return_received_by = serializers.CharField(
        source="return_received_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = AssetLoan
        fields = [
            "id",
            "year",
            "number",
            "asset",
            "sicil_no",
            "borrower",
            "borrower_contact",
            "coordinating_unit",
            "purpose",
            "lent_at",
            "due_on",
            "lent_by",
            "returned_at",
            "return_received_by",
            "return_note",
        ]
        read_only_fields = fields


class LoanInputSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    borrower = serializers.CharField(max_length=300, allow_blank=True)
    borrower_contact = serializers.CharField(max_length=300, required=False, allow_blank=True)
    coordinating_unit = serializers.IntegerField(allow_null=True)
    purpose = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class LoanReturnInputSerializer(serializers.Serializer):
    return_note = serializers.CharField(allow_blank=True, help_text="The item's condition.")


@extend_schema_view(
    list=extend_schema(
        summary="Loans (emanet) to borrowers who are not staff",
        parameters=[
            OpenApiParameter("state", str, enum=["open", "overdue", "returned"]),
        ],
    ),
    retrieve=extend_schema(summary="A loan"),
)
class LoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LoanSerializer
    queryset = AssetLoan.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        if self.action == "list" and not services.may_view_loan_list(user):
            raise Http404
        queryset = services.loans_visible(user)
        return services.loan_filter(queryset, self.request.query_params.get("state", ""))

    @extend_schema(
        summary="Lend an item in the store (kayıt yetkilisi)",
        request=LoanInputSerializer,
        responses={201: LoanSerializer},
    )
    def create(self, request):
        if not permissions.is_asset_staff(request.user):
            raise Http404
        require_registrar(request.user)  # 403 before the body is read
        data = _read(LoanInputSerializer, request.data)
        loan = services.asset_lend(
            actor=request.user,
            asset=_row(Asset.objects, data["asset"], "asset"),
            borrower=data["borrower"],
            borrower_contact=data.get("borrower_contact", ""),
            coordinating_unit=_row(OrgUnit.objects, data["coordinating_unit"], "coordinating_unit"),
            purpose=data["purpose"],
            due_on=data.get("due_on"),
        )
        return Response(LoanSerializer(loan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the return with the item's condition (kayıt yetkilisi)",
        request=LoanReturnInputSerializer,
        responses=LoanSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request, pk=None):
        loan = self.get_object()
        data = _read(LoanReturnInputSerializer, request.data)
        loan = services.loan_return(actor=request.user, loan=loan, condition=data["return_note"])
        return Response(LoanSerializer(loan).data)


class RepairAssetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    # A plain string: a second component with the status choices would rename their enum.
    status = serializers.CharField(read_only=True, help_text="in_store, in_use or in_repair")
    holder = serializers.CharField(source="holder.username", read_only=True, allow_null=True)

    class Meta:
        model = Asset
        fields = ["id", "sicil_no", "status", "holder"]
        read_only_fields = fields


class RepairSendInputSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    ticket = serializers.IntegerField(
        required=False, allow_null=True, help_text="The service request's id."
    )
    vendor_note = serializers.CharField(required=False, allow_blank=True)


class RepairBackInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(list=extend_schema(summary="Items in repair"))
class RepairViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Items sent for repair, by the asset's id."""

    serializer_class = RepairAssetSerializer
    queryset = Asset.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        user = self.request.user
        if not permissions.is_asset_staff(user):
            raise Http404
        queryset = assets_visible(user).select_related("holder").order_by("sicil_no")
        if self.action == "list":
            queryset = queryset.filter(status=AssetStatus.IN_REPAIR)
        return queryset

    @extend_schema(
        summary="Send an item for repair (kayıt yetkilisi)",
        request=RepairSendInputSerializer,
        responses={201: RepairAssetSerializer},
    )
    def create(self, request):
        queryset = self.get_queryset()
        require_registrar(request.user)  # 403 before the body is read
        data = _read(RepairSendInputSerializer, request.data)
        asset = repair_services.asset_send_for_repair(
            actor=request.user,
            asset=_row(queryset, data["asset"], "asset"),
            ticket=_row(Ticket.objects, data.get("ticket"), "ticket"),
            vendor_note=data.get("vendor_note", ""),
        )
        return Response(RepairAssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The item is back from repair (kayıt yetkilisi)",
        request=RepairBackInputSerializer,
        responses=RepairAssetSerializer,
    )
    @action(detail=True, methods=["post"])
    def back(self, request, pk=None):
        data = _read(RepairBackInputSerializer, request.data)
        asset = repair_services.asset_back_from_repair(
            actor=request.user, asset=self.get_object(), note=data.get("note", "")
        )
        return Response(RepairAssetSerializer(asset).data)
