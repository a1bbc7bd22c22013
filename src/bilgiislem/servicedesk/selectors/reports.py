"""The monthly report per partner organisation (issue 6 point 8; RYY art. 5 transparency and
accountability, art. 6(o), 6(ö)): what the organisation asked for in a month, what was done,
and how the agreement's targets went. Read by the dashboard's readers only (404 otherwise).

Every query is limited to one organisation (index ``ticket_organization``), so the report
costs the same at 500,000 requests as at 500.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import statistics

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import OPEN_STATES, Category, Priority, TicketState
from ..models import PartnerOrganization, ServiceAgreement, Ticket
from .dashboard import DONE, NOT_COUNTED, SlaMonth, dashboard_check, local_midnight, month_start

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
REPORT_MONTHS = 12
# A month's list stops here in the page and the PDF; the counts above it stay exact.
ROW_LIMIT = 500


@dataclasses.dataclass
class Line:
    key: str
    label: str
    count: int


@dataclasses.dataclass
class PartnerReport:
    organization: PartnerOrganization
    month: datetime.date
    month_end: datetime.date
    agreements: list[ServiceAgreement]
    opened: int
    resolved: int
    closed: int
    cancelled: int
    open_at_end: int
    sla: SlaMonth
    by_category: list[Line]
    by_priority: list[Line]
    median_resolution_hours: float | None
    satisfaction: float | None
    satisfaction_count: int
    tickets: list[Ticket]
    truncated: bool

    @property
    def slug(self) -> str:
        return self.month.strftime("%Y-%m")


def report_months(today: datetime.date | None = None) -> list[datetime.date]:
    """The months a report may be asked for on the index page, newest first."""
    today = today or timezone.localdate()
    return [month_start(today, back) for back in range(REPORT_MONTHS)]


def parse_month(value: str, today: datetime.date | None = None) -> datetime.date:
    """``2025-03`` → 1 March 2025; malformed or future months answer 404."""
    today = today or timezone.localdate()
    match = MONTH_RE.match(value or "")
    if not match:
        raise Http404
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 2000:
        raise Http404
    first = datetime.date(year, month, 1)
    if first > today:
        raise Http404
    return first


def report_organizations(person) -> list[PartnerOrganization]:
    """The partner organisations a report can be made for (the dashboard's readers only)."""
    dashboard_check(person)
    return list(PartnerOrganization.objects.order_by("name"))


def _next_month(first: datetime.date) -> datetime.date:
    return month_start(first, -1)


def partner_report(person, organization_id, month: datetime.date) -> PartnerReport:
    """The report of one organisation for the month starting ``month`` (else 404)."""
    dashboard_check(person)
    organization = get_object_or_404(PartnerOrganization, pk=organization_id)
    end_day = _next_month(month)
    start, end = local_midnight(month), local_midnight(end_day)
    mine = Ticket.objects.filter(organization=organization)
    in_month = mine.filter(created_at__gte=start, created_at__lt=end).exclude(
        state=TicketState.UNCONFIRMED
    )
    figures = in_month.aggregate(
        opened=Count("id"),
        cancelled=Count("id", filter=Q(state__in=[TicketState.CANCELLED, TicketState.MERGED])),
        met=Count(
            "id",
            filter=Q(state__in=DONE, resolution_breached=False) & ~Q(state__in=NOT_COUNTED),
        ),
        missed=Count("id", filter=Q(resolution_breached=True) & ~Q(state__in=NOT_COUNTED)),
        response_met=Count(
            "id",
            filter=Q(first_response_at__isnull=False, response_breached=False)
            & ~Q(state__in=NOT_COUNTED),
        ),
        response_missed=Count("id", filter=Q(response_breached=True) & ~Q(state__in=NOT_COUNTED)),
    )
    sla = SlaMonth(
        month,
        total=figures["opened"] - figures["cancelled"],
        met=figures["met"],
        missed=figures["missed"],
        response_met=figures["response_met"],
        response_missed=figures["response_missed"],
    )
    resolved_rows = list(
        mine.filter(resolved_at__gte=start, resolved_at__lt=end).values_list(
            "created_at", "resolved_at"
        )
    )
    hours = [(r - c).total_seconds() / 3600 for c, r in resolved_rows if r >= c]
    closed = mine.filter(closed_at__gte=start, closed_at__lt=end)
    rated = closed.filter(satisfaction__isnull=False).aggregate(
        avg=Avg("satisfaction"), n=Count("id")
    )
    open_states = [str(s) for s in OPEN_STATES]
    open_at_end = (
        mine.filter(created_at__lt=end)
        .filter(
            Q(state__in=open_states)
            | Q(resolved_at__gte=end)
            | Q(resolved_at__isnull=True, closed_at__gte=end)
        )
        .exclude(state=TicketState.UNCONFIRMED)
        .count()
    )
    tickets = list(in_month.select_related("queue").order_by("created_at", "id")[: ROW_LIMIT + 1])
    for ticket in tickets:
        ticket.target_label = target_label(ticket)
    agreements = list(
        ServiceAgreement.objects.filter(organization=organization, valid_from__lt=end_day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=month))
        .order_by("valid_from")
    )
    return PartnerReport(
        organization=organization,
        month=month,
        month_end=end_day - datetime.timedelta(days=1),
        agreements=agreements,
        opened=figures["opened"],
        resolved=len(resolved_rows),
        closed=closed.count(),
        cancelled=figures["cancelled"],
        open_at_end=open_at_end,
        sla=sla,
        by_category=_lines(in_month, "category", Category),
        by_priority=_lines(in_month, "priority", Priority),
        median_resolution_hours=round(statistics.median(hours), 1) if hours else None,
        satisfaction=round(rated["avg"], 1) if rated["avg"] is not None else None,
        satisfaction_count=rated["n"],
        tickets=tickets[:ROW_LIMIT],
        truncated=len(tickets) > ROW_LIMIT,
    )


def target_label(ticket: Ticket) -> str:
    """How the resolution target went, in words (never colour alone)."""
    if ticket.resolution_breached:
        return _("missed")
    if ticket.state in DONE:
        return _("met")
    if ticket.state in NOT_COUNTED:
        return "—"
    return _("running")


def _lines(tickets, field: str, choices) -> list[Line]:
    counts = dict(tickets.values_list(field).annotate(n=Count("id")).order_by())
    return [
        Line(value, str(label), counts[value])
        for value, label in choices.choices
        if counts.get(value)
    ]


def partner_report_pdf(report: PartnerReport, *, printed_by) -> bytes:
    """The report as an A4 PDF/A with Arimo embedded (core.pdf), charts as inline SVG."""
    from bilgiislem.core.pdf import html_to_pdf
    from bilgiislem.organization.models import Institution

    from ..charts import Bar, bar_chart

    institution = Institution.objects.first()
    chart = bar_chart(
        chart_id="pdf-categories",
        title=str(_("Requests by category")),
        desc=str(_("Requests opened in the month, per category.")),
        bars=[Bar(line.label, line.count) for line in report.by_category],
        width=520,
    )
    html = render_to_string(
        "servicedesk/reports/partner_month_pdf.html",
        {
            "report": report,
            "letterhead": institution.letterhead if institution else "",
            "category_chart": chart,
            "printed_at": timezone.localtime(),
            "printed_by": printed_by,
        },
    )
    return html_to_pdf(html, pdf_variant="pdf/a-3b")
