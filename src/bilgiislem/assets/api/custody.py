"""API of VİFs, İstek Belgesi and Teslim Belgesi (issue 7; H-VIF part).

VİFs are read by Bilgi İşlem staff (404 for everyone else); requests by their unit and the
staff; handovers by their receiver and the staff. The services decide who acts (403 with
the reason); bad input names its field (400).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import OrgUnit, Person

from .. import permissions
from ..choices import RequestState, VifKind, VifState
from ..models import Asset, AssetRequest, HandoverDocument, Store, TasinirCode, Vif, VifLine
from ..services import custody as custody_services
from ..services import vif as vif_services
from ._input import read as _read
from ._input import row as _row

MONEY = {"max_digits": 14, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 3}


# ---------------------------------------------------------------- serializers


class VifLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)
    asset = serializers.IntegerField(source="asset_id", read_only=True, allow_null=True)
    sicil_no = serializers.CharField(source="asset.sicil_no", read_only=True, allow_null=True)

    class Meta:
        model = VifLine
        fields = ["id", "code", "asset", "sicil_no", "quantity", "unit_price", "description"]
        read_only_fields = fields


class VifSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True, allow_null=True)
    store = serializers.IntegerField(source="store_id", read_only=True)
    to_store = serializers.IntegerField(source="to_store_id", read_only=True, allow_null=True)
    supporting_document = serializers.IntegerField(
        source="supporting_document_id", read_only=True, allow_null=True
    )
    prepared_by = serializers.CharField(source="prepared_by.username", read_only=True)
    signed_by = serializers.CharField(source="signed_by.username", read_only=True, allow_null=True)
    controlled_by = serializers.CharField(
        source="controlled_by.username", read_only=True, allow_null=True
    )
    lines = VifLineSerializer(many=True, read_only=True)

    class Meta:
        model = Vif
        fields = [
            "id",
            "year",
            "number",
            "kind",
            "state",
            "date",
            "store",
            "to_store",
            "counterparty",
            "supporting_reference",
            "supporting_date",
            "supporting_document",
            "prepared_by",
            "prepared_at",
            "signed_by",
            "signed_at",
            "controlled_by",
            "controlled_at",
            "lines",
        ]
        read_only_fields = fields


class VifLineCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    asset = serializers.IntegerField(required=False, allow_null=True)
    quantity = serializers.DecimalField(**QTY, required=False)
    unit_price = serializers.DecimalField(**MONEY, required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class VifCreateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VifKind.choices)
    store = serializers.IntegerField()
    to_store = serializers.IntegerField(required=False, allow_null=True)
    date = serializers.DateField()
    supporting_reference = serializers.CharField(max_length=200)
    supporting_date = serializers.DateField()
    counterparty = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lines = VifLineCreateSerializer(many=True)


class AssetRequestSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    for_person = serializers.CharField(
        source="for_person.username", read_only=True, allow_null=True
    )
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = AssetRequest
        fields = [
            "id",
            "unit",
            "code",
            "quantity",
            "purpose",
            "state",
            "requested_by",
            "for_person",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class AssetRequestInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    code = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(required=False, min_value=1)
    purpose = serializers.CharField(allow_blank=True)


class AssetRequestDecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class HandoverIssueInputSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    receiver = serializers.CharField(max_length=150, help_text="The receiver's user name.")


class HandoverSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    asset = serializers.IntegerField(source="asset_id", read_only=True)
    sicil_no = serializers.CharField(source="asset.sicil_no", read_only=True)
    receiver = serializers.CharField(source="receiver.username", read_only=True)
    request = serializers.IntegerField(source="request_id", read_only=True, allow_null=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True)

    class Meta:
        model = HandoverDocument
        fields = [
            "id",
            "year",
            "number",
            "asset",
            "sicil_no",
            "receiver",
            "request",
            "issued_by",
            "issued_at",
            "acknowledged_at",
            "returned_at",
            "return_note",
        ]
        read_only_fields = fields


class HandoverReturnInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


# ---------------------------------------------------------------- views


@extend_schema_view(
    list=extend_schema(
        summary="VİFs",
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("kind", str),
            OpenApiParameter("state", str),
        ],
    ),
    retrieve=extend_schema(summary="A VİF with its lines"),
)
class VifViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VifSerializer
    queryset = Vif.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if not permissions.is_asset_staff(self.request.user):
            raise Http404
        queryset = Vif.objects.select_related(
            "prepared_by", "signed_by", "controlled_by"
        ).prefetch_related("lines__code", "lines__asset")
        params = self.request.query_params
        if params.get("year", "").isdigit():
            queryset = queryset.filter(year=int(params["year"]))
        if params.get("kind") in VifKind.values:
            queryset = queryset.filter(kind=params["kind"])
        if params.get("state") in VifState.values:
            queryset = queryset.filter(state=params["state"])
        return queryset

    def _respond(self, vif, code=status.HTTP_200_OK):
        return Response(VifSerializer(self.get_queryset().get(pk=vif.pk)).data, status=code)

    @extend_schema(
        summary="Prepare a draft VİF",
        request=VifCreateInputSerializer,
        responses={201: VifSerializer},
    )
    def create(self, request):
        self.get_queryset()  # 404 for people outside Bilgi İşlem
        data = _read(VifCreateInputSerializer, request.data)
        lines = []
        for line in data["lines"]:
            asset = _row(Asset.objects, line.get("asset"), "lines")
            lines.append(
                {
                    "code": line.get("code") or (asset.code if asset else ""),
                    "asset": asset,
                    "quantity": line.get("quantity"),
                    "unit_price": line.get("unit_price"),
                    "description": line.get("description", ""),
                }
            )
        vif = vif_services.vif_create(
            actor=request.user,
            kind=data["kind"],
            store=_row(Store.objects, data["store"], "store"),
            to_store=_row(Store.objects, data.get("to_store"), "to_store"),
            date=data["date"],
            supporting_reference=data["supporting_reference"],
            supporting_date=data["supporting_date"],
            counterparty=data.get("counterparty", ""),
            lines=lines,
        )
        return self._respond(vif, status.HTTP_201_CREATED)

    @extend_schema(summary="Sign off a draft (numbers it)", request=None, responses=VifSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._respond(vif_services.vif_sign(actor=request.user, vif=self.get_object()))

    @extend_schema(summary="Check a signed VİF", request=None, responses=VifSerializer)
    @action(detail=True, methods=["post"])
    def control(self, request, pk=None):
        return self._respond(vif_services.vif_control(actor=request.user, vif=self.get_object()))

    @extend_schema(summary="Cancel a draft", request=None, responses=VifSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._respond(vif_services.vif_cancel(actor=request.user, vif=self.get_object()))


@extend_schema_view(
    list=extend_schema(summary="Requests for items (İstek Belgesi)"),
    retrieve=extend_schema(summary="A request for an item"),
)
class AssetRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AssetRequestSerializer
    queryset = AssetRequest.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        from ..views.custody import requests_visible

        queryset = requests_visible(self.request.user)
        if self.request.query_params.get("state") in RequestState.values:
            queryset = queryset.filter(state=self.request.query_params["state"])
        return queryset

    def _respond(self, item, code=status.HTTP_200_OK):
        return Response(AssetRequestSerializer(item).data, status=code)

    @extend_schema(
        summary="Ask for an item",
        request=AssetRequestInputSerializer,
        responses={201: AssetRequestSerializer},
    )
    def create(self, request):
        # Someone with no unit to ask for (a partner account) is refused before the body.
        if not custody_services.requesting_unit_ids(request.user):
            raise PermissionDeniedError(_("You may ask only for your own unit."))
        data = _read(AssetRequestInputSerializer, request.data)
        code = TasinirCode.objects.filter(code=data["code"]).first()
        if code is None:
            raise DomainError(_("Unknown movable property code."), field="code")
        item = custody_services.asset_request_submit(
            actor=request.user,
            unit=_row(OrgUnit.objects, data["unit"], "unit"),
            code=code,
            quantity=data.get("quantity", 1),
            purpose=data["purpose"],
            for_person=request.user,
        )
        return self._respond(item, status.HTTP_201_CREATED)

    def _decide(self, request, approve):
        data = _read(AssetRequestDecisionInputSerializer, request.data)
        item = custody_services.asset_request_decide(
            actor=request.user,
            request=self.get_object(),
            approve=approve,
            note=data.get("note", ""),
        )
        return self._respond(item)

    @extend_schema(
        summary="Approve (Director)",
        request=AssetRequestDecisionInputSerializer,
        responses=AssetRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(
        summary="Reject with a note (Director)",
        request=AssetRequestDecisionInputSerializer,
        responses=AssetRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, False)

    @extend_schema(
        summary="Hand an item over on a Teslim Belgesi (kayıt yetkilisi)",
        request=HandoverIssueInputSerializer,
        responses={201: HandoverSerializer},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        item = self.get_object()
        data = _read(HandoverIssueInputSerializer, request.data)
        receiver = Person.objects.filter(username=data["receiver"]).first()
        if receiver is None:
            raise DomainError(_("No such person."), field="receiver")
        handover = custody_services.handover_issue(
            actor=request.user,
            asset=_row(Asset.objects, data["asset"], "asset"),
            receiver=receiver,
            request=item,
        )
        return Response(HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)


class HandoverScanInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The signed Teslim Belgesi, scanned (PDF or image).")


@extend_schema_view(
    list=extend_schema(
        summary="Teslim Belgeleri (yours; every one for Bilgi İşlem)",
        parameters=[OpenApiParameter("open", bool, description="Only items not returned.")],
    ),
    retrieve=extend_schema(summary="A Teslim Belgesi"),
)
class HandoverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = HandoverSerializer
    queryset = HandoverDocument.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        from ..views.custody import handovers_visible

        queryset = handovers_visible(self.request.user)
        if self.request.query_params.get("open") in ("1", "true"):
            queryset = queryset.filter(returned_at__isnull=True)
        return queryset

    @extend_schema(summary="Acknowledge receipt", request=None, responses=HandoverSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        handover = custody_services.handover_acknowledge(
            actor=request.user, handover=self.get_object()
        )
        return Response(HandoverSerializer(handover).data)

    @extend_schema(
        summary="Keep the scan of the signed paper copy (kayıt yetkilisi); acknowledges it",
        request={"multipart/form-data": HandoverScanInputSerializer},
        responses=HandoverSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def scan(self, request, pk=None):
        handover = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(_("Choose the scanned file."), field="file")
        handover = custody_services.handover_upload_scan(
            actor=request.user, handover=handover, upload=upload
        )
        return Response(HandoverSerializer(handover).data)

    @extend_schema(
        summary="Record the return (kayıt yetkilisi)",
        request=HandoverReturnInputSerializer,
        responses=HandoverSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request, pk=None):
        data = _read(HandoverReturnInputSerializer, request.data)
        handover = custody_services.handover_return(
            actor=request.user, handover=self.get_object(), note=data.get("note", "")
        )
        return Response(HandoverSerializer(handover).data)
