"""Vendor contract pages (RYY art. 6(ğ)) and handing a request to a vendor and back.

Contracts: read by anyone posted in Bilgi İşlem, kept by the Director and the Chief (403 for
the other readers), 404 for everyone else. A request's vendor actions: 404 when the person
may not see the request, 403 when they see it but may not act.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..models import VendorContract
from ..querysets import ticket_get_for_user, tickets
from ..services import agreements as agreement_services
from ..services import vendors as services
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50


def _readable(request) -> None:
    if not agreement_services.may_view_agreements(request.user):
        raise Http404(_("No such page."))


def _manager(request) -> None:
    _readable(request)
    if not services.may_manage_contracts(request.user):
        raise Forbidden(_("Only the Director or the Chief records vendor contracts."))


class ContractForm(forms.Form):
    vendor = forms.CharField(label=gettext_lazy("Vendor"), max_length=300, required=False)
    number = forms.CharField(label=gettext_lazy("Contract number"), max_length=100, required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=500, required=False)
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    pauses_sla = forms.BooleanField(
        label=gettext_lazy("Our clock pauses while the vendor works"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "As the contract's terms say: the vendor's own time does not count against us."
        ),
    )
    contact = forms.CharField(label=gettext_lazy("Contact"), max_length=300, required=False)


class HandoffForm(forms.Form):
    contract = forms.ModelChoiceField(
        label=gettext_lazy("Contract"), queryset=VendorContract.objects.none(), required=False
    )
    vendor_reference = forms.CharField(
        label=gettext_lazy("Vendor's ticket number"), max_length=100, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = services.contracts_in_force()


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the vendor did"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ---------------------------------------------------------------- contracts


@page
def contract_list(request):
    _readable(request)
    show = request.GET.get("show", "current")
    contracts = services.contracts_in_force() if show != "all" else VendorContract.objects.all()
    contracts = contracts.annotate(
        open_handoffs=Count("handoffs", filter=Q(handoffs__returned_at__isnull=True))
    ).order_by("vendor", "-valid_from", "pk")
    paged = Paginator(contracts, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "contracts": paged,
        "show": show,
        "may_manage": services.may_manage_contracts(request.user),
    }
    return render(request, "servicedesk/vendors/list.html", context)


@page
def contract_new(request):
    _manager(request)
    form = ContractForm(posted(request))
    if request.method == "POST" and form.is_valid():
        contract = run_service(
            form,
            lambda: services.vendor_contract_create(actor=request.user, **form.cleaned_data),
        )
        if contract is not None:
            messages.success(request, _("The contract is recorded."))
            return redirect("servicedesk:vendor-contract-detail", contract.pk)
    return render(request, "servicedesk/vendors/form.html", {"form": form})


@page
def contract_edit(request, pk):
    _manager(request)
    contract = get_object_or_404(VendorContract, pk=pk)
    initial = {name: getattr(contract, name) for name in ContractForm.base_fields}
    form = ContractForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.vendor_contract_update(
                actor=request.user, contract=contract, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The contract is saved."))
            return redirect("servicedesk:vendor-contract-detail", contract.pk)
    return render(request, "servicedesk/vendors/form.html", {"form": form, "contract": contract})


@page
def contract_detail(request, pk):
    _readable(request)
    contract = get_object_or_404(VendorContract, pk=pk)
    # Only the requests the person may see are listed (invariant 4).
    handoffs = (
        contract.handoffs.filter(ticket__in=tickets().visible_to(request.user))
        .select_related("ticket", "sent_by")
        .order_by("-sent_at")
    )
    paged = Paginator(handoffs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "contract": contract,
        "handoffs": paged,
        "in_force": services.contract_in_force(contract, timezone.localdate()),
        "may_manage": services.may_manage_contracts(request.user),
    }
    return render(request, "servicedesk/vendors/detail.html", context)


# ---------------------------------------------------------------- a request and a vendor


def _ticket_for_vendor_action(request, pk):
    ticket = ticket_get_for_user(request.user, pk, related=("queue", "assignee"))
    if not services.may_hand_to_vendor(request.user, ticket):
        raise Forbidden(
            _("Only the person it is assigned to, or who divides the work, deals with vendors.")
        )
    return ticket


@page
def ticket_vendor(request, pk):
    """Hand the request to a vendor (GET: the form)."""
    ticket = _ticket_for_vendor_action(request, pk)
    form = HandoffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        handoff = run_service(
            form,
            lambda: services.ticket_hand_to_vendor(
                actor=request.user,
                ticket=ticket,
                contract=data["contract"],
                vendor_reference=data["vendor_reference"],
                note=data["note"],
            ),
        )
        if handoff is not None:
            messages.success(request, _("The request is handed to the vendor."))
            return redirect("servicedesk:ticket-detail", ticket.pk)
    return render(request, "servicedesk/vendors/handoff.html", {"ticket": ticket, "form": form})


@page
@require_POST
def ticket_vendor_return(request, pk):
    """The vendor sent the request back."""
    ticket = _ticket_for_vendor_action(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.ticket_vendor_returned(
                actor=request.user, ticket=ticket, note=form.cleaned_data["note"]
            ),
        )
        if done is not None:
            messages.success(request, _("The vendor's return is recorded."))
            return redirect("servicedesk:ticket-detail", ticket.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("servicedesk:ticket-detail", ticket.pk)
