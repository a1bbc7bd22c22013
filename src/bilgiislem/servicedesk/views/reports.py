"""Monthly reports per partner organisation (RYY art. 5): the index, the report page and its
PDF. For the dashboard's readers only; everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bilgiislem.core.downloads import content_disposition

from ..charts import Bar, bar_chart
from ..selectors.reports import (
    MONTH_RE,
    parse_month,
    partner_report,
    partner_report_pdf,
    report_months,
    report_organizations,
)


@login_required
def report_index(request):
    """Raporlar: choose an organisation and a month (a GET form: the choice is in the URL)."""
    organizations = report_organizations(request.user)
    months = report_months()
    chosen_org = request.GET.get("organization")
    chosen_month = request.GET.get("month")
    # Only the shape is checked here; the report page answers 404 for an unknown one.
    if chosen_org and chosen_org.isdigit() and MONTH_RE.match(chosen_month or ""):
        return redirect("servicedesk:report", organization=chosen_org, month=chosen_month)
    context = {
        "organizations": organizations,
        "months": months,
        "recent": months[:3],
    }
    return render(request, "servicedesk/reports/index.html", context)


@login_required
def report_detail(request, organization, month):
    report = partner_report(request.user, organization, parse_month(month))
    chart = bar_chart(
        chart_id="chart-report-category",
        title=_("Requests by category"),
        desc=_("Requests opened in the month, per category."),
        bars=[Bar(line.label, line.count) for line in report.by_category],
    )
    return render(
        request,
        "servicedesk/reports/partner_month.html",
        {"report": report, "category_chart": chart},
    )


@login_required
def report_pdf(request, organization, month):
    report = partner_report(request.user, organization, parse_month(month))
    pdf = partner_report_pdf(report, printed_by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{report.organization.name} {report.slug}.pdf"
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    return response
