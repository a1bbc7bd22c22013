"""Fixity API (issue 5 point 7): the coverage of the cycle, the runs, the problems and their
resolution. For the Director of the directorate that runs the system and the system
administrators named in BILGIISLEM_FIXITY_ALERT_TO; anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import FixityIssue, FixityRun
from ..services import fixity


class FixityCoverageSerializer(serializers.Serializer):
    files = serializers.IntegerField()
    checked_in_cycle = serializers.IntegerField()
    percent = serializers.FloatField()
    never_checked = serializers.IntegerField()
    failing = serializers.IntegerField()
    cycle_days = serializers.IntegerField()
    open_issues = serializers.IntegerField()


class FixityRunSerializer(serializers.ModelSerializer):
    files_checked = serializers.IntegerField(read_only=True)
    bytes_checked = serializers.IntegerField(read_only=True)
    problems = serializers.IntegerField(read_only=True)

    class Meta:
        model = FixityRun
        fields = [
            "id",
            "kind",
            "started_at",
            "finished_at",
            "files_checked",
            "bytes_checked",
            "problems",
        ]
        read_only_fields = fields


class FixityIssueSerializer(serializers.ModelSerializer):
    found_in = serializers.IntegerField(source="found_in_id", read_only=True)
    resolved_by = serializers.CharField(
        source="resolved_by.username", read_only=True, allow_null=True, default=None
    )
    files = serializers.SerializerMethodField()

    class Meta:
        model = FixityIssue
        fields = [
            "id",
            "sha256",
            "problem",
            "found_in",
            "found_at",
            "files",
            "resolved_by",
            "resolved_at",
            "resolution",
        ]
        read_only_fields = fields

    def get_files(self, issue) -> list[str]:
        return fixity.referencing_files(issue.sha256)


class FixityOverviewSerializer(serializers.Serializer):
    coverage = FixityCoverageSerializer()
    runs = FixityRunSerializer(many=True)
    open_issues = FixityIssueSerializer(many=True)


class FixityResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="What was done about the problem."
    )


class _OverseersOnly:
    def check_overseer(self, request) -> None:
        if not fixity.can_oversee_fixity(request.user):
            raise Http404


@extend_schema(tags=["archive"])
class FixityOverviewView(_OverseersOnly, APIView):
    """Coverage of the fixity cycle, the last runs and the open problems."""

    @extend_schema(responses=FixityOverviewSerializer, summary="Fixity overview")
    def get(self, request):
        self.check_overseer(request)
        data = {
            "coverage": fixity.coverage(),
            "runs": FixityRun.objects.order_by("-started_at", "-id")[:20],
            "open_issues": FixityIssue.objects.filter(resolved_at__isnull=True)
            .select_related("resolved_by")
            .order_by("found_at", "id")[:200],
        }
        return Response(FixityOverviewSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="Fixity runs, newest first",
        parameters=[OpenApiParameter("kind", str, enum=["cycle", "sample", "full"])],
    ),
    retrieve=extend_schema(summary="A fixity run"),
)
@extend_schema(tags=["archive"])
class FixityRunViewSet(_OverseersOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = FixityRunSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FixityRun.objects.none()
        self.check_overseer(self.request)
        runs = FixityRun.objects.order_by("-started_at", "-id")
        kind = self.request.query_params.get("kind")
        return runs.filter(kind=kind) if kind else runs


@extend_schema_view(
    list=extend_schema(
        summary="Fixity problems (open first, then the most recently resolved)",
        parameters=[OpenApiParameter("open", bool, description="Only open (true) or resolved.")],
    ),
    retrieve=extend_schema(summary="A fixity problem"),
)
@extend_schema(tags=["archive"])
class FixityIssueViewSet(_OverseersOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = FixityIssueSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FixityIssue.objects.none()
        self.check_overseer(self.request)
        issues = FixityIssue.objects.select_related("resolved_by").order_by(
            "-resolved_at", "found_at", "id"
        )
        wanted = (self.request.query_params.get("open") or "").lower()
        if wanted in ("true", "1"):
            issues = issues.filter(resolved_at__isnull=True)
        elif wanted in ("false", "0"):
            issues = issues.filter(resolved_at__isnull=False)
        return issues

    @extend_schema(
        request=FixityResolveSerializer,
        responses=FixityIssueSerializer,
        summary="Resolve a fixity problem with a note saying what was done",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        issue = self.get_object()
        serializer = FixityResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue = fixity.fixity_issue_resolve(
            actor=request.user, issue=issue, note=serializer.validated_data["resolution"]
        )
        return Response(FixityIssueSerializer(issue).data)
