"""Export page (Dışa aktar): a folder, a year or a unit archive downloaded as a BagIt bag in
a .zip or .tar. For the archive officers and the Directors (and above) who keep the folders;
anyone else gets 404. Large exports belong to ``manage.py archive_export``: the page builds
the bag in a temporary folder before the download starts."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.downloads import content_disposition
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.views.common import page, run_service

from .. import bag
from ..models import Folder
from ..services.export import export_bag, exportable_unit_ids, folders_for_export

SELECT_LIMIT = 500
CONTENT_TYPES = {"zip": "application/zip", "tar": "application/x-tar"}


class ExportForm(forms.Form):
    folder = forms.ModelChoiceField(
        label=_("Folder"), queryset=Folder.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("The unit and the units under it."),
    )
    package = forms.ChoiceField(
        label=_("Package"),
        choices=[("zip", "ZIP"), ("tar", "TAR")],
        initial="zip",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        folders = folders_for_export(user).select_related("unit", "code")
        field = self.fields["folder"]
        field.queryset = folders.order_by("-year", "unit__name", "code__code")
        field.label_from_instance = lambda f: f"{f.year} · {f.unit.name} · {f.code.code} {f.title}"
        if folders.count() > SELECT_LIMIT:
            # A list of thousands helps no one: the folder's page links here with its number.
            field.widget = forms.NumberInput()
            field.help_text = _("The folder's number, as in the address of its page.")
        allowed = exportable_unit_ids(user)
        units = OrgUnit.objects.all() if allowed is None else OrgUnit.objects.filter(pk__in=allowed)
        self.fields["unit"].queryset = units.order_by("name")

    def clean(self):
        data = super().clean()
        if not (data.get("folder") or data.get("year") or data.get("unit")):
            raise forms.ValidationError(_("Choose a folder, a year or a unit to export."))
        return data


def may_export(user) -> bool:
    allowed = exportable_unit_ids(user) if user.is_authenticated else set()
    return allowed is None or bool(allowed)


def _bag_name(data: dict) -> str:
    parts = ["arsiv"]
    if data.get("folder"):
        f = data["folder"]
        parts += [f.unit.code, f.code.code, str(f.year)]
    else:
        if data.get("unit"):
            parts.append(data["unit"].code)
        if data.get("year"):
            parts.append(str(data["year"]))
    parts.append(timezone.localdate().strftime("%Y%m%d"))
    return slugify("-".join(parts).replace(".", "-"))


def bag_download(*, actor, data: dict, fmt: str):
    """Export into a temporary folder and answer with the packaged bag (the folder is gone
    once the file is open; the open handle keeps the package until it has been sent)."""
    scratch = Path(tempfile.mkdtemp(prefix="bag-export-"))
    try:
        name = _bag_name(data)
        folder = data.get("folder")
        export_bag(
            actor=actor,
            dest_dir=scratch / name,
            folders=[folder] if folder else None,
            year=None if folder else data.get("year"),
            unit=None if folder else data.get("unit"),
        )
        target = bag.package(scratch / name, fmt, scratch / f"{name}.{fmt}")
        handle = target.open("rb")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    response = FileResponse(handle, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response


@page
def export_page(request):
    if not may_export(request.user):
        raise Http404
    if request.method != "POST":
        initial = {"package": "zip"}
        if request.GET.get("folder", "").isdigit():
            initial["folder"] = request.GET["folder"]
        form = ExportForm(initial=initial, user=request.user)
        return render(request, "archive/export/form.html", {"form": form})
    form = ExportForm(request.POST, user=request.user)
    if form.is_valid():
        response = run_service(
            form,
            lambda: bag_download(
                actor=request.user, data=form.cleaned_data, fmt=form.cleaned_data["package"]
            ),
            field_map={"scope": "__all__", "dest_dir": "__all__"},
        )
        if response is not None:
            return response
    return render(request, "archive/export/form.html", {"form": form}, status=400)
