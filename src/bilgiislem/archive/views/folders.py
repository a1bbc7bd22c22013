"""Folder pages (Klasörler): the list per unit, year and stage, a folder with its documents
and retention, labels as PDF, and the audited re-evaluation of retention."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bilgiislem.core.paginator import CappedPaginator
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.views.common import Forbidden, page, posted, run_service

from .. import permissions, selectors
from ..labels import LAYOUTS, labels_pdf, location_path
from ..models import Folder
from ..services import folder_reevaluate_retention
from ..services.fileplan import letter_of
from .forms import FolderFilterForm, ReevaluateForm

PER_PAGE = 50
COUNT_CAP = 1000
LABELS_LIMIT = 400


def _units(user):
    return OrgUnit.objects.filter(pk__in=selectors.folder_scope(user).values("unit_id")).order_by(
        "name"
    )


def _csv(folders):
    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo(), delimiter=";")

    def rows():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Unit"),
                _("File plan code"),
                _("Subject"),
                _("Year"),
                _("Stage"),
                _("Documents"),
                _("Retention ends"),
                _("Disposition"),
                _("Location"),
            ]
        )
        for f in folders[:100_000]:
            yield writer.writerow(
                [
                    f.unit.name,
                    f.code.code,
                    f.title,
                    f.year,
                    f.get_stage_display(),
                    f.document_count,
                    f.retention_until or "",
                    f.get_disposition_display() if f.disposition else "",
                    location_path(f.location),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="klasorler.csv"'
    return response


@page
def folder_list(request):
    params = request.GET.copy()
    params.pop("page", None)
    want_csv = params.pop("format", [""])[-1] == "csv"
    _used, folders = selectors.folder_list(request.user, params)
    if want_csv:
        return _csv(folders)
    form = FolderFilterForm(params or None, units=_units(request.user))
    page_obj = CappedPaginator(folders, PER_PAGE, cap=COUNT_CAP).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "folders": page_obj.object_list,
        "query": params.urlencode(),
    }
    template = "archive/folder_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def folder_context(request, folder, bound=None):
    filings, hidden = selectors.folder_filings(request.user, folder)
    user = request.user
    context = {
        "folder": folder,
        "filings": filings,
        "hidden": hidden,
        "letter": letter_of(folder.disposition),
        "location": location_path(folder.location),
        "may_keep": permissions.may_keep(user, folder.unit_id),
        "layouts": sorted(LAYOUTS),
    }
    if folder.closed_at and (permissions.may_reevaluate(user, folder) or bound):
        context["reevaluate_form"] = bound or ReevaluateForm(prefix="reeval")
    return context


@page
def folder_detail(request, pk):
    folder = selectors.folder_get_for_user(request.user, pk)
    return render(request, "archive/folder_detail.html", folder_context(request, folder))


def _label_response(request, folders, per_page, filename):
    def url_of(folder):
        return request.build_absolute_uri(reverse("archive:folder-detail", args=[folder.pk]))

    try:
        per_page = int(per_page)
    except (TypeError, ValueError):
        per_page = 1
    pdf = labels_pdf(folders, url_of=url_of, per_page=per_page)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@page
def folder_label(request, pk):
    folder = selectors.folder_get_for_user(request.user, pk)
    return _label_response(
        request, [folder], request.GET.get("per_page", 1), f"etiket-{folder.pk}.pdf"
    )


@page
def folder_labels(request):
    """The labels of every folder the list's filters keep (at most LABELS_LIMIT)."""
    _used, folders = selectors.folder_list(request.user, request.GET)
    folders = list(folders[:LABELS_LIMIT])
    if not folders:
        return HttpResponse(
            _("No folders match."), status=404, content_type="text/plain; charset=utf-8"
        )
    return _label_response(request, folders, request.GET.get("per_page", 8), "etiketler.pdf")


@page
def folder_reevaluate(request, pk):
    folder = selectors.folder_get_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("archive:folder-detail", pk=folder.pk)
    form = ReevaluateForm(posted(request), prefix="reeval")
    if not permissions.may_reevaluate(request.user, folder):
        raise Forbidden(_("Only the Director or someone above re-evaluates retention."))
    if form.is_valid():
        done = run_service(
            form,
            lambda: folder_reevaluate_retention(
                actor=request.user,
                folder=folder,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            return redirect("archive:folder-detail", pk=folder.pk)
    folder = Folder.objects.select_related("unit", "code", "location").get(pk=folder.pk)
    return render(
        request,
        "archive/folder_detail.html",
        folder_context(request, folder, bound=form),
        status=400,
    )
