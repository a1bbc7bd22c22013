"""VİF pages: the list, one VİF with its lines and actions (sign off, check, cancel) and its
PDF in three copies. Read by Bilgi İşlem staff only (404 for everyone else)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.paginator import CappedPaginator

from .. import permissions
from ..choices import VifKind, VifState
from ..models import Asset, Store, Vif
from ..pdf import vif_pdf
from ..services.vif import vif_cancel, vif_control, vif_create, vif_sign
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50
ACTIONS = {"sign": vif_sign, "control": vif_control, "cancel": vif_cancel}


def vifs_visible(person):
    if not permissions.is_asset_staff(person):
        raise Http404(_("No such page."))
    return Vif.objects.select_related("store", "to_store", "prepared_by", "signed_by")


@page
def vif_list(request):
    queryset = vifs_visible(request.user)
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    if kind in VifKind.values:
        queryset = queryset.filter(kind=kind)
    if state in VifState.values:
        queryset = queryset.filter(state=state)
    year = request.GET.get("year", "")
    if year.isdigit():
        queryset = queryset.filter(year=int(year))
    page_obj = CappedPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assets/vif/list.html",
        {
            "page_obj": page_obj,
            "kinds": VifKind.choices,
            "states": VifState.choices,
            "chosen": {"kind": kind, "state": state, "year": year},
            "may_prepare": permissions.can_register(request.user),
        },
    )


@page
def vif_detail(request, pk):
    vif = get_object_or_404(vifs_visible(request.user), pk=pk)
    user = request.user
    return render(
        request,
        "assets/vif/detail.html",
        {
            "vif": vif,
            "lines": vif.lines.select_related("code", "asset"),
            "may_sign": vif.state == VifState.DRAFT and permissions.kayit_post(user),
            "may_cancel": vif.state == VifState.DRAFT and permissions.can_register(user),
            "may_control": vif.state == VifState.SIGNED
            and vif.controlled_by_id is None
            and permissions.is_control_officer(user),
        },
    )


@page
@require_POST
def vif_action(request, pk, action):
    vif = get_object_or_404(vifs_visible(request.user), pk=pk)
    service = ACTIONS.get(action)
    if service is None:
        raise Http404(_("No such page."))
    try:
        vif = service(actor=request.user, vif=vif)
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except DomainError as exc:
        for texts in exc.errors.values():
            for text in texts:
                messages.error(request, text)
        return redirect("assets:vif-detail", vif.pk)
    messages.success(request, _("Saved: %(vif)s.") % {"vif": vif})
    return redirect("assets:vif-detail", vif.pk)


@page
def vif_print(request, pk):
    vif = get_object_or_404(vifs_visible(request.user), pk=pk)
    response = HttpResponse(vif_pdf(vif), content_type="application/pdf")
    name = f"vif-{vif.year}-{vif.number or 'taslak'}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = 6


class VifForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=VifKind.choices)
    store = forms.ModelChoiceField(label=gettext_lazy("Store"), queryset=Store.objects)
    to_store = forms.ModelChoiceField(
        label=gettext_lazy("To store"), queryset=Store.objects, required=False
    )
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    supporting_reference = forms.CharField(
        label=gettext_lazy("Supporting document"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Invoice, acceptance report, approval or letter number."),
    )
    supporting_date = forms.DateField(label=gettext_lazy("Supporting document date"), widget=DATE)
    counterparty = forms.CharField(
        label=gettext_lazy("Other public body"), max_length=300, required=False
    )


class VifLineForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Movable property code"), required=False)
    sicil_no = forms.CharField(label=gettext_lazy("Registration number (sicil)"), required=False)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, min_value=0)
    unit_price = forms.DecimalField(label=gettext_lazy("Unit price"), required=False, min_value=0)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)


LineFormSet = forms.formset_factory(VifLineForm, extra=LINES, max_num=LINES)


def _lines(formset) -> list[dict]:
    """The filled lines; an unknown sicil number is bad input on ``lines``."""
    lines = []
    for form in formset:
        data = form.cleaned_data
        if not any(data.get(k) for k in ("code", "sicil_no", "description")):
            continue
        asset = None
        if data.get("sicil_no"):
            asset = Asset.objects.filter(sicil_no=data["sicil_no"].strip()).first()
            if asset is None:
                raise DomainError(_("No such sicil number."), field="lines")
        lines.append(
            {
                "code": data.get("code") or (asset.code if asset else ""),
                "asset": asset,
                "quantity": data.get("quantity"),
                "unit_price": data.get("unit_price"),
                "description": data.get("description", ""),
            }
        )
    return lines


@page
def vif_new(request):
    vifs_visible(request.user)  # 404 outside Bilgi İşlem
    if not permissions.can_register(request.user):
        raise Forbidden(_("Only the movable property officer or the Director prepares a VİF."))
    form = VifForm(posted(request), initial={"date": timezone.localdate()})
    formset = LineFormSet(posted(request), prefix="line")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data

        def create():
            return vif_create(
                actor=request.user,
                kind=data["kind"],
                store=data["store"],
                to_store=data["to_store"],
                date=data["date"],
                supporting_reference=data["supporting_reference"],
                supporting_date=data["supporting_date"],
                counterparty=data["counterparty"],
                lines=_lines(formset),
            )

        vif = run_service(form, create)
        if vif is not None:
            messages.success(request, _("Draft saved: sign it off to give it its number."))
            return redirect("assets:vif-detail", vif.pk)
    return render(request, "assets/vif/form.html", {"form": form, "formset": formset})
