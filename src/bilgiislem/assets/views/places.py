"""Pages of sites, rooms, stores and the code list (issue 7; H-PLACES).

Sites, rooms and stores are Bilgi İşlem's: its staff read them (permissions.is_asset_staff),
anyone else gets 404. The kayıt yetkilisi, the Director and the Chief record and change
them (permissions.can_manage_places); other staff get 403. The code list is the official
list: anyone logged in reads it; the kayıt yetkilisi and the Director add levels and correct
titles and asset kinds.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.organization.models import OrgUnit

from .. import permissions
from ..choices import AssetKind, SiteKind
from ..models import Room, Site, Store, TasinirCode
from ..services import codes as code_services
from ..services import places as services
from ._pages import Forbidden, page, posted, run_service
from .asset_forms import RoomChoiceField

CODES_PER_PAGE = 50


# ---------------------------------------------------------------- forms


class SiteForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SiteKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=500, required=False)
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)


class RoomForm(forms.Form):
    floor = forms.CharField(label=gettext_lazy("Floor"), max_length=20, required=False)
    name = forms.CharField(label=gettext_lazy("Room"), max_length=100)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit using the room"), queryset=OrgUnit.objects.none(), required=False
    )
    shared = forms.BooleanField(
        label=gettext_lazy("Shared area"),
        required=False,
        help_text=gettext_lazy(
            "Items here are on the room's Dayanıklı Taşınırlar Listesi, not on a person."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.active_on().order_by("name")


class StoreForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Spending unit"), queryset=OrgUnit.objects.none()
    )
    code = forms.CharField(
        label=gettext_lazy("Store code"),
        max_length=2,
        help_text=gettext_lazy("Two letters or digits within the unit, e.g. 01."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    room = RoomChoiceField(
        label=gettext_lazy("Room of the store"), queryset=Room.objects.none(), required=False
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.select_related("site").filter(site__active=True)
        if editing:
            # The spending unit is fixed: the store's documents belong to it.
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = OrgUnit.objects.active_on().order_by("name")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Under a code of the list, e.g. 255.02.02.02.01 (art. 37)."),
    )
    title = forms.CharField(label=gettext_lazy("Name of the item"), max_length=300)
    asset_kind = forms.ChoiceField(
        label=gettext_lazy("Asset kind"),
        choices=[("", gettext_lazy("As the parent code")), *AssetKind.choices],
        required=False,
        help_text=gettext_lazy("What an item of this code is registered as by an entry VİF."),
    )
    is_sample = forms.BooleanField(
        label=gettext_lazy("Sample value (not yet checked against the official list)"),
        required=False,
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_sample"]


# ---------------------------------------------------------------- helpers


def _staff_only(request) -> None:
    if not permissions.is_asset_staff(request.user):
        raise Http404


def _managers_only(request) -> None:
    _staff_only(request)
    if not permissions.can_manage_places(request.user):
        raise Forbidden(
            _("Only the movable property officer, the Director or the Chief may do this.")
        )


def _form_page(request, form, *, title, back, back_label):
    return render(
        request,
        "assets/places/form.html",
        {"form": form, "title": title, "back": back, "back_label": back_label},
    )


# ---------------------------------------------------------------- sites and rooms


@page
def site_list(request):
    _staff_only(request)
    kind = request.GET.get("kind", "")
    sites = Site.objects.annotate(rooms_count=Count("rooms"))
    if kind in SiteKind.values:
        sites = sites.filter(kind=kind)
    if request.GET.get("active") != "all":
        sites = sites.filter(active=True)
    return render(
        request,
        "assets/places/site_list.html",
        {
            "sites": sites.order_by("name"),
            "kinds": SiteKind.choices,
            "chosen": {"kind": kind, "active": request.GET.get("active", "")},
            "may_manage": permissions.can_manage_places(request.user),
        },
    )


@page
def site_new(request):
    _managers_only(request)
    form = SiteForm(posted(request))
    del form.fields["active"]
    if request.method == "POST" and form.is_valid():
        site = run_service(
            form, lambda: services.site_create(actor=request.user, **form.cleaned_data)
        )
        if site is not None:
            messages.success(request, _("The site was recorded."))
            return redirect("assets:site-detail", pk=site.pk)
    return _form_page(
        request,
        form,
        title=_("Record a site"),
        back="assets:sites",
        back_label=_("Sites and buildings"),
    )


@page
def site_detail(request, pk):
    _staff_only(request)
    site = get_object_or_404(Site, pk=pk)
    rooms = list(site.rooms.select_related("unit").order_by("floor", "name"))
    counts = services.room_asset_counts(site)
    for room in rooms:
        room.asset_count = counts.get(room.pk, 0)
    return render(
        request,
        "assets/places/site_detail.html",
        {
            "site": site,
            "rooms": rooms,
            "stores": Store.objects.filter(room__site=site).select_related("unit", "room"),
            "may_manage": permissions.can_manage_places(request.user),
        },
    )


@page
def site_edit(request, pk):
    _managers_only(request)
    site = get_object_or_404(Site, pk=pk)
    initial = {"kind": site.kind, "name": site.name, "address": site.address}
    form = SiteForm(posted(request), initial={**initial, "active": site.active})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.site_update(actor=request.user, site=site, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("The site was changed."))
            return redirect("assets:site-detail", pk=site.pk)
    return _form_page(
        request, form, title=_("Change the site"), back="assets:sites", back_label=site.name
    )


@page
def room_new(request, pk):
    _managers_only(request)
    site = get_object_or_404(Site, pk=pk)
    form = RoomForm(posted(request))
    if request.method == "POST" and form.is_valid():
        room = run_service(
            form,
            lambda: services.room_create(actor=request.user, site=site, **form.cleaned_data),
        )
        if room is not None:
            messages.success(request, _("The room was recorded."))
            return redirect("assets:site-detail", pk=site.pk)
    return _form_page(
        request,
        form,
        title=_("Add a room to %(site)s") % {"site": site.name},
        back="assets:sites",
        back_label=_("Sites and buildings"),
    )


@page
def room_edit(request, pk):
    _managers_only(request)
    room = get_object_or_404(Room.objects.select_related("site"), pk=pk)
    initial = {"floor": room.floor, "name": room.name, "unit": room.unit, "shared": room.shared}
    form = RoomForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.room_update(actor=request.user, room=room, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("The room was changed."))
            return redirect("assets:site-detail", pk=room.site_id)
    return _form_page(
        request, form, title=_("Change the room"), back="assets:sites", back_label=str(room)
    )


# ---------------------------------------------------------------- stores


@page
def store_list(request):
    _staff_only(request)
    stores = Store.objects.select_related("unit", "room__site").annotate(
        asset_count=Count("assets", filter=Q(assets__status__in=services.ON_RECORD))
    )
    return render(
        request,
        "assets/places/store_list.html",
        {
            "stores": stores.order_by("unit__name", "code"),
            "may_manage": permissions.can_manage_places(request.user),
        },
    )


@page
def store_new(request):
    _managers_only(request)
    form = StoreForm(posted(request))
    if request.method == "POST" and form.is_valid():
        store = run_service(
            form, lambda: services.store_create(actor=request.user, **form.cleaned_data)
        )
        if store is not None:
            messages.success(request, _("The store was recorded."))
            return redirect("assets:store-detail", pk=store.pk)
    return _form_page(
        request, form, title=_("Record a store"), back="assets:stores", back_label=_("Stores")
    )


@page
def store_detail(request, pk):
    """The store's content: durable items by code (by status) and consumables on hand."""
    _staff_only(request)
    store = get_object_or_404(Store.objects.select_related("unit", "room__site"), pk=pk)
    durables = services.store_durables(store)
    return render(
        request,
        "assets/places/store_detail.html",
        {
            "store": store,
            "durables": durables,
            "durables_total": sum(row["total"] for row in durables),
            "stock": services.store_stock(store),
            "may_manage": permissions.can_manage_places(request.user),
        },
    )


