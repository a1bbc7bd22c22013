"""API of write-offs (issue 7 point 6): commissions (with their expert member), proposals by a
commission, write-offs on a report documenting the loss (no commission), the Director's
decision, wipe records, and the yearly consolidated report (H-STOCK part, H-BOARDS).

Read by anyone posted in Bilgi İşlem, 404 for everyone else (the yearly report also by the
top manager); the services decide who writes (403 with the reason). A reference to a row
that does not exist is bad input naming its field (400).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import PermissionDeniedError
from bilgiislem.registry.models import Document

from .. import permissions
from ..choices import WriteOffReason
from ..models import Board, WriteOff
from ..services import writeoff as writeoff_services
from ..services import writeoff_report
from ..services._common import require_registrar
from ._input import read as _read
from ._input import row as _row
from .stock import _person, _StaffOnly

MONEY = {"max_digits": 14, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 3}


# ---------------------------------------------------------------- serializers


class WriteOffCommissionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    chair = serializers.CharField(source="chair.username", read_only=True)
    expert = serializers.CharField(source="expert.username", read_only=True, allow_null=True)

    class Meta:
        model = Board
        fields = ["id", "name", "members", "chair", "expert", "appointed_at"]
        read_only_fields = fields


class WriteOffCommissionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    members = serializers.ListField(child=serializers.CharField(max_length=150))
    chair = serializers.CharField(max_length=150)
    expert = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="The expert member's username (needed for scrapping and breakage).",
    )


class WriteOffSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    commission = serializers.IntegerField(source="commission_id", read_only=True, allow_null=True)
    loss_report_document = serializers.IntegerField(
        source="loss_report_document_id", read_only=True, allow_null=True
    )
    assets = serializers.SlugRelatedField(slug_field="sicil_no", many=True, read_only=True)
    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )
    vif = serializers.IntegerField(source="vif_id", read_only=True, allow_null=True)

    class Meta:
        model = WriteOff
        fields = [
            "id",
            "commission",
            "loss_report",
            "loss_report_date",
            "loss_report_document",
            "reason",
            "explanation",
            "assets",
            "state",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "minute_sha256",
            "vif",
        ]
        read_only_fields = fields


class WriteOffInputSerializer(serializers.Serializer):
    commission = serializers.IntegerField()
    # A plain string (the service names a wrong one): a second "reason" enum would collide
    # in the schema with the other apps' reason fields.
    reason = serializers.CharField(
        max_length=20, help_text="One of: " + ", ".join(WriteOffReason.values)
    )
    explanation = serializers.CharField()
    assets = serializers.ListField(child=serializers.CharField(max_length=60))


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class WipeInputSerializer(serializers.Serializer):
    asset = serializers.CharField(max_length=60, help_text="The sicil number.")
    method = serializers.CharField(max_length=200)
    witnessed_by = serializers.CharField(max_length=150, help_text="The witness's username.")
    performed_at = serializers.DateTimeField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class WipeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.CharField(source="asset.sicil_no")
    method = serializers.CharField()
    performed_by = serializers.CharField(source="performed_by.username")
    witnessed_by = serializers.CharField(source="witnessed_by.username")
    performed_at = serializers.DateTimeField()


class OnReportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=20,
        help_text="One of: " + ", ".join(sorted(writeoff_services.REPORT_REASONS)),
    )
    explanation = serializers.CharField()
    assets = serializers.ListField(child=serializers.CharField(max_length=60))
    loss_report = serializers.CharField(max_length=300)
    loss_report_date = serializers.DateField()
    loss_report_document = serializers.IntegerField(
        required=False, allow_null=True, help_text="A registered document's id."
    )


class ReportRowSerializer(serializers.Serializer):
    reason = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    total = serializers.DecimalField(**MONEY)


class YearReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    due = serializers.DateField()
    rows = ReportRowSerializer(many=True)
    quantity = serializers.DecimalField(**QTY)
    total = serializers.DecimalField(**MONEY)


@extend_schema_view(
    list=extend_schema(summary="Write-off commissions"),
    retrieve=extend_schema(summary="A write-off commission"),
    create=extend_schema(
        summary="Appoint a write-off commission (the Director)",
        request=WriteOffCommissionInputSerializer,
        responses={201: WriteOffCommissionSerializer},
    ),
)
class WriteOffCommissionViewSet(
    _StaffOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = WriteOffCommissionSerializer

    def get_queryset(self):
        return (
            Board.objects.filter(purpose=Board.Purpose.WRITE_OFF)
            .select_related("chair", "expert")
            .prefetch_related("members")
            .order_by("-appointed_at", "-pk")
        )

    def create(self, request):
        writeoff_services.require_director(request.user)  # 403 before the body is read
        data = _read(WriteOffCommissionInputSerializer, request.data)
        board = writeoff_services.writeoff_commission_appoint(
            actor=request.user,
            name=data["name"],
            members=[_person(u, "members") for u in data["members"]],
            chair=_person(data["chair"], "chair"),
            expert=_person(data["expert"], "expert") if data.get("expert") else None,
        )
        return Response(
            WriteOffCommissionSerializer(self.get_queryset().get(pk=board.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="Write-offs"),
    retrieve=extend_schema(summary="A write-off"),
    create=extend_schema(
        summary="Propose a write-off (a member of the commission)",
        request=WriteOffInputSerializer,
        responses={201: WriteOffSerializer},
    ),
)
class WriteOffViewSet(
    _StaffOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = WriteOffSerializer

    def get_queryset(self):
        return (
            WriteOff.objects.select_related("proposed_by", "decided_by")
            .prefetch_related("assets")
            .order_by("-proposed_at", "-pk")
        )

    def create(self, request):
        # Only members of a write-off commission propose; the one named is checked after.
        if not Board.objects.filter(purpose=Board.Purpose.WRITE_OFF, members=request.user).exists():
            raise PermissionDeniedError(_("Only a member of the commission proposes a write-off."))
        data = _read(WriteOffInputSerializer, request.data)
        commission = _row(
            Board.objects.filter(purpose=Board.Purpose.WRITE_OFF), data["commission"], "commission"
        )
        writeoff = writeoff_services.writeoff_propose(
            actor=request.user,
            commission=commission,
            reason=data["reason"],
            explanation=data["explanation"],
            assets=writeoff_services.assets_by_sicil(" ".join(data["assets"])),
        )
        return Response(
            WriteOffSerializer(self.get_queryset().get(pk=writeoff.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Write off on a report documenting the loss, without a commission "
        "(the kayıt yetkilisi; the Director approves)",
        request=OnReportInputSerializer,
        responses={201: WriteOffSerializer},
    )
    @action(detail=False, methods=["post"], url_path="on-report")
    def on_report(self, request):
        require_registrar(request.user)  # 403 before the body is read
        data = _read(OnReportInputSerializer, request.data)
        document = None
        if data.get("loss_report_document") is not None:
            document = _row(
                Document.objects.visible_to(request.user),
                data["loss_report_document"],
                "loss_report_document",
            )
        writeoff = writeoff_services.writeoff_on_report(
            actor=request.user,
            reason=data["reason"],
            explanation=data["explanation"],
            assets=writeoff_services.assets_by_sicil(" ".join(data["assets"])),
            loss_report=data["loss_report"],
            loss_report_date=data["loss_report_date"],
            loss_report_document=document,
        )
        return Response(
            WriteOffSerializer(self.get_queryset().get(pk=writeoff.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Approve a write-off (the Director): minute and draft exit VİF",
        request=None,
        responses={200: WriteOffSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        writeoff = writeoff_services.writeoff_approve(
            actor=request.user, writeoff=self.get_object()
        )
        return Response(WriteOffSerializer(self.get_queryset().get(pk=writeoff.pk)).data)

    @extend_schema(
        summary="Do not approve a write-off (the Director)",
        request=RejectInputSerializer,
        responses={200: WriteOffSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = _read(RejectInputSerializer, request.data)
        writeoff = writeoff_services.writeoff_reject(
            actor=request.user, writeoff=self.get_object(), reason=data["reason"]
        )
        return Response(WriteOffSerializer(self.get_queryset().get(pk=writeoff.pk)).data)


class WipeViewSet(_StaffOnly, viewsets.GenericViewSet):
    serializer_class = WipeSerializer

    @extend_schema(
        summary="Record the secure wipe or destruction of a storage medium",
        request=WipeInputSerializer,
        responses={201: WipeSerializer},
    )
    def create(self, request):
        if not permissions.is_asset_staff(request.user):  # 403 before the body is read
            raise PermissionDeniedError(_("Only Bilgi İşlem staff record a wipe."))
        data = _read(WipeInputSerializer, request.data)
        record = writeoff_services.wipe_record(
            actor=request.user,
            asset=writeoff_services.assets_by_sicil(data["asset"], field="asset")[0],
            method=data["method"],
            witnessed_by=_person(data["witnessed_by"], "witnessed_by"),
            performed_at=data.get("performed_at"),
            note=data.get("note", ""),
        )
        return Response(WipeSerializer(record).data, status=status.HTTP_201_CREATED)


class WriteOffYearReportViewSet(viewsets.ViewSet):
    """The consolidated write-off report of a year (art. 10/1-e); ``csv/`` gives its lines
    as CSV. Bilgi İşlem staff and the top manager; 404 for everyone else."""

    lookup_url_kwarg = "year"
    lookup_value_regex = "[0-9]{4}"

    def _report(self, request, year):
        if not writeoff_report.may_view_report(request.user):
            raise Http404
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise Http404 from None
        if not 2000 <= year <= 2100:
            raise Http404
        return writeoff_report.writeoff_year_report(year)

    @extend_schema(
        summary="The consolidated write-off report of a year",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses={200: YearReportSerializer},
    )
    def retrieve(self, request, year=None):
        report = self._report(request, year)
        return Response(
            YearReportSerializer(
                {
                    "year": report.year,
                    "due": report.due,
                    "rows": report.rows,
                    "quantity": report.quantity,
                    "total": report.total,
                }
            ).data
        )

    @extend_schema(
        summary="The consolidated write-off report of a year, its lines as CSV",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"])
    def csv(self, request, year=None):
        report = self._report(request, year)
        response = HttpResponse(
            writeoff_report.report_csv(report), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="kayittan-dusme-{report.year}.csv"'
        return response
