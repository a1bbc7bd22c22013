"""API of hardware and software needs (RYY art. 6(ı)): submit, assess, the yearly list."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import OrgUnit

from .. import permissions
from ..choices import NeedKind
from ..models import Need
from ..services import needs as services


class NeedSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    year = serializers.IntegerField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    assessed_by = serializers.CharField(
        source="assessed_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Need
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "kind",
            "description",
            "quantity",
            "justification",
            "submitted_by",
            "submitted_at",
            "state",
            "estimated_unit_cost",
            "assessed_by",
            "assessment_note",
        ]
        read_only_fields = fields


class NeedInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NeedKind.choices)
    description = serializers.CharField(max_length=500)
    quantity = serializers.IntegerField(required=False, default=1)
    justification = serializers.CharField()


class AssessInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    estimated_unit_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary="Needs", parameters=[OpenApiParameter("year", int, description="Budget year.")]
    ),
    retrieve=extend_schema(summary="A need"),
    create=extend_schema(
        summary="Submit a need", request=NeedInputSerializer, responses={201: NeedSerializer}
    ),
)
class NeedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NeedSerializer
    filter_backends: list = []

    def get_queryset(self):
        queryset = services.needs_visible(self.request.user)
        year = self.request.query_params.get("year", "")
        if self.action == "list" and year.isdigit():
            queryset = queryset.filter(year=int(year))
        return queryset.order_by("-year", "unit__name", "-submitted_at")

    def create(self, request):
        # Someone with no unit to speak for (a partner account) is refused before the body.
        if not services.units_for_needs(request.user):
            raise PermissionDeniedError(_("Needs are submitted by the staff of a unit."))
        serializer = NeedInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = OrgUnit.objects.filter(pk=data.pop("unit")).first()
        if unit is None:
            raise DomainError(_("You may submit needs only for your own unit."), field="unit")
        need = services.need_submit(actor=request.user, unit=unit, **data)
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Assess a need (Director or Chief of Bilgi İşlem)",
        request=AssessInputSerializer,
        responses={200: NeedSerializer},
    )
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        need = self.get_object()
        serializer = AssessInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = services.need_assess(actor=request.user, need=need, **serializer.validated_data)
        return Response(NeedSerializer(need).data)

    @extend_schema(
        summary="The yearly needs list as CSV",
        parameters=[OpenApiParameter("year", int, required=True, description="Budget year.")],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"], url_path="list-csv", pagination_class=None)
    def list_csv(self, request):
        if not permissions.is_asset_staff(request.user):
            raise NotFound
        year = request.query_params.get("year", "")
        if not year.isdigit():
            raise DomainError(_("Enter the budget year."), field="year")
        body = "\ufeff" + services.needs_list_csv(int(year))
        return HttpResponse(body, content_type="text/csv; charset=utf-8")