@page
def store_edit(request, pk):
    _managers_only(request)
    store = get_object_or_404(Store, pk=pk)
    initial = {"code": store.code, "name": store.name, "room": store.room}
    form = StoreForm(posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.store_update(actor=request.user, store=store, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("The store was changed."))
            return redirect("assets:store-detail", pk=store.pk)
    return _form_page(
        request, form, title=_("Change the store"), back="assets:stores", back_label=store.name
    )


# ---------------------------------------------------------------- the code list


@page
def code_list(request):
    codes = code_services.code_filter(TasinirCode.objects.all(), request.GET).order_by("code")
    page_obj = Paginator(codes, CODES_PER_PAGE).get_page(request.GET.get("page"))
    chosen = {key: request.GET.get(key, "") for key in ("q", "account")}
    return render(
        request,
        "assets/places/code_list.html",
        {
            "page_obj": page_obj,
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "may_edit": permissions.can_register(request.user),
        },
    )


def _require_code_editor(request) -> None:
    if not permissions.can_register(request.user):
        raise Forbidden(_("Only the movable property officer or the Director may do this."))


@page
def code_new(request):
    _require_code_editor(request)
    form = CodeForm(posted(request), initial={"code": request.GET.get("under", "")})
    if request.method == "POST" and form.is_valid():
        code = run_service(
            form,
            lambda: code_services.tasinir_code_create(actor=request.user, **form.cleaned_data),
        )
        if code is not None:
            messages.success(request, _("The code was added."))
            return redirect(f"{reverse('assets:codes')}?q={code.code}")
    return _form_page(
        request,
        form,
        title=_("Add a code"),
        back="assets:codes",
        back_label=_("Movable property codes"),
    )


@page
def code_edit(request, pk):
    _require_code_editor(request)
    code = get_object_or_404(TasinirCode, pk=pk)
    initial = {"title": code.title, "asset_kind": code.asset_kind, "is_sample": code.is_sample}
    form = CodeForm(posted(request), initial=initial, editing=True)
    if code.is_consumable:
        # Consumables are stock, never registered assets: no kind to choose.
        del form.fields["asset_kind"]
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: code_services.tasinir_code_update(
                actor=request.user, code=code, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The code was changed."))
            return redirect(f"{reverse('assets:codes')}?q={code.code}")
    return _form_page(
        request,
        form,
        title=_("Change the code %(code)s") % {"code": code.code},
        back="assets:codes",
        back_label=_("Movable property codes"),
    )
