"""Storage location pages (RYY art. 13(c)): the tree of places of the archives the person
keeps or supervises, adding, renaming and taking places out of use (the archive officer), and
putting a folder in a box."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.views.common import Forbidden, page, run_service

from .. import officers
from ..choices import LocationKind
from ..models import Folder, StorageLocation
from ..services import locations
from ..services.loans import folders_visible_to

INSTITUTION = "institution"


class LocationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=LocationKind.choices)
    label = forms.CharField(label=gettext_lazy("Name"), max_length=100)


class TopLocationForm(LocationForm):
    archive = forms.ChoiceField(label=gettext_lazy("Archive"))

    def __init__(self, *args, archives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["archive"].choices = [
            (INSTITUTION if unit is None else str(unit.pk), _archive_name(unit))
            for unit in archives
        ]


class RenameForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("New name"), max_length=100)


class LocateForm(forms.Form):
    location = forms.ModelChoiceField(
        label=gettext_lazy("Box or shelf"), queryset=StorageLocation.objects.none()
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places
        paths = locations.location_paths([p.pk for p in places])
        self.fields["location"].label_from_instance = lambda p: paths.get(p.pk, p.label)


def _archive_name(unit) -> str:
    return str(_("Institutional archive")) if unit is None else str(unit.name)


def _visible(user):
    scope = locations.locations_visible_to(user)
    if not user.is_superuser and not (
        officers.officer_scope(user) or officers.supervisor_scope(user)
    ):
        raise Http404(_("You keep no archive."))
    return scope


def _tree(queryset) -> list[dict]:
    """Rows in tree order with their depth, the folders in each place counted."""
    rows = list(
        queryset.select_related("unit").annotate(n_folders=Count("folders")).order_by("label")
    )
    children: dict = {}
    for loc in rows:
        children.setdefault(loc.parent_id, []).append(loc)
    ids = {loc.pk for loc in rows}
    out: list[dict] = []

    def walk(parent_id, depth):
        for loc in children.get(parent_id, []):
            out.append({"location": loc, "depth": depth, "indent": depth * 1.5})
            walk(loc.pk, depth + 1)

    roots = [loc for loc in rows if loc.parent_id is None or loc.parent_id not in ids]
    for root in sorted(roots, key=lambda loc: (_archive_name(loc.unit), loc.label)):
        out.append({"location": root, "depth": 0, "indent": 0})
        walk(root.pk, 1)
    return out


@page
def location_list(request):
    user = request.user
    visible = _visible(user)
    archives = locations.archive_units_kept_by(user)
    form = TopLocationForm(
        request.POST if request.method == "POST" else None,
        archives=archives,
        initial={"kind": LocationKind.BUILDING},
    )
    if request.method == "POST":
        if not archives:
            raise Forbidden(_("Only an archive officer adds places."))
        if form.is_valid():
            archive = form.cleaned_data["archive"]
            unit = None if archive == INSTITUTION else OrgUnit.objects.get(pk=int(archive))
            created = run_service(
                form,
                lambda: locations.location_create(
                    actor=user,
                    kind=form.cleaned_data["kind"],
                    label=form.cleaned_data["label"],
                    unit=unit,
                ),
            )
            if created is not None:
                messages.success(request, _("The place is added."))
                return redirect("archive:location-detail", pk=created.pk)
    context = {"rows": _tree(visible), "form": form if archives else None}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "archive/locations/list.html", context, status=status)


def _location_for(user, pk) -> StorageLocation:
    try:
        return _visible(user).select_related("unit", "parent").get(pk=pk)
    except StorageLocation.DoesNotExist:
        raise Http404(_("No such place.")) from None


def _detail(request, location, status=200, **forms_):
    user = request.user
    keeps = locations.may_keep(user, location.unit_id) is not None
    context = {
        "location": location,
        "path": locations.location_path(location),
        "archive": _archive_name(location.unit),
        "children": location.children.order_by("label"),
        "folders": location.folders.select_related("unit", "code").order_by("code__code", "year"),
        "keeps": keeps,
        "action_errors": forms_.pop("errors", []),
    }
    if keeps and location.active:
        context["child_form"] = forms_.get("child_form") or LocationForm(
            prefix="child", initial={"kind": _next_kind(location.kind)}
        )
        context["rename_form"] = forms_.get("rename_form") or RenameForm(
            prefix="rename", initial={"label": location.label}
        )
    return render(request, "archive/locations/detail.html", context, status=status)


def _next_kind(kind):
    order = list(locations.DEPTH)
    index = order.index(kind)
    return order[min(index + 1, len(order) - 1)]


@page
def location_detail(request, pk):
    return _detail(request, _location_for(request.user, pk))


def _post(request, location, key, form, call, message):
    if form.is_valid():
        done = run_service(form, call)
        if done is not None:
            messages.success(request, message)
            return redirect("archive:location-detail", pk=getattr(done, "pk", location.pk))
    elif locations.may_keep(request.user, location.unit_id) is None:
        raise Forbidden()
    return _detail(request, location, status=400, **{f"{key}_form": form})


@page
@require_POST
def location_add_child(request, pk):
    parent = _location_for(request.user, pk)
    form = LocationForm(request.POST, prefix="child")
    return _post(
        request,
        parent,
        "child",
        form,
        lambda: locations.location_create(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            label=form.cleaned_data["label"],
            parent=parent,
        ),
        _("The place is added."),
    )


@page
@require_POST
def location_rename(request, pk):
    location = _location_for(request.user, pk)
    form = RenameForm(request.POST, prefix="rename")
    return _post(
        request,
        location,
        "rename",
        form,
        lambda: locations.location_rename(
            actor=request.user, location=location, label=form.cleaned_data["label"]
        ),
        _("The place is renamed."),
    )


@page
@require_POST
def location_deactivate(request, pk):
    from bilgiislem.core.errors import DomainError, PermissionDeniedError

    location = _location_for(request.user, pk)
    try:
        locations.location_deactivate(actor=request.user, location=location)
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except DomainError as exc:
        errors = [m for ms in exc.errors.values() for m in ms]
        return _detail(request, location, status=400, errors=errors)
    messages.success(request, _("The place is out of use."))
    return redirect("archive:location-detail", pk=location.pk)


# --- putting a folder in a box ---------------------------------------------------------------


def _folder_url(folder) -> str:
    try:
        return reverse("archive:folder-detail", args=[folder.pk])
    except NoReverseMatch:
        return ""


@page
def folder_locate(request, pk):
    """Choose the box (or shelf) a folder is kept in; the archive officer only."""
    try:
        folder = folders_visible_to(request.user).select_related("unit", "code").get(pk=pk)
    except Folder.DoesNotExist:
        raise Http404(_("No such folder.")) from None
    if officers.officer_post(request.user, folder.unit_id, folder.stage) is None:
        raise Forbidden(_("Only the archive officer keeping this folder records where it is."))
    places = StorageLocation.objects.filter(active=True, kind__in=locations.HOLDS_FOLDERS)
    fitting = [p.pk for p in places if locations.same_archive(folder, p)]
    queryset = StorageLocation.objects.filter(pk__in=fitting)
    form = LocateForm(
        request.POST if request.method == "POST" else None,
        places=queryset,
        initial={"location": folder.location_id},
    )
    if form.is_valid():
        done = run_service(
            form,
            lambda: locations.folder_locate(
                actor=request.user, folder=folder, location=form.cleaned_data["location"]
            ),
        )
        if done is not None:
            messages.success(request, _("The folder's place is recorded."))
            return redirect(_folder_url(folder) or request.path)
    context = {
        "folder": folder,
        "form": form,
        "current": locations.folder_location_path(folder),
        "folder_url": _folder_url(folder),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "archive/locations/folder_locate.html", context, status=status)
