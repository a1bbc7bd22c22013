"""API of the taşınır reports under /api/assets/reports/ (services/reports.py): the same
tables as the pages, as JSON. For the Director, the kayıt and the kontrol yetkilisi; anyone
else gets 404. A bad year or month answers 400 naming the field.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..services import reports as services

QTY = {"max_digits": 20, "decimal_places": 3}
MONEY = {"max_digits": 20, "decimal_places": 2}


class ReportMovementSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    is_account = serializers.BooleanField(help_text="An account's subtotal (150, 253, 255 …).")
    opening_qty = serializers.DecimalField(**QTY, help_text="Carried over from last year.")
    opening_value = serializers.DecimalField(**MONEY)
    entered_qty = serializers.DecimalField(**QTY)
    entered_value = serializers.DecimalField(**MONEY)
    total_qty = serializers.DecimalField(**QTY)
    total_value = serializers.DecimalField(**MONEY)
    left_qty = serializers.DecimalField(**QTY)
    left_value = serializers.DecimalField(**MONEY)
    closing_qty = serializers.DecimalField(**QTY, help_text="Carried to the next year.")
    closing_value = serializers.DecimalField(**MONEY)


class ManagementAccountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    unit = serializers.CharField(help_text="The spending unit (harcama birimi).")
    rows = ReportMovementSerializer(many=True)
    total = ReportMovementSerializer()


class ConsumableRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="code__code")
    title = serializers.CharField(source="code__title")
    name = serializers.CharField(source="description")
    unit_of_measure = serializers.CharField()
    quantity = serializers.DecimalField(**QTY)
    value = serializers.DecimalField(**MONEY)
    vif_count = serializers.IntegerField()
    first_vif = serializers.IntegerField()
    last_vif = serializers.IntegerField()


class ConsumableVifSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="vif__number")
    date = serializers.DateField(source="vif__date")
    supporting_reference = serializers.CharField(source="vif__supporting_reference")
    value = serializers.DecimalField(**MONEY)


class ConsumablesMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    unit = serializers.CharField()
    rows = ConsumableRowSerializer(many=True)
    vifs = ConsumableVifSerializer(many=True)
    total = serializers.DecimalField(**MONEY)


class LastVifSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    unit = serializers.CharField()
    last_number = serializers.IntegerField(allow_null=True)
    last_date = serializers.DateField(allow_null=True)
    signed = serializers.IntegerField()
    drafts = serializers.IntegerField(help_text="Drafts of the year still waiting to be signed.")
    gapless = serializers.BooleanField(help_text="Signed VİFs run from 1 to the last number.")
    year_over = serializers.BooleanField()


class BookLineSerializer(serializers.Serializer):
    code = serializers.CharField(source="code__code")
    sicil_no = serializers.CharField(source="asset__sicil_no", allow_null=True)
    name = serializers.CharField()
    vif_number = serializers.IntegerField(source="vif__number")
    date = serializers.DateField(source="vif__date")
    kind = serializers.CharField(source="vif__kind")
    # A plain string: a "direction" enum elsewhere in the schema would clash in name.
    direction = serializers.CharField(help_text="entry or exit")
    store = serializers.CharField(source="vif__store__name")
    quantity = serializers.DecimalField(**QTY)
    value = serializers.DecimalField(**MONEY, source="amount")


class DurablesBookSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    code = serializers.CharField()
    summary = ReportMovementSerializer(many=True)
    count = serializers.IntegerField(help_text="Lines of the year.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    lines = BookLineSerializer(many=True)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class MonthQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")


class BookQuerySerializer(YearQuerySerializer):
    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    page = serializers.IntegerField(required=False, min_value=1, default=1)


YEAR = OpenApiParameter("year", int, required=True, description="Fiscal year.")
MONTH = OpenApiParameter("month", str, required=True, description="YYYY-MM")


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


@extend_schema(tags=["assets"])
class ReportViewSet(viewsets.ViewSet):
    """Year-end and monthly tables of the taşınır records."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not services.may_view_reports(request.user):
            raise Http404(_("No such page."))

    @extend_schema(
        summary="Harcama Birimi Taşınır Mal Yönetim Hesabı Cetveli of a year",
        parameters=[YEAR],
        responses={200: ManagementAccountSerializer},
    )
    @action(detail=False, methods=["get"], url_path="management-account")
    def management_account(self, request):
        report = services.management_account(_query(YearQuerySerializer, request)["year"])
        data = {
            "year": report.year,
            "unit": report.unit,
            "rows": [row.as_dict() for row in report.rows],
            "total": report.total.as_dict(),
        }
        return Response(ManagementAccountSerializer(data).data)

    @extend_schema(
        summary="Consumables (account 150) issued in a month, for accounting",
        parameters=[MONTH],
        responses={200: ConsumablesMonthSerializer},
    )
    @action(detail=False, methods=["get"], url_path="consumables-issued")
    def consumables_issued(self, request):
        month = services.parse_month(_query(MonthQuerySerializer, request)["month"])
        return Response(ConsumablesMonthSerializer(services.consumables_issued(month)).data)

    @extend_schema(
        summary="The last VİF number of a year (year-end tutanak)",
        parameters=[YEAR],
        responses={200: LastVifSerializer},
    )
    @action(detail=False, methods=["get"], url_path="last-vif")
    def last_vif(self, request):
        report = services.last_vif(_query(YearQuerySerializer, request)["year"])
        return Response(LastVifSerializer(report).data)

    @extend_schema(
        summary="Dayanıklı Taşınırlar Defteri of a year, a page of lines at a time",
        parameters=[
            YEAR,
            OpenApiParameter("code", str, description="A code and everything under it."),
            OpenApiParameter("page", int, description="Page of 100 lines (default 1)."),
        ],
        responses={200: DurablesBookSerializer},
    )
    @action(detail=False, methods=["get"], url_path="durables-book")
    def durables_book(self, request):
        query = _query(BookQuerySerializer, request)
        year, code = query["year"], query.get("code", "").strip()
        lines = services.durables_book_lines(year, code)
        count = lines.count()
        size = services.BOOK_PAGE_SIZE
        pages = max(1, -(-count // size))
        page = min(query["page"], pages)
        rows = list(lines[(page - 1) * size : page * size])
        for row in rows:
            row["name"] = services.book_name(row)
            row["direction"] = services.book_direction(row["vif__kind"])
        data = {
            "year": year,
            "code": code,
            "summary": [m.as_dict() for m in services.durables_book_summary(year, code)],
            "count": count,
            "page": page,
            "pages": pages,
            "lines": rows,
        }
        return Response(DurablesBookSerializer(data).data)
