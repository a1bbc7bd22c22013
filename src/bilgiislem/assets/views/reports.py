"""Report pages of the taşınır records (services/reports.py): the Harcama Birimi Taşınır Mal
Yönetim Hesabı Cetveli, the monthly list of consumables issued, the tutanak of the last VİF
number of the year and the Dayanıklı Taşınırlar Defteri. Each page takes its year (or month)
from the URL, and ``?format=pdf`` or ``?format=csv`` downloads the same table.

For the Director, the kayıt and the kontrol yetkilisi; everyone else gets 404. A bad year or
month is shown on the form (400).
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.downloads import content_disposition
from bilgiislem.core.errors import DomainError
from bilgiislem.core.forms import apply_domain_error

from ..choices import VifKind
from ..services import reports as services
from ._pages import page

CSV = "text/csv; charset=utf-8"


class YearForm(forms.Form):
    year = forms.CharField(
        label=gettext_lazy("Year"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )


class BookForm(YearForm):
    code = forms.CharField(
        label=gettext_lazy("Movable property code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("A code and everything under it, e.g. 255.02."),
    )


def _reader(request) -> None:
    if not services.may_view_reports(request.user):
        raise Http404(_("No such page."))


def _choice(request, form_class, defaults: dict, parse):
    """The bound form and the parsed choice (None, with the error on the form, if bad)."""
    form = form_class({**defaults, **request.GET.dict()})
    form.is_valid()
    try:
        return form, parse(form.cleaned_data)
    except DomainError as exc:
        apply_domain_error(form, exc)
        return form, None


def _invalid(request, template: str, form) -> HttpResponse:
    return render(request, template, {"form": form}, status=400)


def _wanted(request) -> str:
    wanted = request.GET.get("format", "")
    return wanted if wanted in ("pdf", "csv") else ""


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    return response


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + text, content_type=CSV)
    response["Content-Disposition"] = content_disposition(name)
    return response


def _this_year() -> dict:
    return {"year": str(timezone.localdate().year)}


def _year(data) -> int:
    return services.parse_year(data.get("year"))


@page
def report_index(request):
    _reader(request)
    today = timezone.localdate()
    return render(
        request,
        "assets/reports/index.html",
        {
            "year": today.year,
            "last_year": today.year - 1,
            "month": today.strftime("%Y-%m"),
        },
    )


def _answer(request, template, form, report, name, *, pdf, csv):
    """The report as a page, or made into a PDF or a CSV when ``?format=`` asks for one."""
    wanted = _wanted(request)
    if wanted == "pdf":
        return _pdf(pdf(report), f"{name}.pdf")
    if wanted == "csv":
        return _csv(csv(report), f"{name}.csv")
    return render(request, template, {"form": form, "report": report})


@page
def management_account(request):
    """Harcama Birimi Taşınır Mal Yönetim Hesabı Cetveli of a year."""
    _reader(request)
    template = "assets/reports/management_account.html"
    form, year = _choice(request, YearForm, _this_year(), _year)
    if year is None:
        return _invalid(request, template, form)
    report = services.management_account(year)
    name = f"yonetim-hesabi-cetveli-{year}"
    return _answer(
        request,
        template,
        form,
        report,
        name,
        pdf=services.management_account_pdf,
        csv=services.management_account_csv,
    )


@page
def consumables_issued(request):
    """The consumables (account 150) issued in a month, for accounting (art. 30/3)."""
    _reader(request)
    template = "assets/reports/consumables.html"
    defaults = {"month": timezone.localdate().strftime("%Y-%m")}
    form, month = _choice(
        request, MonthForm, defaults, lambda data: services.parse_month(data.get("month"))
    )
    if month is None:
        return _invalid(request, template, form)
    report = services.consumables_issued(month)
    name = f"tuketim-listesi-{month:%Y-%m}"
    return _answer(
        request,
        template,
        form,
        report,
        name,
        pdf=services.consumables_issued_pdf,
        csv=services.consumables_issued_csv,
    )


@page
def last_vif(request):
    """The year-end tutanak of the last VİF number of the year (art. 34)."""
    _reader(request)
    template = "assets/reports/last_vif.html"
    form, year = _choice(request, YearForm, _this_year(), _year)
    if year is None:
        return _invalid(request, template, form)
    report = services.last_vif(year)
    name = f"son-vif-tutanagi-{year}"
    return _answer(
        request,
        template,
        form,
        report,
        name,
        pdf=services.last_vif_pdf,
        csv=services.last_vif_csv,
    )


def _book_choice(data) -> tuple[int, str]:
    return services.parse_year(data.get("year")), (data.get("code") or "").strip()


@page
def durables_book(request):
    """The Dayanıklı Taşınırlar Defteri of a year: each durable item's entries and exits."""
    _reader(request)
    template = "assets/reports/durables_book.html"
    form, choice = _choice(request, BookForm, _this_year(), _book_choice)
    if choice is None:
        return _invalid(request, template, form)
    year, code = choice
    name = f"dayanikli-tasinirlar-defteri-{year}"
    if _wanted(request) == "csv":
        response = StreamingHttpResponse(
            services.durables_book_csv_rows(year, code), content_type=CSV
        )
        response["Content-Disposition"] = content_disposition(f"{name}.csv")
        return response
    if _wanted(request) == "pdf":
        try:
            return _pdf(services.durables_book_pdf(year, code), f"{name}.pdf")
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _invalid(request, template, form)
    paginator = Paginator(services.durables_book_lines(year, code), services.BOOK_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    kinds = dict(VifKind.choices)
    for row in page_obj:
        row["name"] = services.book_name(row)
        row["is_entry"] = services.book_direction(row["vif__kind"]) == "entry"
        row["kind_label"] = kinds.get(row["vif__kind"], row["vif__kind"])
    return render(
        request,
        template,
        {
            "form": form,
            "year": year,
            "code": code,
            "summary": services.durables_book_summary(year, code),
            "page_obj": page_obj,
        },
    )
