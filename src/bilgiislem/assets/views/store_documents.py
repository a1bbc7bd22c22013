"""Store document pages: the Taşınır Geçici Alındısı (record goods received, accept them into a
purchase VİF draft or refuse them, print two copies) and the Ambar Devir ve Teslim Tutanağı
(prepare, accept, cancel, print three copies).

Receipts are read by Bilgi İşlem staff (404 for anyone else); a tutanak by the staff and the
two officers it names. A visible object whose act is not the person's answers 403.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.paginator import CappedPaginator
from bilgiislem.organization.models import Person

from .. import permissions
from ..choices import ReceiptState, StoreHandoverState
from ..models import Store, TemporaryReceipt
from ..services import receipts as receipt_services
from ..services import store_handover as handover_services
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = 8


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    # Our own PDF with an ASCII name: shown in the browser, like the VİF.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _people():
    return Person.objects.filter(is_active=True).order_by("first_name", "last_name", "pk")


# --- Taşınır Geçici Alındısı ---------------------------------------------------------------


def receipts_visible(person):
    if not receipt_services.may_view_receipts(person):
        raise Http404(_("No such page."))
    return TemporaryReceipt.objects.select_related("store__unit", "received_by", "vif")


class ReceiptForm(forms.Form):
    store = forms.ModelChoiceField(
        label=gettext_lazy("Store"), queryset=Store.objects.all(), required=False
    )
    supplier = forms.CharField(label=gettext_lazy("Supplier"), max_length=300, required=False)
    ikn = forms.CharField(label=gettext_lazy("Tender number (İKN)"), max_length=30, required=False)
    delivery_note = forms.CharField(
        label=gettext_lazy("Delivery note or invoice"), max_length=100, required=False
    )
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=DATE, required=False)


class ReceiptLineForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Movable property code"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False)
    unit_of_measure = forms.CharField(
        label=gettext_lazy("Unit of measure"), max_length=20, required=False
    )
    unit_price = forms.DecimalField(label=gettext_lazy("Unit price"), required=False)


ReceiptLineFormSet = forms.formset_factory(ReceiptLineForm, extra=LINES, max_num=LINES)


class AcceptForm(forms.Form):
    acceptance_reference = forms.CharField(
        label=gettext_lazy("Acceptance report"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The muayene ve kabul tutanağı's number or name."),
    )
    acceptance_date = forms.DateField(
        label=gettext_lazy("Acceptance report date"), widget=DATE, required=False
    )
    date = forms.DateField(label=gettext_lazy("VİF date"), widget=DATE, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RefuseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why the goods are refused"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


def _receipt_lines(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset
        if any(form.cleaned_data.get(k) for k in ("code", "description", "quantity"))
    ]


@page
def receipt_list(request):
    rows = receipts_visible(request.user)
    state = request.GET.get("state", "")
    if state in ReceiptState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "assets/store_documents/receipt_list.html",
        {
            "page_obj": CappedPaginator(rows, PER_PAGE).get_page(request.GET.get("page")),
            "states": ReceiptState.choices,
            "state": state,
            "may_record": receipt_services.may_record_receipts(request.user),
        },
    )


@page
def receipt_new(request):
    receipts_visible(request.user)  # 404 outside Bilgi İşlem
    if not receipt_services.may_record_receipts(request.user):
        raise Forbidden(_("Only the movable property officer records goods received."))
    form = ReceiptForm(posted(request), initial={"received_on": timezone.localdate()})
    formset = ReceiptLineFormSet(posted(request), prefix="line")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        receipt = run_service(
            form,
            lambda: receipt_services.receipt_create(
                actor=request.user,
                store=data["store"],
                supplier=data["supplier"],
                ikn=data["ikn"],
                delivery_note=data["delivery_note"],
                received_on=data["received_on"],
                lines=_receipt_lines(formset),
            ),
        )
        if receipt is not None:
            messages.success(
                request,
                _("Geçici Alındı %(n)s recorded.") % {"n": f"{receipt.year}/{receipt.number}"},
            )
            return redirect("assets:receipt-detail", receipt.pk)
    return render(
        request, "assets/store_documents/receipt_form.html", {"form": form, "formset": formset}
    )


@page
def receipt_detail(request, pk):
    receipt = get_object_or_404(receipts_visible(request.user), pk=pk)
    may_decide = receipt.state == ReceiptState.OPEN and receipt_services.may_decide_receipts(
        request.user
    )
    accept_form = AcceptForm(
        request.POST if "accept" in request.POST else None,
        initial={"date": timezone.localdate()},
    )
    refuse_form = RefuseForm(request.POST if "refuse" in request.POST else None)
    if request.method == "POST":
        if not may_decide:
            raise Forbidden(_("Only the movable property officer or the Director may do this."))
        done = None
        if "accept" in request.POST and accept_form.is_valid():
            data = accept_form.cleaned_data
            done = run_service(
                accept_form,
                lambda: receipt_services.receipt_accept(
                    actor=request.user,
                    receipt=receipt,
                    acceptance_reference=data["acceptance_reference"],
                    acceptance_date=data["acceptance_date"],
                    date=data["date"],
                    note=data["note"],
                ),
            )
            if done is not None:
                messages.success(request, _("Accepted: sign off the VİF to enter the goods."))
        elif "refuse" in request.POST and refuse_form.is_valid():
            done = run_service(
                refuse_form,
                lambda: receipt_services.receipt_refuse(
                    actor=request.user, receipt=receipt, note=refuse_form.cleaned_data["note"]
                ),
            )
            if done is not None:
                messages.success(request, _("Refused: the goods go back to the supplier."))
        if done is not None:
            return redirect("assets:receipt-detail", receipt.pk)
    lines, total = receipt_services.receipt_lines(receipt)
    return render(
        request,
        "assets/store_documents/receipt_detail.html",
        {
            "receipt": receipt,
            "lines": lines,
            "total": total,
            "may_decide": may_decide,
            "accept_form": accept_form,
            "refuse_form": refuse_form,
        },
    )


@page
def receipt_print(request, pk):
    receipt = get_object_or_404(receipts_visible(request.user), pk=pk)
    return _pdf(
        receipt_services.receipt_pdf(receipt),
        f"gecici-alindi-{receipt.year}-{receipt.number}.pdf",
    )


# --- Ambar Devir ve Teslim Tutanağı --------------------------------------------------------


class StoreHandoverForm(forms.Form):
    store = forms.ModelChoiceField(
        label=gettext_lazy("Store"), queryset=Store.objects.all(), required=False
    )
    received_by = forms.ModelChoiceField(
        label=gettext_lazy("Devralan"), queryset=Person.objects.none(), required=False
    )
    handed_by = forms.ModelChoiceField(
        label=gettext_lazy("Devreden"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Leave empty when you hand the store over yourself; the Director may name the "
            "outgoing officer."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, director=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_by"].queryset = _people()
        if director:
            self.fields["handed_by"].queryset = _people()
        else:
            del self.fields["handed_by"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is cancelled"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


@page
def store_handover_list(request):
    if not handover_services.may_view_store_handovers(request.user):
        raise Http404(_("No such page."))
    rows = handover_services.store_handovers_visible(request.user)
    state = request.GET.get("state", "")
    if state in StoreHandoverState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "assets/store_documents/store_handover_list.html",
        {
            "page_obj": CappedPaginator(rows, PER_PAGE).get_page(request.GET.get("page")),
            "states": StoreHandoverState.choices,
            "state": state,
            "may_prepare": handover_services.may_prepare(request.user),
        },
    )


@page
def store_handover_new(request):
    if not handover_services.may_view_store_handovers(request.user):
        raise Http404(_("No such page."))
    if not handover_services.may_prepare(request.user):
        raise Forbidden(
            _("Only the movable property officer or the Director prepares a store handover.")
        )
    director = permissions.harcama_post(request.user) is not None
    form = StoreHandoverForm(posted(request), director=director)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        handover = run_service(
            form,
            lambda: handover_services.store_handover_prepare(
                actor=request.user,
                store=data["store"],
                received_by=data["received_by"],
                handed_by=data.get("handed_by"),
                note=data["note"],
            ),
        )
        if handover is not None:
            messages.success(request, _("The tutanak is prepared and waits for acceptance."))
            return redirect("assets:store-handover-detail", handover.pk)
    return render(request, "assets/store_documents/store_handover_form.html", {"form": form})


@page
def store_handover_detail(request, pk):
    handover = get_object_or_404(handover_services.store_handovers_visible(request.user), pk=pk)
    prepared = handover.state == StoreHandoverState.PREPARED
    may_accept = prepared and handover.received_by_id == request.user.pk
    may_cancel = prepared and permissions.harcama_post(request.user) is not None
    cancel_form = CancelForm(request.POST if "cancel" in request.POST else None)
    if request.method == "POST":
        if not (may_accept or may_cancel):
            raise Forbidden(_("Only the person taking the store over accepts it."))
        done = None
        if "accept" in request.POST:
            if not may_accept:
                raise Forbidden(_("Only the person taking the store over accepts it."))
            done = run_service(
                cancel_form,
                lambda: handover_services.store_handover_accept(
                    actor=request.user, handover=handover
                ),
            )
            if done is not None:
                messages.success(request, _("You have taken the store over."))
        elif "cancel" in request.POST:
            if not may_cancel:
                raise Forbidden(_("Only the Director (harcama yetkilisi) may do this."))
            if cancel_form.is_valid():
                done = run_service(
                    cancel_form,
                    lambda: handover_services.store_handover_cancel(
                        actor=request.user,
                        handover=handover,
                        reason=cancel_form.cleaned_data["reason"],
                    ),
                )
                if done is not None:
                    messages.success(request, _("The tutanak is cancelled."))
        if done is not None:
            return redirect("assets:store-handover-detail", handover.pk)
    return render(
        request,
        "assets/store_documents/store_handover_detail.html",
        {
            "h": handover,
            "content": handover.items or {},
            "may_accept": may_accept,
            "may_cancel": may_cancel,
            "cancel_form": cancel_form,
        },
    )


@page
def store_handover_print(request, pk):
    handover = get_object_or_404(handover_services.store_handovers_visible(request.user), pk=pk)
    return _pdf(
        handover_services.store_handover_pdf(handover),
        f"ambar-devir-{handover.year}-{handover.number}.pdf",
    )
