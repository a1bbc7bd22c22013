"""Disposal API (RYY art. 13(ç)): candidates per year, the commission, its lists, the
members' and the superior's approvals, execution and the list and minute PDFs.

Only the authorised superiors, commission members and archive officers use it; anyone else
gets 403 on the collections and 404 on a list. Each write is one service; a visible list
whose action is not the person's answers 403 with the reason.
"""

from __future__ import annotations

import json

from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person

from .. import disposal_access as access
from .. import disposal_pdf
from ..models import (
    CommissionMember,
    DisposalApproval,
    DisposalCommission,
    DisposalItem,
    DisposalList,
    Folder,
)
from ..services import commission as commission_services
from ..services import disposal as services
from ..services import disposal_execution as execution

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")
YEAR = OpenApiParameter("year", int, required=True, description="The disposal year.")


class PdfRenderer(BaseRenderer):
    """Lets a PDF be asked for with ``Accept: application/pdf``; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- shapes ----------------------------------------------------------------------------------


class DisposalPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class CandidateFolderSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)
    year = serializers.IntegerField(read_only=True)
    retention_until = serializers.IntegerField(read_only=True, allow_null=True)
    document_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Folder
        fields = [
            "id",
            "unit",
            "code",
            "title",
            "year",
            "stage",
            "disposition",
            "retention_until",
            "document_count",
        ]
        read_only_fields = fields


class CommissionMemberSerializer(serializers.ModelSerializer):
    person = DisposalPersonSerializer(read_only=True)

    class Meta:
        model = CommissionMember
        fields = ["id", "person", "role"]
        read_only_fields = fields


class CommissionSerializer(serializers.ModelSerializer):
    members = CommissionMemberSerializer(many=True, read_only=True)
    appointed_by = DisposalPersonSerializer(read_only=True)

    class Meta:
        model = DisposalCommission
        fields = [
            "id",
            "name",
            "appointed_by",
            "appointed_at",
            "valid_from",
            "valid_until",
            "members",
        ]
        read_only_fields = fields


class CommissionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(is_active=True))
    members = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.filter(is_active=True), many=True, allow_empty=True
    )
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class DisposalItemSerializer(serializers.ModelSerializer):
    folder = serializers.IntegerField(source="folder_id", read_only=True)
    folder_year = serializers.IntegerField(read_only=True)
    document_count = serializers.IntegerField(read_only=True)
    removed_by = DisposalPersonSerializer(read_only=True)

    class Meta:
        model = DisposalItem
        fields = [
            "id",
            "folder",
            "code",
            "title",
            "unit_name",
            "folder_year",
            "document_count",
            "removed",
            "removed_reason",
            "removed_by",
        ]
        read_only_fields = fields


class DisposalApprovalSerializer(serializers.ModelSerializer):
    person = DisposalPersonSerializer(source="member.person", read_only=True)
    role = serializers.CharField(source="member.role", read_only=True)

    class Meta:
        model = DisposalApproval
        fields = ["id", "person", "role", "approved_at"]
        read_only_fields = fields


class DisposalListBriefSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(read_only=True)
    commission = serializers.CharField(source="commission.name", read_only=True)
    folders = serializers.IntegerField(read_only=True, source="kept_count")

    class Meta:
        model = DisposalList
        fields = ["id", "year", "commission", "state", "created_at", "folders", "executed_at"]
        read_only_fields = fields


class DisposalListSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(read_only=True)
    commission = CommissionSerializer(read_only=True)
    created_by = DisposalPersonSerializer(read_only=True)
    approved_by = DisposalPersonSerializer(read_only=True)
    executed_by = DisposalPersonSerializer(read_only=True)
    items = DisposalItemSerializer(many=True, read_only=True)
    approvals = DisposalApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = DisposalList
        fields = [
            "id",
            "year",
            "commission",
            "state",
            "created_by",
            "created_at",
            "approved_by",
            "approved_as",
            "approved_at",
            "executed_by",
            "executed_at",
            "list_sha256",
            "minute_sha256",
            "keep_until",
            "items",
            "approvals",
        ]
        read_only_fields = fields


class DisposalListInputSerializer(serializers.Serializer):
    commission = serializers.IntegerField()
    year = serializers.IntegerField()


class YearInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class ItemRemoveInputSerializer(ReasonInputSerializer):
    item = serializers.IntegerField()


class ExecuteInputSerializer(serializers.Serializer):
    method = serializers.CharField(max_length=500, allow_blank=True)
    place = serializers.CharField(max_length=300, allow_blank=True)
    carried_out_on = serializers.DateField(required=False, allow_null=True, default=None)
    participants = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )


class TransferPreparedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    folders = serializers.IntegerField()


# --- views -----------------------------------------------------------------------------------


def _require_access(request) -> None:
    if not access.may_see_disposal(request.user):
        raise PermissionDenied(_("Disposal is for the commission, its superior and archivists."))


def _read(request, serializer_class) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _year_param(request) -> int:
    try:
        return int(request.query_params.get("year", ""))
    except ValueError:
        raise DomainError(_("Give the year as a number."), field="year") from None


class DisposalCandidateViewSet(viewsets.GenericViewSet):
    """Folders due for disposal, or for transfer to the State Archives, in a year."""

    serializer_class = CandidateFolderSerializer
    queryset = Folder.objects.none()  # the schema's model; the answers come from the services

    def _page(self, folders) -> Response:
        folders = folders.select_related("unit", "code").order_by(
            "unit__name", "code__code", "year", "pk"
        )
        page = self.paginate_queryset(folders)
        return self.get_paginated_response(CandidateFolderSerializer(page, many=True).data)

    @extend_schema(
        summary="Folders the commission may list for disposal in a year",
        parameters=[YEAR],
        responses={200: CandidateFolderSerializer(many=True)},
    )
    def list(self, request):
        _require_access(request)
        return self._page(services.disposal_candidates(_year_param(request)))

    @extend_schema(
        summary="Folders due for transfer to the State Archives in a year (never destroyed)",
        parameters=[YEAR],
        responses={200: CandidateFolderSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="state-archives")
    def state_archives(self, request):
        _require_access(request)
        return self._page(services.state_archives_candidates(_year_param(request)))

    @extend_schema(
        summary="Prepare the transfer list to the State Archives for a year",
        request=YearInputSerializer,
        responses={201: TransferPreparedSerializer},
    )
    @state_archives.mapping.post
    def state_archives_prepare(self, request):
        _require_access(request)
        data = _read(request, YearInputSerializer)
        transfer = services.state_archives_transfer_prepare(actor=request.user, year=data["year"])
        body = {"id": transfer.pk, "year": transfer.year, "folders": transfer.folders.count()}
        return Response(TransferPreparedSerializer(body).data, status=status.HTTP_201_CREATED)


class CommissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Disposal commissions (ayıklama ve imha komisyonu)."""

    serializer_class = CommissionSerializer

    def get_queryset(self):
        if not access.may_see_disposal(self.request.user):
            return DisposalCommission.objects.none()
        return DisposalCommission.objects.select_related("appointed_by").prefetch_related(
            Prefetch("members", queryset=CommissionMember.objects.select_related("person"))
        )

    def list(self, request, *args, **kwargs):
        _require_access(request)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Appoint a commission: a chair and at least two members",
        request=CommissionInputSerializer,
        responses={201: CommissionSerializer},
    )
    def create(self, request):
        _require_access(request)
        data = _read(request, CommissionInputSerializer)
        commission = commission_services.commission_appoint(actor=request.user, **data)
        commission = self.get_queryset().get(pk=commission.pk)
        return Response(CommissionSerializer(commission).data, status=status.HTTP_201_CREATED)


