"""Archive export API (issue 5 point 8): a folder, a year or a unit archive as a BagIt bag,
downloaded as .zip or .tar. For the archive officers and the Directors (and above) keeping
those folders; a folder or unit outside the person's reach, or a person who keeps none,
answers 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from bilgiislem.organization.models import OrgUnit

from ..services.export import exportable_unit_ids, folders_for_export
from ..views.export import bag_download, may_export


class BagRenderer(BaseRenderer):
    """Lets the bag be asked for with any ``Accept``; errors still go out as JSON."""

    media_type = "*/*"
    format = "bag"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class ExportQuerySerializer(serializers.Serializer):
    folder = serializers.IntegerField(required=False, min_value=1)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999)
    unit = serializers.CharField(required=False, max_length=60, help_text="Unit code.")
    # Not "format": DRF reads that query parameter to choose a renderer.
    package = serializers.ChoiceField(choices=["zip", "tar"], default="zip")

    def validate(self, attrs):
        if not (attrs.get("folder") or attrs.get("year") or attrs.get("unit")):
            raise serializers.ValidationError(
                {"folder": [_("Choose a folder, a year or a unit to export.")]}
            )
        return attrs


@extend_schema(tags=["archive"])
class ArchiveExportView(APIView):
    renderer_classes = [JSONRenderer, BagRenderer]

    @extend_schema(
        summary="Download folders as a validated BagIt bag (.zip or .tar)",
        parameters=[
            OpenApiParameter("folder", int, description="A folder id."),
            OpenApiParameter("year", int, description="Every folder of the year."),
            OpenApiParameter("unit", str, description="A unit code: it and its sub-units."),
            OpenApiParameter("package", str, enum=["zip", "tar"], description="Default zip."),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.BINARY, description="application/zip or x-tar"),
            400: OpenApiResponse(description="Nothing chosen, or nothing to export."),
            404: OpenApiResponse(description="Not a folder or unit the person may export."),
        },
    )
    def get(self, request):
        if not may_export(request.user):
            raise Http404
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        if data.get("unit"):
            unit = OrgUnit.objects.filter(code=data["unit"]).first()
            allowed = exportable_unit_ids(request.user)
            if unit is None or (allowed is not None and unit.pk not in allowed):
                raise Http404
            data["unit"] = unit
        if data.get("folder"):
            folder = (
                folders_for_export(request.user)
                .select_related("unit", "code")
                .filter(pk=data["folder"])
                .first()
            )
            if folder is None:
                raise Http404
            data["folder"] = folder
        return bag_download(actor=request.user, data=data, fmt=data["package"])
