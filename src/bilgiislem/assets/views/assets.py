"""Assets: the list with its filters, an asset with its history, register, correct, move,
print its label. Lists are scoped by ``selectors.assets_visible``; an asset the person may
not see answers 404; a visible one whose action is not theirs answers 403."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bilgiislem.core.paginator import PeekPage

from .. import permissions
from ..choices import AssetKind, AssetStatus
from ..models import Room, Site
from ..selectors import asset_filter, asset_get_for_user, asset_history, assets_visible
from ..services.register import EDITABLE_FIELDS, asset_register, asset_update
from ..services.register import asset_move as asset_move_service
from . import asset_forms as forms
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50
FILTERS = ("site", "room", "status", "kind", "code", "q")


@page
def asset_list(request):
    """Every asset for Bilgi İşlem; one's unit's and one's own for everyone else."""
    queryset = asset_filter(assets_visible(request.user).for_list(), request.GET)
    # Newest record first: the primary key order, which the indexes serve at any size.
    page_obj = PeekPage(queryset.order_by("-id"), request.GET.get("page"), PER_PAGE)
    chosen = {key: request.GET.get(key, "") for key in FILTERS}
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return render(
        request,
        "assets/asset_list.html",
        {
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            # Rows link to reverse("assets:asset-detail") built once, not fifty times.
            "detail_prefix": reverse("assets:asset-detail", args=[0]).removesuffix("0/"),
            "chosen": chosen,
            "query": query,
            "site_options": _options(
                ((s.pk, s.name) for s in Site.objects.only("name")), chosen["site"]
            ),
            # A building may have hundreds of rooms: the chosen site's only (choose it first).
            "room_options": _options(
                ((r.pk, f"{r.floor} · {r.name}" if r.floor else r.name) for r in _rooms_of(chosen)),
                chosen["room"],
            ),
            "statuses": [*AssetStatus.choices, ("all", _("All, written off too"))],
            "kinds": AssetKind.choices,
            "may_register": permissions.can_register(request.user),
        },
    )


def _rooms_of(chosen: dict):
    try:
        return Room.objects.filter(site_id=int(chosen["site"])).order_by("floor", "name")
    except ValueError:
        return Room.objects.none()


def _options(pairs, chosen: str) -> str:
    """``<option>``s written in Python: a template loop costs ~30 µs an option, on every
    page of the list (see core.widgets.QuickSelect)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, mark_safe(" selected") if str(pk) == chosen else "", label) for pk, label in pairs),
    )


@page
def asset_detail(request, pk):
    asset = asset_get_for_user(request.user, pk)
    may_register = permissions.can_register(request.user)
    return render(
        request,
        "assets/asset_detail.html",
        {
            "asset": asset,
            "history": asset_history(asset),
            "may_edit": may_register and asset.status != AssetStatus.WRITTEN_OFF,
        },
    )


@page
def asset_new(request):
    if not permissions.can_register(request.user):
        raise Forbidden(_("Only the movable property officer or the Director may do this."))
    form = forms.AssetRegisterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asset = run_service(
            form,
            lambda: asset_register(
                actor=request.user,
                code=data["code"],
                kind=data["kind"],
                store=data["store"],
                room=data["room"],
                site=data["site"],
                value=data["value"],
                entry_date=data["entry_date"],
                sicil_no=data["sicil_no"],
                serial_number=data["serial_number"],
                make=data["make"],
                model=data["model"],
                ikn=data["ikn"],
                invoice=data["invoice"],
                acceptance_date=data["acceptance_date"],
                warranty_until=data["warranty_until"],
                is_storage_medium=data["is_storage_medium"],
                note=data["note"],
            ),
        )
        if asset is not None:
            messages.success(
                request, _("Registered with sicil number %(sicil)s.") % {"sicil": asset.sicil_no}
            )
            return redirect("assets:asset-detail", pk=asset.pk)
    return render(request, "assets/asset_form.html", {"form": form, "asset": None})


@page
def asset_edit(request, pk):
    asset = asset_get_for_user(request.user, pk)
    if not permissions.can_register(request.user):
        raise Forbidden(_("Only the movable property officer or the Director may do this."))
    initial = {field: getattr(asset, field) for field in EDITABLE_FIELDS}
    form = forms.AssetDetailsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: asset_update(actor=request.user, asset=asset, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("The asset's record was corrected."))
            return redirect("assets:asset-detail", pk=asset.pk)
    return render(request, "assets/asset_form.html", {"form": form, "asset": asset})


@page
def asset_move_page(request, pk):
    asset = asset_get_for_user(request.user, pk)
    if not permissions.can_register(request.user):
        raise Forbidden(_("Only the movable property officer or the Director may do this."))
    form = forms.AssetMoveForm(posted(request), initial={"room": asset.room_id})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: asset_move_service(
                actor=request.user,
                asset=asset,
                room=form.cleaned_data["room"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("The asset was moved."))
            return redirect("assets:asset-detail", pk=asset.pk)
    return render(request, "assets/asset_move.html", {"form": form, "asset": asset})


@page
def asset_label(request, pk):
    """The asset's QR label as a PDF (the QR holds the sicil number)."""
    from ..labels import labels_pdf

    asset = asset_get_for_user(request.user, pk)
    try:
        per_page = int(request.GET.get("per_page", 1))
    except ValueError:
        per_page = 1
    pdf = labels_pdf([asset], per_page=per_page)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="etiket-{asset.pk}.pdf"'
    return response
