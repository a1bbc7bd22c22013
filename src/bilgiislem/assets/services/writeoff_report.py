"""The yearly consolidated write-off report: what was taken off the records in a year on a
Kayıttan Düşme Teklif ve Onay Tutanağı — quantity, registered value, total and the reason —
presented to the top manager in the first month of the next year (Taşınır Mal Yönetmeliği
2024 art. 10/1-e, last sentence).

Read from the signed exit VİFs of the year (a write-off leaves the records when its VİF is
signed off): write-off VİFs take the reason of their write-off, count-shortage VİFs are the
count shortages. Aggregated in SQL, one query for the table and one for the lines.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind

from .. import permissions
from ..choices import VifKind, VifState, WriteOffReason
from ..models import VifLine, WriteOff

KINDS = (VifKind.WRITE_OFF, VifKind.COUNT_SHORTAGE)


def may_view_report(person) -> bool:
    """Bilgi İşlem staff (who see the write-offs) and the top manager it is presented to."""
    if permissions.is_asset_staff(person):
        return True
    return any(p.kind == PositionKind.BASKAN for p in org.effective_posts(person))


def due_date(year: int) -> datetime.date:
    """The report on ``year`` is due by the end of January of the next year."""
    return datetime.date(year + 1, 1, 31)


@dataclasses.dataclass
class ReportRow:
    reason: str
    reason_label: str
    code: str
    title: str
    quantity: Decimal
    total: Decimal


@dataclasses.dataclass
class Report:
    year: int
    rows: list[ReportRow]
    lines: list[dict]
    by_reason: list[tuple[str, Decimal, Decimal]]  # reason label, quantity, total
    quantity: Decimal
    total: Decimal

    @property
    def due(self) -> datetime.date:
        return due_date(self.year)


def _lines(year: int):
    reason = Subquery(WriteOff.objects.filter(vif_id=OuterRef("vif_id")).values("reason")[:1])
    return (
        VifLine.objects.filter(vif__year=year, vif__state=VifState.SIGNED, vif__kind__in=KINDS)
        .annotate(
            reason=Case(
                When(vif__kind=VifKind.COUNT_SHORTAGE, then=Value(WriteOffReason.COUNT_SHORTAGE)),
                default=reason,
                output_field=CharField(),
            )
        )
        .order_by()
    )


def writeoff_year_report(year: int) -> Report:
    labels = dict(WriteOffReason.choices)
    grouped = (
        _lines(year)
        .values("reason", "code__code", "code__title")
        .annotate(
            qty=Sum("quantity"),
            amount=Sum(
                ExpressionWrapper(
                    F("quantity") * F("unit_price"),
                    output_field=DecimalField(max_digits=24, decimal_places=5),
                )
            ),
        )
        .order_by("reason", "code__code")
    )
    rows = [
        ReportRow(
            reason=g["reason"] or "",
            reason_label=str(labels.get(g["reason"], g["reason"] or "")),
            code=g["code__code"],
            title=g["code__title"],
            quantity=g["qty"] or Decimal(0),
            total=Decimal(g["amount"] or 0).quantize(Decimal("0.01")),
        )
        for g in grouped
    ]
    lines = list(
        _lines(year)
        .values(
            "reason",
            "vif__number",
            "vif__date",
            "asset__sicil_no",
            "code__code",
            "description",
            "quantity",
            "unit_price",
        )
        .order_by("vif__number", "id")
    )
    for line in lines:
        line["reason_label"] = str(labels.get(line["reason"], line["reason"] or ""))
        line["total"] = (line["quantity"] * line["unit_price"]).quantize(Decimal("0.01"))
    by_reason: dict[str, list[Decimal]] = {}
    for row in rows:
        sums = by_reason.setdefault(row.reason_label, [Decimal(0), Decimal(0)])
        sums[0] += row.quantity
        sums[1] += row.total
    return Report(
        year=year,
        rows=rows,
        lines=lines,
        by_reason=[(label, q, t) for label, (q, t) in by_reason.items()],
        quantity=sum((r.quantity for r in rows), Decimal(0)),
        total=sum((r.total for r in rows), Decimal(0)),
    )


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def report_csv(report: Report) -> str:
    """The report's lines as CSV (semicolon-separated for Turkish spreadsheets)."""
    with translation.override(settings.LANGUAGE_CODE):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            [
                translation.gettext("Reason"),
                translation.gettext("VİF number"),
                translation.gettext("VİF date"),
                translation.gettext("Registration number (sicil)"),
                translation.gettext("Movable property code"),
                translation.gettext("Description"),
                translation.gettext("Quantity"),
                translation.gettext("Registered value"),
                translation.gettext("Total"),
            ]
        )
        for line in report.lines:
            writer.writerow(
                [
                    line["reason_label"],
                    f"{report.year}/{line['vif__number']}",
                    line["vif__date"].isoformat(),
                    line["asset__sicil_no"] or "",
                    line["code__code"],
                    line["description"],
                    _qty(line["quantity"]),
                    f"{line['unit_price']:.2f}",
                    f"{line['total']:.2f}",
                ]
            )
        writer.writerow(
            [
                translation.gettext("Total"),
                "",
                "",
                "",
                "",
                "",
                _qty(report.quantity),
                "",
                f"{report.total:.2f}",
            ]
        )
    return out.getvalue()


def report_pdf(report: Report) -> bytes:
    """The consolidated report as PDF: per reason and code, then every item."""
    from bilgiislem.core.pdf import html_to_pdf
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "assets/writeoff/year_report_pdf.html",
            {
                "report": report,
                "letterhead": institution.letterhead if institution else "",
                "printed_at": timezone.localtime(),
            },
        )
    return html_to_pdf(html)
