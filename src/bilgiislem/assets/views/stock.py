"""Stock pages (Stok): consumables with what the stores hold, reorder warnings, entries on a
purchase VİF, FIFO issues on a consumption VİF, and the parts used in a service-desk repair.

Read by anyone posted in Bilgi İşlem (404 for everyone else); the kayıt yetkilisi receives
and issues, the Director and the kayıt yetkilisi keep the list (403 for other readers). The
parts page of a request (?ticket=<id>) is read by whoever may see that request.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import StockIssue, StockItem, StockLot, Store, TasinirCode
from ..services import stock as services
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _readable(request) -> None:
    if not services.may_view_stock(request.user):
        raise Http404(_("No such page."))


def _visible_ticket(request, value):
    """The service-desk request the person may see, or 404."""
    if not str(value or "").isdigit():
        raise Http404(_("No such request."))
    ticket = services.tickets_for_parts(request.user).filter(pk=int(value)).first()
    if ticket is None:
        raise Http404(_("No such request."))
    return ticket


class ItemForm(forms.Form):
    code = forms.ModelChoiceField(
        label=gettext_lazy("Movable property code"),
        queryset=TasinirCode.objects.filter(code__startswith="150."),
        required=False,
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    unit_of_measure = forms.CharField(
        label=gettext_lazy("Unit of measure"), max_length=20, initial="adet", required=False
    )
    minimum_level = forms.DecimalField(
        label=gettext_lazy("Minimum level"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("At or under this quantity the item is to be reordered."),
    )


class MinimumForm(forms.Form):
    minimum_level = forms.DecimalField(label=gettext_lazy("Minimum level"), min_value=0)


class ReceiveForm(forms.Form):
    store = forms.ModelChoiceField(
        label=gettext_lazy("Store"), queryset=Store.objects.all(), required=False
    )
    item = forms.ModelChoiceField(
        label=gettext_lazy("Consumable"), queryset=StockItem.objects.all(), required=False
    )
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False)
    unit_price = forms.DecimalField(label=gettext_lazy("Unit price"), required=False)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE, required=False)
    supporting_reference = forms.CharField(
        label=gettext_lazy("Supporting document"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("e.g. the invoice or the acceptance report (muayene-kabul)."),
    )
    supporting_date = forms.DateField(
        label=gettext_lazy("Supporting document date"), widget=DATE, required=False
    )


class IssueForm(forms.Form):
    store = forms.ModelChoiceField(
        label=gettext_lazy("Store"), queryset=Store.objects.all(), required=False
    )
    item = forms.ModelChoiceField(
        label=gettext_lazy("Consumable"), queryset=StockItem.objects.all(), required=False
    )
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False)
    ticket = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _required(form, *names) -> bool:
    """Name every empty field on the form (the services' messages for the rest)."""
    ok = True
    for name in names:
        if form.cleaned_data.get(name) in (None, ""):
            form.add_error(name, _("This field is required."))
            ok = False
    return ok


@page
def stock_list(request, reorder: bool = False):
    _readable(request)
    store = None
    if request.GET.get("store", "").isdigit():
        store = Store.objects.filter(pk=int(request.GET["store"])).first()
    items = services.items_to_reorder(store) if reorder else services.on_hand_by_item(store)
    paged = Paginator(items.order_by("name", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "items": paged,
        "reorder": reorder,
        "store": store,
        "stores": Store.objects.all(),
        "may_manage": services.may_manage_items(request.user),
        "may_issue": services.may_issue_stock(request.user),
    }
    return render(request, "assets/stock/list.html", context)


@page
def stock_reorder(request):
    return stock_list(request, reorder=True)


@page
def stock_item_new(request):
    _readable(request)
    if not services.may_manage_items(request.user):
        raise Forbidden(_("Only the Director or the movable property officer adds consumables."))
    form = ItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = run_service(
            form,
            lambda: services.stock_item_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                unit_of_measure=data["unit_of_measure"],
                minimum_level=data["minimum_level"],
            ),
        )
        if item is not None:
            messages.success(request, _("The consumable is added."))
            return redirect("assets:stock-item", item.pk)
    return render(request, "assets/stock/form.html", {"form": form, "title": _("New consumable")})


@page
def stock_item_detail(request, pk):
    _readable(request)
    item = get_object_or_404(services.on_hand_by_item(), pk=pk)
    form = MinimumForm(posted(request), initial={"minimum_level": item.minimum_level})
    if request.method == "POST":
        if not services.may_manage_items(request.user):
            raise Forbidden(_("Only the Director or the movable property officer sets it."))
        if form.is_valid():
            saved = run_service(
                form,
                lambda: services.stock_item_set_minimum(
                    actor=request.user, item=item, minimum_level=form.cleaned_data["minimum_level"]
                ),
            )
            if saved is not None:
                messages.success(request, _("The minimum level is saved."))
                return redirect("assets:stock-item", item.pk)
    lots = StockLot.objects.filter(item=item).select_related("store", "vif_line__vif")
    issues = (
        StockIssue.objects.filter(lot__item=item)
        .select_related("lot__store", "vif_line__vif", "ticket", "issued_by")
        .order_by("-issued_at", "-id")[:PER_PAGE]
    )
    context = {
        "item": item,
        "lots": lots.order_by("-received_at", "-id")[:PER_PAGE],
        "issues": issues,
        "form": form,
        "may_manage": services.may_manage_items(request.user),
        "may_issue": services.may_issue_stock(request.user),
    }
    return render(request, "assets/stock/detail.html", context)


@page
def stock_receive(request):
    _readable(request)
    if not services.may_issue_stock(request.user):
        raise Forbidden(_("Only the movable property officer receives consumables."))
    today = timezone.localdate()
    initial = {"date": today, "supporting_date": today, "item": request.GET.get("item")}
    form = ReceiveForm(posted(request), initial=initial)
    required = ("store", "item", "quantity", "unit_price", "date", "supporting_date")
    if request.method == "POST" and form.is_valid() and _required(form, *required):
        data = form.cleaned_data
        vif = run_service(
            form,
            lambda: services.stock_receive(
                actor=request.user,
                store=data["store"],
                date=data["date"],
                supporting_reference=data["supporting_reference"],
                supporting_date=data["supporting_date"],
                lines=[
                    {
                        "item": data["item"],
                        "quantity": data["quantity"],
                        "unit_price": data["unit_price"],
                    }
                ],
            ),
        )
        if vif is not None:
            messages.success(
                request,
                _("Received on VİF %(year)s/%(number)s.")
                % {"year": vif.year, "number": vif.number},
            )
            return redirect("assets:stock-item", data["item"].pk)
    return render(
        request, "assets/stock/form.html", {"form": form, "title": _("Receive consumables")}
    )


@page
def stock_issue(request):
    _readable(request)
    if not services.may_issue_stock(request.user):
        raise Forbidden(_("Only the movable property officer issues consumables."))
    ticket_id = request.POST.get("ticket") or request.GET.get("ticket")
    ticket = _visible_ticket(request, ticket_id) if ticket_id else None
    initial = {"item": request.GET.get("item"), "ticket": ticket.pk if ticket else None}
    form = IssueForm(posted(request), initial=initial)
    required = ("store", "item", "quantity")
    if request.method == "POST" and form.is_valid() and _required(form, *required):
        data = form.cleaned_data
        issued = run_service(
            form,
            lambda: services.stock_issue(
                actor=request.user,
                item=data["item"],
                store=data["store"],
                quantity=data["quantity"],
                ticket=ticket,
            ),
        )
        if issued:
            vif = issued[0].vif_line.vif
            messages.success(
                request,
                _("Issued on VİF %(year)s/%(number)s.") % {"year": vif.year, "number": vif.number},
            )
            if ticket is not None:
                return redirect(f"{_parts_url()}?ticket={ticket.pk}")
            return redirect("assets:stock-item", data["item"].pk)
    title = _("Issue consumables")
    return render(
        request, "assets/stock/form.html", {"form": form, "title": title, "ticket": ticket}
    )


def _parts_url() -> str:
    from django.urls import reverse

    return reverse("assets:stock-parts")


@page
def parts_used(request):
    """The parts issued from stock against one service-desk request (?ticket=<id>)."""
    ticket = _visible_ticket(request, request.GET.get("ticket"))
    issues = list(services.issues_for_ticket(ticket))
    context = {
        "ticket": ticket,
        "issues": issues,
        "total": services.issued_total(issues),
        "may_issue": services.may_issue_stock(request.user),
    }
    return render(request, "assets/stock/parts.html", context)
