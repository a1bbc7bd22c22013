"""API of the dashboard and the monthly partner reports (issue 6 points 8 and 9).

The same selectors as the pages, so the same readers: the Chief and the Director of Bilgi
İşlem and those above them; everyone else gets 404.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.downloads import content_disposition

from ..selectors.dashboard import dashboard_get
from ..selectors.reports import (
    parse_month,
    partner_report,
    partner_report_pdf,
    report_organizations,
)

# --- serializers (explicit integer fields: the same schema on SQLite and PostgreSQL) --------


class DashboardRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True, help_text="Queue id, person id (null: not assigned), category or age."
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    breached = serializers.IntegerField(help_text="Of them, past the resolution target.")


class DashboardOpenSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    breached = serializers.IntegerField()
    unassigned = serializers.IntegerField()
    needs_acceptance = serializers.IntegerField()
    by_queue = DashboardRowSerializer(many=True)
    by_person = DashboardRowSerializer(many=True)
    by_category = DashboardRowSerializer(many=True)
    by_age = DashboardRowSerializer(many=True)


class SlaMonthFiguresSerializer(serializers.Serializer):
    month = serializers.DateField()
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    missed = serializers.IntegerField()
    running = serializers.IntegerField()
    compliance = serializers.FloatField(allow_null=True, help_text="Per cent; null: none decided.")
    response_met = serializers.IntegerField()
    response_missed = serializers.IntegerField()
    response_compliance = serializers.FloatField(allow_null=True)


class SlaAgreementFiguresSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(source="agreement_id", allow_null=True)
    title = serializers.CharField()
    months = SlaMonthFiguresSerializer(many=True)


class DashboardFlowSerializer(serializers.Serializer):
    date = serializers.DateField()
    opened = serializers.IntegerField()
    resolved = serializers.IntegerField()
    closed = serializers.IntegerField()
    breached = serializers.IntegerField()
    open_at_end = serializers.IntegerField(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    queue = serializers.IntegerField(source="queue.pk", allow_null=True, default=None)
    open = DashboardOpenSerializer()
    sla = SlaAgreementFiguresSerializer(many=True)
    trend = DashboardFlowSerializer(many=True, help_text="The last 90 days.")
    monthly = DashboardFlowSerializer(
        many=True, help_text="The last twelve months (date: first day)."
    )


class DashboardQuerySerializer(serializers.Serializer):
    queue = serializers.IntegerField(required=False, min_value=1)


class ReportOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="school, muhtarlik, ngo, kaymakamlik, tapu, public_body")
    active = serializers.BooleanField()


class ReportAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class ReportLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ReportTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(source="number_label")
    title = serializers.CharField()
    category = serializers.CharField()
    priority = serializers.CharField()
    state = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolution_breached = serializers.BooleanField()


class PartnerReportSerializer(serializers.Serializer):
    organization = ReportOrganizationSerializer()
    month = serializers.DateField()
    month_end = serializers.DateField()
    agreements = ReportAgreementSerializer(many=True)
    opened = serializers.IntegerField()
    resolved = serializers.IntegerField()
    closed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    open_at_end = serializers.IntegerField()
    sla = SlaMonthFiguresSerializer()
    by_category = ReportLineSerializer(many=True)
    by_priority = ReportLineSerializer(many=True)
    median_resolution_hours = serializers.FloatField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)
    satisfaction_count = serializers.IntegerField()
    tickets = ReportTicketSerializer(many=True)
    truncated = serializers.BooleanField()


def _rows(rows):
    return [
        {
            "key": None if r.key is None else str(r.key),
            "label": r.label,
            "count": r.count,
            "breached": r.breached,
        }
        for r in rows
    ]


# --- views -----------------------------------------------------------------------------------


@extend_schema(tags=["servicedesk"])
class DashboardViewSet(viewsets.ViewSet):
    """The Chief's and Director's dashboard figures."""

    @extend_schema(
        summary="Open requests, SLA compliance per agreement per month, backlog trend",
        parameters=[
            OpenApiParameter("queue", int, description="Narrow every figure to one queue.")
        ],
        responses={200: DashboardSerializer},
    )
    def list(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dashboard_get(request.user, queue_id=query.validated_data.get("queue"))
        figures = data.open
        payload = {
            "today": data.today,
            "queue": data.queue,
            "open": {
                "total": figures.total,
                "breached": figures.breached,
                "unassigned": figures.unassigned,
                "needs_acceptance": figures.needs_acceptance,
                "by_queue": _rows(figures.by_queue),
                "by_person": _rows(figures.by_person),
                "by_category": _rows(figures.by_category),
                "by_age": _rows(figures.by_age),
            },
            "sla": data.sla,
            "trend": data.trend,
            "monthly": data.monthly,
        }
        return Response(DashboardSerializer(payload).data)


ORGANIZATION = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Organisation id.")
MONTH = OpenApiParameter(
    "month", str, OpenApiParameter.PATH, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM"
)


@extend_schema(tags=["servicedesk"])
class PartnerReportViewSet(viewsets.ViewSet):
    """Monthly reports per partner organisation (RYY art. 5)."""

    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="Organisations a report can be made for",
        responses={200: ReportOrganizationSerializer(many=True)},
    )
    def list(self, request):
        return Response(
            ReportOrganizationSerializer(report_organizations(request.user), many=True).data
        )

    @extend_schema(
        summary="An organisation's report for a month",
        parameters=[ORGANIZATION, MONTH],
        responses={200: PartnerReportSerializer},
    )
    @action(detail=True, url_path=r"(?P<month>\d{4}-\d{2})", url_name="month")
    def month(self, request, pk=None, month=None):
        report = partner_report(request.user, pk, parse_month(month))
        return Response(PartnerReportSerializer(report).data)

    @extend_schema(
        summary="An organisation's report for a month as PDF",
        parameters=[ORGANIZATION, MONTH],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, url_path=r"(?P<month>\d{4}-\d{2})/pdf", url_name="month-pdf")
    def month_pdf(self, request, pk=None, month=None):
        report = partner_report(request.user, pk, parse_month(month))
        response = HttpResponse(
            partner_report_pdf(report, printed_by=request.user), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition(
            f"{report.organization.name} {report.slug}.pdf"
        )
        response["Cache-Control"] = "private, no-store"
        return response
