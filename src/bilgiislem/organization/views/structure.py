"""The organisation chart, units and people (personel)."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..filters import PersonFilter
from ..forms import ChartDateForm, ReasonForm
from ..models import Institution, OrgUnit, Person
from .common import Forbidden, page, run_service

INSTITUTION_FIELDS = ("name", "detsis_no", "address", "phone", "email", "kep_address", "website")
PEOPLE_PER_PAGE = 50


def _institution_rows(institution):
    if institution is None:
        return []
    return [
        {
            "label": Institution._meta.get_field(name).verbose_name,
            "value": getattr(institution, name),
            "sample": institution.is_sample(name),
            "field": name,
        }
        for name in INSTITUTION_FIELDS
    ]


@page
def chart(request):
    """Teşkilat şeması: the institution and its unit tree, today or on a past date."""
    form = ChartDateForm(request.GET or None)
    today = timezone.localdate()
    on = today
    if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    data = selectors.chart(on)
    context = {
        "form": form,
        "chart": data,
        "on": on,
        "is_today": on == today,
        "institution_rows": _institution_rows(data.institution),
    }
    template = "organization/chart.html"
    if request.htmx and not request.htmx.boosted:
        template += "#tree"
    return render(request, template, context)


@page
def unit_detail(request, pk):
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)
    context = {"unit": unit, "today": timezone.localdate(), **selectors.unit_history(unit)}
    return render(request, "organization/unit_detail.html", context)


def _people_csv(queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personel.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (ı, ş, ğ) correctly only with the BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Name"), _("Username"), _("Title"), _("E-mail"), _("Posts"), _("Active")])
    for person in queryset:
        writer.writerow(
            [
                str(person),
                person.username,
                person.title,
                person.email,
                ", ".join(h.position.title for h in person.current_holdings),
                _("yes") if person.is_active else _("no"),
            ]
        )
    return response


@page
def person_list(request):
    """Personel: search (Turkish-folded), unit filter, sortable, 50 a page, CSV."""
    queryset = selectors.people_with_current_posts(Person.objects.order_by("search_key", "pk"))
    filterset = PersonFilter(request.GET or None, queryset=queryset)
    people = filterset.qs
    if request.GET.get("format") == "csv":
        return _people_csv(people)
    page_obj = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "people": page_obj.object_list,
        "query": query.urlencode(),
        "sort": request.GET.get("sort", ""),
        "can_create": request.user.is_superuser
        or permissions.people_admin_post(request.user) is not None,
    }
    template = "organization/person_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _person_context(request, person, **forms):
    admin = request.user.is_superuser or permissions.people_admin_post(request.user) is not None
    context = {
        "person": person,
        "today": timezone.localdate(),
        "can_admin": admin,
        "can_disable": admin and person.is_active and person.pk != request.user.pk,
        "can_enable": admin and not person.is_active,
        "disable_form": forms.get("disable_form") or ReasonForm(prefix="disable"),
        "enable_form": forms.get("enable_form") or ReasonForm(prefix="enable", required=False),
        **selectors.person_history(person),
    }
    return context


@page
def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return render(request, "organization/person_detail.html", _person_context(request, person))


def _person_admin_action(request, pk, *, disable: bool):
    person = get_object_or_404(Person, pk=pk)
    if not (request.user.is_superuser or permissions.people_admin_post(request.user)):
        raise Forbidden(_("Only the system's Director manages accounts."))
    prefix = "disable" if disable else "enable"
    form = ReasonForm(request.POST, prefix=prefix, required=disable)
    if form.is_valid():
        service = services.person_disable if disable else services.person_enable
        done = run_service(
            form,
            lambda: service(actor=request.user, person=person, reason=form.cleaned_data["reason"]),
        )
        if done is not None:
            messages.success(
                request, _("The account is disabled.") if disable else _("The account is enabled.")
            )
            return redirect("organization:person-detail", pk=person.pk)
    person.refresh_from_db()
    context = _person_context(request, person, **{f"{prefix}_form": form})
    return render(request, "organization/person_detail.html", context)


@page
@require_POST
def person_disable(request, pk):
    return _person_admin_action(request, pk, disable=True)


@page
@require_POST
def person_enable(request, pk):
    return _person_admin_action(request, pk, disable=False)