class DisposalListViewSet(viewsets.ReadOnlyModelViewSet):
    """Disposal lists (imha listesi) and their flow."""

    def get_queryset(self):
        queryset = access.lists_visible_to(self.request.user).select_related("commission")
        if self.action == "list":
            return queryset.annotate(
                kept_count=Count("items", filter=Q(items__removed=False))
            ).order_by("-year", "-created_at")
        return queryset.select_related("created_by", "approved_by", "executed_by").prefetch_related(
            Prefetch("items", queryset=DisposalItem.objects.select_related("removed_by")),
            Prefetch(
                "approvals", queryset=DisposalApproval.objects.select_related("member__person")
            ),
            Prefetch(
                "commission__members", queryset=CommissionMember.objects.select_related("person")
            ),
        )

    def get_serializer_class(self):
        if self.action == "list":
            return DisposalListBriefSerializer
        return DisposalListSerializer

    def list(self, request, *args, **kwargs):
        _require_access(request)
        return super().list(request, *args, **kwargs)

    def _answer(self, disposal_list, code=status.HTTP_200_OK) -> Response:
        disposal_list = self.get_queryset().get(pk=disposal_list.pk)
        return Response(DisposalListSerializer(disposal_list).data, status=code)

    @extend_schema(
        summary="The chair lists the year's candidates for the commission",
        request=DisposalListInputSerializer,
        responses={201: DisposalListSerializer},
    )
    def create(self, request):
        _require_access(request)
        data = _read(request, DisposalListInputSerializer)
        commission = DisposalCommission.objects.filter(pk=data["commission"]).first()
        if commission is None:
            raise DomainError(_("Choose a commission."), field="commission")
        disposal_list = services.disposal_list_create(
            actor=request.user, commission=commission, year=data["year"]
        )
        return self._answer(disposal_list, status.HTTP_201_CREATED)

    @extend_schema(
        summary="A member takes a folder off the list, with the reason",
        request=ItemRemoveInputSerializer,
        responses={200: DisposalListSerializer},
    )
    @action(detail=True, methods=["post"], url_path="remove-item")
    def remove_item(self, request, pk=None):
        disposal_list = self.get_object()
        data = _read(request, ItemRemoveInputSerializer)
        item = DisposalItem.objects.filter(disposal_list=disposal_list, pk=data["item"]).first()
        if item is None:
            raise DomainError(_("This folder is not on the list."), field="item")
        services.disposal_item_remove(actor=request.user, item=item, reason=data["reason"])
        return self._answer(disposal_list)

    @extend_schema(
        summary="A commission member approves the list (once)",
        request=None,
        responses={200: DisposalListSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        disposal_list = self.get_object()
        services.disposal_approve(actor=request.user, disposal_list=disposal_list)
        return self._answer(disposal_list)

    @extend_schema(
        summary="The authorised superior approves the list",
        request=None,
        responses={200: DisposalListSerializer},
    )
    @action(detail=True, methods=["post"], url_path="superior-approve")
    def superior_approve(self, request, pk=None):
        disposal_list = self.get_object()
        services.disposal_superior_approve(actor=request.user, disposal_list=disposal_list)
        return self._answer(disposal_list)

    @extend_schema(
        summary="Carry out the approved list: delete the electronic content, record the minute",
        request=ExecuteInputSerializer,
        responses={200: DisposalListSerializer},
    )
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        disposal_list = self.get_object()
        data = _read(request, ExecuteInputSerializer)
        execution.disposal_execute(actor=request.user, disposal_list=disposal_list, **data)
        return self._answer(disposal_list)

    @extend_schema(
        summary="Cancel a list before it is carried out",
        request=ReasonInputSerializer,
        responses={200: DisposalListSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        disposal_list = self.get_object()
        data = _read(request, ReasonInputSerializer)
        services.disposal_list_cancel(
            actor=request.user, disposal_list=disposal_list, reason=data["reason"]
        )
        return self._answer(disposal_list)

    @extend_schema(summary="The disposal list (imha listesi) as PDF", responses={200: PDF})
    @action(
        detail=True,
        methods=["get"],
        url_path="list-pdf",
        renderer_classes=[PdfRenderer, JSONRenderer],
    )
    def list_pdf(self, request, pk=None):
        disposal_list = self.get_object()
        return _pdf(
            disposal_pdf.list_pdf_current(disposal_list), f"imha-listesi-{disposal_list.year}.pdf"
        )

    @extend_schema(summary="The disposal minute (imha tutanağı) as PDF", responses={200: PDF})
    @action(
        detail=True,
        methods=["get"],
        url_path="minute-pdf",
        renderer_classes=[PdfRenderer, JSONRenderer],
    )
    def minute_pdf(self, request, pk=None):
        disposal_list = self.get_object()
        data = disposal_pdf.minute_pdf_stored(disposal_list)
        if data is None:
            raise Http404
        return _pdf(data, f"imha-tutanagi-{disposal_list.year}.pdf")
