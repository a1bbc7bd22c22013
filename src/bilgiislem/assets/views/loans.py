"""Pages of loans (emanet: an item lent to someone who is not staff, art. 23/7) and of an item
sent for repair.

The loan list is for Bilgi İşlem (404 for everyone else); a loan is also visible to its
coordinating unit. Lending, taking back and repairs are for the kayıt yetkilisi and the
Director (403 for other readers); an item a person may not see answers 404.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit
from bilgiislem.servicedesk.models import Ticket

from ..choices import AssetStatus
from ..loan_pdf import loan_pdf
from ..models import Asset
from ..selectors import asset_get_for_user
from ..services import loans as services
from ..services import repair as repair_services
from ._pages import Forbidden, page, posted, run_service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PER_PAGE = 200
STATES = (
    ("open", gettext_lazy("Not returned")),
    ("overdue", gettext_lazy("Overdue")),
    ("returned", gettext_lazy("Returned")),
)


def _require_manager(user) -> None:
    if not services.may_manage_loans(user):
        raise Forbidden(_("Only the movable property officer or the Director may do this."))


def asset_by_sicil(sicil: str) -> Asset:
    """The item with this registration number, else a refusal naming ``asset``."""
    asset = Asset.objects.filter(sicil_no=(sicil or "").strip()).first()
    if asset is None:
        raise DomainError(_("No item has this registration number."), field="asset")
    return asset


def ticket_by_number(text: str) -> Ticket | None:
    """A service request by its number as printed (``2026-000015``, ``2026/15``)."""
    text = (text or "").strip()
    if not text:
        return None
    year, _sep, number = text.replace("/", "-").partition("-")
    ticket = None
    if year.isdigit() and number.isdigit():
        ticket = Ticket.objects.filter(year=int(year), number=int(number)).first()
    if ticket is None:
        raise DomainError(_("No service request has this number."), field="ticket")
    return ticket


# --- Loans -----------------------------------------------------------------------------


class LoanForm(forms.Form):
    asset = forms.CharField(
        label=gettext_lazy("Registration number (sicil)"), max_length=60, required=False
    )
    borrower = forms.CharField(
        label=gettext_lazy("Borrower (body or person)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("A school, a muhtarlık, another public body …"),
    )
    borrower_contact = forms.CharField(
        label=gettext_lazy("Borrower's contact"), max_length=300, required=False
    )
    coordinating_unit = forms.ModelChoiceField(
        label=gettext_lazy("Coordinating unit"), queryset=OrgUnit.objects.none(), required=False
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(label=gettext_lazy("Due back on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinating_unit"].queryset = OrgUnit.objects.active_on().order_by("name")


class LoanReturnForm(forms.Form):
    return_note = forms.CharField(
        label=gettext_lazy("Condition on return"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


@page
def loan_list(request):
    if not services.may_view_loan_list(request.user):
        raise Http404(_("No such page."))
    state = request.GET.get("state", "")
    rows = services.loan_filter(services.loans_visible(request.user), state)
    return render(
        request,
        "assets/loans/list.html",
        {
            "rows": rows[:PER_PAGE],
            "states": STATES,
            "state": state,
            "may_manage": services.may_manage_loans(request.user),
        },
    )


@page
def loan_new(request):
    _require_manager(request.user)
    initial = {}
    chosen = request.GET.get("asset", "")
    if chosen.isdigit():
        asset = Asset.objects.filter(pk=int(chosen)).only("sicil_no").first()
        initial["asset"] = asset.sicil_no if asset else ""
    form = LoanForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        loan = run_service(
            form,
            lambda: services.asset_lend(
                actor=request.user,
                asset=asset_by_sicil(data["asset"]),
                borrower=data["borrower"],
                borrower_contact=data["borrower_contact"],
                coordinating_unit=data["coordinating_unit"],
                purpose=data["purpose"],
                due_on=data["due_on"],
            ),
        )
        if loan is not None:
            messages.success(request, _("The item is lent on a tutanak."))
            return redirect("assets:loan-detail", loan.pk)
    return render(request, "assets/loans/form.html", {"form": form, "title": _("Lend an item")})


@page
def loan_detail(request, pk):
    loan = get_object_or_404(services.loans_visible(request.user), pk=pk)
    may_return = loan.returned_at is None and services.may_manage_loans(request.user)
    form = LoanReturnForm(posted(request))
    if request.method == "POST":
        if not may_return:
            raise Forbidden(_("Only the movable property officer or the Director may do this."))
        if form.is_valid():
            done = run_service(
                form,
                lambda: services.loan_return(
                    actor=request.user, loan=loan, condition=form.cleaned_data["return_note"]
                ),
            )
            if done is not None:
                messages.success(request, _("The item is back in the store."))
                return redirect("assets:loan-detail", loan.pk)
    return render(
        request,
        "assets/loans/detail.html",
        {"loan": loan, "may_return": may_return, "form": form},
    )


@page
def loan_print(request, pk):
    loan = get_object_or_404(services.loans_visible(request.user), pk=pk)
    response = HttpResponse(loan_pdf(loan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="emanet-{loan.year}-{loan.number}.pdf"'
    return response


# --- Repair ----------------------------------------------------------------------------


class RepairSendForm(forms.Form):
    ticket = forms.CharField(
        label=gettext_lazy("Service request number"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example 2026-000015. Optional."),
    )
    vendor_note = forms.CharField(
        label=gettext_lazy("Repairer and note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RepairBackForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


@page
def asset_repair(request, pk):
    """Send the item for repair (GET: the form)."""
    asset = asset_get_for_user(request.user, pk)
    _require_manager(request.user)
    form = RepairSendForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: repair_services.asset_send_for_repair(
                actor=request.user,
                asset=asset,
                ticket=ticket_by_number(data["ticket"]),
                vendor_note=data["vendor_note"],
            ),
        )
        if done is not None:
            messages.success(request, _("The item is recorded as in repair."))
            return redirect("assets:asset-detail", asset.pk)
    return render(
        request,
        "assets/loans/repair_form.html",
        {"form": form, "asset": asset, "title": _("Send for repair")},
    )


@page
def asset_repair_back(request, pk):
    """The item is back from repair (GET: the form)."""
    asset = asset_get_for_user(request.user, pk)
    _require_manager(request.user)
    form = RepairBackForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: repair_services.asset_back_from_repair(
                actor=request.user, asset=asset, note=form.cleaned_data["note"]
            ),
        )
        if done is not None:
            messages.success(request, _("The item is back from repair."))
            return redirect("assets:asset-detail", asset.pk)
    return render(
        request,
        "assets/loans/repair_form.html",
        {
            "form": form,
            "asset": asset,
            "title": _("Back from repair"),
            "in_repair": asset.status == AssetStatus.IN_REPAIR,
        },
    )
