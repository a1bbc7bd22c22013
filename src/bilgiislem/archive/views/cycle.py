"""The yearly cycle pages (Yıllık döngü, standards.md 4): this year's state per unit, the
January review list of a unit (page, PDF, CSV) with its confirmation, and the February
transfer lists (prepare, hand over, receive, print)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.views.common import Forbidden, page, run_service

from ..choices import TransferState
from ..models import DisposalList, Folder
from ..services import cycle

STEP_OF_MONTH = {1: "review", 2: "transfer", 3: "disposal"}


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2999)


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PrepareForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def _units_or_404(user):
    units = cycle.cycle_unit_ids(user)
    if units is not None and not units:
        raise Http404(_("You follow no unit's archive."))
    return units


def _refusal(exc) -> str:
    return " ".join(m for ms in exc.errors.values() for m in ms)


@page
def cycle_page(request):
    """This year's cycle, per unit the person follows."""
    _units_or_404(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    rows = cycle.cycle_overview(request.user, year)
    for row in rows:
        row.may_prepare = (
            row.transfer_due > 0
            and year <= today.year
            and cycle.unit_side_post(request.user, row.unit.pk) is not None
        )
    context = {
        "year": year,
        "rows": rows,
        "step": STEP_OF_MONTH.get(today.month) if year == today.year else None,
        "disposal_lists": DisposalList.objects.filter(year=year).select_related("commission"),
        "years": [today.year - 1, today.year],
    }
    return render(request, "archive/cycle/cycle.html", context)


def _review_for(user, year, unit_pk):
    units = _units_or_404(user)
    if units is not None and unit_pk not in units:
        raise Http404(_("No such review."))
    try:
        unit = OrgUnit.objects.get(pk=unit_pk)
    except OrgUnit.DoesNotExist:
        raise Http404(_("No such review.")) from None
    found = cycle.annual_review_lists(year, person=user, unit=unit)
    return unit, (found[0] if found else cycle.UnitReview(unit, year, [], None))


def _review_page(request, unit, review, form=None, status=200):
    may_confirm = (
        not review.confirmed
        and review.folders
        and cycle.unit_manager_post(request.user, unit.pk) is not None
    )
    context = {
        "unit": unit,
        "review": review,
        "folders": review.folders,
        "form": (form or ConfirmForm()) if may_confirm else None,
    }
    return render(request, "archive/cycle/review.html", context, status=status)


@page
def review_detail(request, year, unit):
    """A unit's January list of its folders closed in ``year``; ``?format=pdf|csv``."""
    unit, review = _review_for(request.user, year, unit)
    export = request.GET.get("format")
    filename = f"yillik-kontrol-{unit.code}-{year}"
    if export == "csv":
        response = HttpResponse(cycle.annual_review_csv(review), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if export == "pdf":
        pdf = cycle.annual_review_pdf(review, printed_by=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return _review_page(request, unit, review)


@page
@require_POST
def review_confirm(request, year, unit):
    unit, review = _review_for(request.user, year, unit)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: cycle.annual_review_confirm(
                actor=request.user, unit=unit, year=year, note=form.cleaned_data["note"]
            ),
            field_map={"year": "__all__"},
        )
        if done is not None:
            messages.success(request, _("The annual review is confirmed."))
            return redirect("archive:review-detail", year=year, unit=unit.pk)
    return _review_page(request, unit, review, form=form, status=400)


# --- transfer lists --------------------------------------------------------------------------


@page
@require_POST
def transfer_prepare(request):
    _units_or_404(request.user)
    form = PrepareForm(request.POST)
    if not form.is_valid():
        raise Http404(_("No such unit."))
    units = cycle.cycle_unit_ids(request.user)
    unit_pk = form.cleaned_data["unit"]
    if units is not None and unit_pk not in units:
        raise Http404(_("No such unit."))
    unit = OrgUnit.objects.filter(pk=unit_pk).first()
    if unit is None:
        raise Http404(_("No such unit."))
    try:
        transfer = cycle.transfer_list_prepare(
            actor=request.user, unit=unit, year=form.cleaned_data["year"]
        )
    except PermissionDeniedError as exc:
        raise Forbidden(_refusal(exc)) from exc
    except DomainError as exc:
        messages.error(request, _refusal(exc))
        return redirect("archive:cycle")
    messages.success(request, _("The transfer list is prepared."))
    return redirect("archive:transfer-detail", pk=transfer.pk)


def _transfer_page(request, transfer, status=200, errors=(), **forms_):
    user = request.user
    unit_side = cycle.unit_side_post(user, transfer.unit_id) is not None
    receiver = cycle.institution_officer_post(user) is not None
    draft = transfer.state == TransferState.DRAFT
    folders = list(
        transfer.folders.select_related("code", "location").order_by("code__code", "year", "id")
    )
    context = {
        "transfer": transfer,
        "folders": folders,
        "rows": list(zip(folders, cycle.folder_rows(folders), strict=True)),
        "may_hand_over": unit_side and draft and folders,
        "may_receive": receiver and transfer.state == TransferState.HANDED_OVER,
        "may_change": unit_side and draft,
        "cancel_form": forms_.get("cancel_form") or ReasonForm(prefix="cancel"),
        "remove_form": forms_.get("remove_form") or ReasonForm(prefix="remove"),
        "action_errors": list(errors),
    }
    return render(request, "archive/cycle/transfer.html", context, status=status)


@page
def transfer_detail(request, pk):
    transfer = cycle.transfer_get_for_user(request.user, pk)
    if request.GET.get("format") == "pdf":
        pdf = cycle.transfer_list_pdf(transfer, printed_by=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="devir-teslim-{transfer.unit.code}-{transfer.year}.pdf"'
        )
        return response
    return _transfer_page(request, transfer)


def _transfer_act(request, pk, call, message, **forms_):
    transfer = cycle.transfer_get_for_user(request.user, pk)
    try:
        call(transfer)
    except PermissionDeniedError as exc:
        raise Forbidden(_refusal(exc)) from exc
    except DomainError as exc:
        # The refusal is shown above the actions; the forms keep what was typed.
        return _transfer_page(request, transfer, status=400, errors=[_refusal(exc)], **forms_)
    messages.success(request, message)
    return redirect("archive:transfer-detail", pk=transfer.pk)


@page
@require_POST
def transfer_hand_over(request, pk):
    return _transfer_act(
        request,
        pk,
        lambda t: cycle.transfer_list_hand_over(actor=request.user, transfer=t),
        _("The list is handed over to the institutional archive."),
    )


@page
@require_POST
def transfer_receive(request, pk):
    return _transfer_act(
        request,
        pk,
        lambda t: cycle.transfer_list_receive(actor=request.user, transfer=t),
        _("The folders are received in the institutional archive."),
    )


@page
@require_POST
def transfer_cancel(request, pk):
    reason = request.POST.get("cancel-reason", "")
    form = ReasonForm(prefix="cancel", initial={"reason": reason})
    return _transfer_act(
        request,
        pk,
        lambda t: cycle.transfer_list_cancel(actor=request.user, transfer=t, reason=reason),
        _("The list is cancelled."),
        cancel_form=form,
    )


@page
@require_POST
def transfer_remove(request, pk, folder):
    reason = request.POST.get("remove-reason", "")
    form = ReasonForm(prefix="remove", initial={"reason": reason})

    def call(transfer):
        item = Folder.objects.filter(pk=folder, transfers=transfer).first()
        if item is None:
            raise Http404(_("No such folder on this list."))
        return cycle.transfer_list_remove(
            actor=request.user, transfer=transfer, folder=item, reason=reason
        )

    return _transfer_act(
        request, pk, call, _("The folder is taken off the list."), remove_form=form
    )
