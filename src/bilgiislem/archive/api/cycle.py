"""The yearly cycle API (standards.md 4) under /api/archive/.

- ``cycle``: this year's state per unit the person follows.
- ``annual-reviews``: each unit's list of its folders closed in a year (January), and the
  confirmation by the unit's Director or Chief.
- ``transfer-lists``: February's lists of folders leaving the unit archive: prepare, hand over
  (the unit), receive (the institutional archive officer), take a folder off, cancel, PDF.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit

from ..choices import FolderStage, TransferKind, TransferState
from ..models import Folder, TransferList
from ..services import cycle
from .serializers import ArchivePersonSerializer, ArchiveUnitSerializer

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")
YEAR = OpenApiParameter(
    "year", int, description="The year of the folders (default: last year) or of the cycle."
)


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


# --- serializers -----------------------------------------------------------------------------


class CycleFolderSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.code", read_only=True)
    year = serializers.IntegerField(read_only=True)
    stage = serializers.ChoiceField(choices=FolderStage.choices, read_only=True)
    document_count = serializers.IntegerField(read_only=True)
    unit_archive_until = serializers.IntegerField(read_only=True, allow_null=True)
    retention_until = serializers.IntegerField(read_only=True, allow_null=True)
    location = serializers.IntegerField(source="location_id", read_only=True, allow_null=True)

    class Meta:
        model = Folder
        fields = [
            "id",
            "code",
            "title",
            "year",
            "stage",
            "document_count",
            "closed_at",
            "unit_archive_until",
            "retention_until",
            "location",
        ]
        read_only_fields = fields


class AnnualReviewSerializer(serializers.Serializer):
    unit = ArchiveUnitSerializer()
    year = serializers.IntegerField()
    folders = CycleFolderSerializer(many=True)
    confirmed = serializers.BooleanField()
    checked_by = ArchivePersonSerializer(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


def _review_data(entry: cycle.UnitReview) -> dict:
    review = entry.review
    return {
        "unit": entry.unit,
        "year": entry.year,
        "folders": entry.folders,
        "confirmed": entry.confirmed,
        "checked_by": review.checked_by if review else None,
        "checked_at": review.checked_at if review else None,
        "note": review.note if review else "",
    }


class ReviewConfirmInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=1900, max_value=2999)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransferListSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=TransferKind.choices, read_only=True)
    state = serializers.ChoiceField(choices=TransferState.choices, read_only=True)
    unit = ArchiveUnitSerializer(read_only=True)
    year = serializers.IntegerField(read_only=True)
    created_by = ArchivePersonSerializer(read_only=True)
    handed_by = ArchivePersonSerializer(read_only=True)
    received_by = ArchivePersonSerializer(read_only=True)
    folders = CycleFolderSerializer(many=True, read_only=True)

    class Meta:
        model = TransferList
        fields = [
            "id",
            "kind",
            "unit",
            "year",
            "state",
            "created_by",
            "created_at",
            "handed_by",
            "handed_at",
            "received_by",
            "received_at",
            "folders",
        ]
        read_only_fields = fields


class TransferPrepareInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=1900, max_value=2999)


class TransferReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class RemoveFolderInputSerializer(TransferReasonInputSerializer):
    folder = serializers.IntegerField(min_value=1)


class CycleUnitSerializer(serializers.Serializer):
    unit = ArchiveUnitSerializer()
    review_folders = serializers.IntegerField()
    review_confirmed = serializers.BooleanField()
    transfer_due = serializers.IntegerField()
    transfer_lists = serializers.ListField(child=serializers.IntegerField())


# --- views -----------------------------------------------------------------------------------


def _read(request, serializer_class) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _year(request, default: int) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise DomainError(_("Give the year."), field="year") from None


def _unit_followed(user, unit_id) -> OrgUnit:
    units = cycle.cycle_unit_ids(user)
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or (units is not None and unit.pk not in units):
        raise Http404(_("No such unit."))
    return unit


@extend_schema(tags=["archive"])
class CycleViewSet(viewsets.ViewSet):
    """The yearly cycle at a glance."""

    @extend_schema(
        summary="This year's cycle per unit the person follows",
        parameters=[YEAR],
        responses={200: CycleUnitSerializer(many=True)},
    )
    def list(self, request):
        year = _year(request, timezone.localdate().year)
        rows = cycle.cycle_overview(request.user, year)
        data = [
            {
                "unit": row.unit,
                "review_folders": row.review_folders,
                "review_confirmed": bool(row.review and row.review.checked_at),
                "transfer_due": row.transfer_due,
                "transfer_lists": [t.pk for t in row.transfers],
            }
            for row in rows
        ]
        return Response(CycleUnitSerializer(data, many=True).data)


@extend_schema(tags=["archive"])
class AnnualReviewViewSet(viewsets.ViewSet):
    """January: each unit checks its folders closed the year before."""

    @extend_schema(
        summary="Each unit's list of its folders closed in a year",
        parameters=[YEAR],
        responses={200: AnnualReviewSerializer(many=True)},
    )
    def list(self, request):
        year = _year(request, timezone.localdate().year - 1)
        entries = cycle.annual_review_lists(year, person=request.user)
        return Response(AnnualReviewSerializer([_review_data(e) for e in entries], many=True).data)

    @extend_schema(
        summary="Confirm a unit's check (its Director or Chief)",
        request=ReviewConfirmInputSerializer,
        responses={200: AnnualReviewSerializer},
    )
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        data = _read(request, ReviewConfirmInputSerializer)
        unit = _unit_followed(request.user, data["unit"])
        cycle.annual_review_confirm(
            actor=request.user, unit=unit, year=data["year"], note=data["note"]
        )
        (entry,) = cycle.annual_review_lists(data["year"], unit=unit)
        return Response(AnnualReviewSerializer(_review_data(entry)).data)


@extend_schema(tags=["archive"])
@extend_schema_view(
    list=extend_schema(summary="Transfer lists the person may see", parameters=[YEAR]),
    retrieve=extend_schema(summary="A transfer list with its folders"),
)
class TransferListViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """February: folders handed from a unit archive to the institutional archive."""

    serializer_class = TransferListSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = (
            cycle.transfers_visible_to(self.request.user)
            .select_related("unit", "created_by", "handed_by", "received_by")
            .prefetch_related("folders__code")
            .order_by("-year", "-created_at", "-id")
        )
        if self.action == "list" and self.request.query_params.get("year"):
            queryset = queryset.filter(year=_year(self.request, 0))
        return queryset

    def _answer(self, transfer, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=transfer.pk)).data, code)

    @extend_schema(
        summary="Prepare a unit's list: every folder due to leave its unit archive",
        request=TransferPrepareInputSerializer,
        responses={201: TransferListSerializer},
    )
    def create(self, request):
        data = _read(request, TransferPrepareInputSerializer)
        unit = _unit_followed(request.user, data["unit"])
        transfer = cycle.transfer_list_prepare(actor=request.user, unit=unit, year=data["year"])
        return self._answer(transfer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign off for the unit (its Director, Chief or archive officer)",
        request=None,
        responses={200: TransferListSerializer},
    )
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        transfer = self.get_object()
        cycle.transfer_list_hand_over(actor=request.user, transfer=transfer)
        return self._answer(transfer)

    @extend_schema(
        summary="Sign off for the institutional archive (its archive officer)",
        request=None,
        responses={200: TransferListSerializer},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        transfer = self.get_object()
        cycle.transfer_list_receive(actor=request.user, transfer=transfer)
        return self._answer(transfer)

    @extend_schema(
        summary="Take a folder off a draft list, with a reason",
        request=RemoveFolderInputSerializer,
        responses={200: TransferListSerializer},
    )
    @action(detail=True, methods=["post"], url_path="remove-folder")
    def remove_folder(self, request, pk=None):
        transfer = self.get_object()
        data = _read(request, RemoveFolderInputSerializer)
        folder = transfer.folders.filter(pk=data["folder"]).first()
        if folder is None:
            raise DomainError(_("That folder is not on this list."), field="folder")
        cycle.transfer_list_remove(
            actor=request.user, transfer=transfer, folder=folder, reason=data["reason"]
        )
        return self._answer(transfer)

    @extend_schema(
        summary="Cancel a draft list, with a reason",
        request=TransferReasonInputSerializer,
        responses={200: TransferListSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        transfer = self.get_object()
        data = _read(request, TransferReasonInputSerializer)
        cycle.transfer_list_cancel(actor=request.user, transfer=transfer, reason=data["reason"])
        return self._answer(transfer)

    @extend_schema(summary="The list to print and sign (PDF)", responses={200: PDF})
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request, pk=None):
        transfer = self.get_object()
        response = HttpResponse(
            cycle.transfer_list_pdf(transfer, printed_by=request.user),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="devir-teslim-{transfer.unit.code}-{transfer.year}.pdf"'
        )
        return response


router = SimpleRouter()
router.register("cycle", CycleViewSet, basename="cycle")
router.register("annual-reviews", AnnualReviewViewSet, basename="annual-review")
router.register("transfer-lists", TransferListViewSet, basename="transfer-list")
urlpatterns = router.urls
