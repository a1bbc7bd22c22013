"""Write-off pages (Kayıttan Düşme): commissions, proposals, the Director's decision, the
Kayıttan Düşme Teklif ve Onay Tutanağı as PDF, and the wipe record of a storage medium.

Read by anyone posted in Bilgi İşlem (404 for everyone else); the Director appoints and
decides, a member of the commission proposes (403 for other readers).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.downloads import content_disposition
from bilgiislem.core.errors import DomainError
from bilgiislem.core.forms import apply_domain_error
from bilgiislem.organization.models import Person

from .. import permissions
from ..choices import WriteOffReason, WriteOffState
from ..models import Board, WriteOff
from ..services import writeoff as services
from ..services import writeoff_report
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50


def _readable(request) -> None:
    if not services.may_view_writeoffs(request.user):
        raise Http404(_("No such page."))


def _people():
    return Person.objects.filter(is_active=True).order_by("first_name", "last_name", "pk")


class CommissionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy("At least three people."),
    )
    chair = forms.ModelChoiceField(
        label=gettext_lazy("Chair"), queryset=Person.objects.none(), required=False
    )
    expert = forms.ModelChoiceField(
        label=gettext_lazy("Expert member"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "One of the members, an expert on the items: needed for scrapping and breakage."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _people()
        self.fields["chair"].queryset = _people()
        self.fields["expert"].queryset = _people()


class ProposalForm(forms.Form):
    commission = forms.ModelChoiceField(
        label=gettext_lazy("Commission"), queryset=Board.objects.none(), required=False
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=WriteOffReason.choices, required=False
    )
    explanation = forms.CharField(
        label=gettext_lazy("The commission's finding"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    assets = forms.CharField(
        label=gettext_lazy("Sicil numbers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("One a line."),
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Board.objects.filter(
            purpose=Board.Purpose.WRITE_OFF, members=person
        )


class OnReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[(r.value, r.label) for r in WriteOffReason if r in services.REPORT_REASONS],
        required=False,
    )
    loss_report = forms.CharField(
        label=gettext_lazy("Report documenting the loss"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "e.g. the police report, the fire brigade report, the count minute."
        ),
    )
    loss_report_date = forms.DateField(
        label=gettext_lazy("Date of the report"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    loss_report_document = forms.CharField(
        label=gettext_lazy("Registered document"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Optional: its registry number as year/number, e.g. 2026/145."),
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    assets = forms.CharField(
        label=gettext_lazy("Sicil numbers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("One a line."),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why not approved"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class WipeForm(forms.Form):
    asset = forms.CharField(label=gettext_lazy("Sicil number"), max_length=60, required=False)
    method = forms.CharField(
        label=gettext_lazy("Method"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("e.g. overwritten three times, degaussed, drilled, shredded."),
    )
    witnessed_by = forms.ModelChoiceField(
        label=gettext_lazy("Witnessed by"), queryset=Person.objects.none(), required=False
    )
    performed_at = forms.DateTimeField(
        label=gettext_lazy("Performed at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witnessed_by"].queryset = _people()


@page
def writeoff_list(request):
    _readable(request)
    rows = WriteOff.objects.select_related("commission", "vif").order_by("-proposed_at", "-pk")
    state = request.GET.get("state", "")
    if state in WriteOffState.values:
        rows = rows.filter(state=state)
    context = {
        "writeoffs": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "commissions": Board.objects.filter(purpose=Board.Purpose.WRITE_OFF)
        .select_related("chair")
        .prefetch_related("members"),
        "states": WriteOffState.choices,
        "state": state,
        "is_director": permissions.harcama_post(request.user) is not None,
        "may_register": permissions.can_register(request.user),
        "is_member": Board.objects.filter(
            purpose=Board.Purpose.WRITE_OFF, members=request.user
        ).exists(),
    }
    return render(request, "assets/writeoff/list.html", context)


@page
def commission_new(request):
    _readable(request)
    if permissions.harcama_post(request.user) is None:
        raise Forbidden(_("Only the Director (harcama yetkilisi) may do this."))
    form = CommissionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        board = run_service(
            form,
            lambda: services.writeoff_commission_appoint(
                actor=request.user,
                name=data["name"],
                members=data["members"],
                chair=data["chair"],
                expert=data["expert"],
            ),
        )
        if board is not None:
            messages.success(request, _("The commission is appointed."))
            return redirect("assets:writeoffs")
    title = _("Appoint a write-off commission")
    return render(request, "assets/writeoff/form.html", {"form": form, "title": title})


@page
def writeoff_new(request):
    _readable(request)
    form = ProposalForm(posted(request), person=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["commission"] is None:
            form.add_error("commission", _("Choose the commission."))
        else:

            def propose():
                return services.writeoff_propose(
                    actor=request.user,
                    commission=data["commission"],
                    reason=data["reason"],
                    explanation=data["explanation"],
                    assets=services.assets_by_sicil(data["assets"]),
                )

            proposal = run_service(form, propose)
            if proposal is not None:
                messages.success(request, _("The proposal is sent to the Director."))
                return redirect("assets:writeoff-detail", proposal.pk)
    title = _("Propose a write-off")
    return render(request, "assets/writeoff/form.html", {"form": form, "title": title})


@page
def writeoff_on_report_new(request):
    """The kayıt yetkilisi records a write-off on a report documenting the loss."""
    _readable(request)
    if not permissions.can_register(request.user):
        raise Forbidden(_("Only the movable property officer or the Director may do this."))
    form = OnReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def record():
            return services.writeoff_on_report(
                actor=request.user,
                reason=data["reason"],
                explanation=data["explanation"],
                assets=services.assets_by_sicil(data["assets"]),
                loss_report=data["loss_report"],
                loss_report_date=data["loss_report_date"],
                loss_report_document=services.registered_document(
                    request.user, data["loss_report_document"]
                ),
            )

        writeoff = run_service(form, record)
        if writeoff is not None:
            messages.success(request, _("The write-off is sent to the Director."))
            return redirect("assets:writeoff-detail", writeoff.pk)
    title = _("Write off on a report documenting the loss")
    status = 400 if form.is_bound else 200
    return render(
        request, "assets/writeoff/form.html", {"form": form, "title": title}, status=status
    )


@page
def writeoff_detail(request, pk):
    _readable(request)
    writeoff = get_object_or_404(
        WriteOff.objects.select_related(
            "commission", "proposed_by", "decided_by", "vif", "loss_report_document"
        ),
        pk=pk,
    )
    form = DecisionForm(posted(request))
    is_director = permissions.harcama_post(request.user) is not None
    if request.method == "POST":
        if not is_director:
            raise Forbidden(_("Only the Director (harcama yetkilisi) may do this."))
        if form.is_valid():
            if "approve" in request.POST:
                done = run_service(
                    form, lambda: services.writeoff_approve(actor=request.user, writeoff=writeoff)
                )
            else:
                done = run_service(
                    form,
                    lambda: services.writeoff_reject(
                        actor=request.user, writeoff=writeoff, reason=form.cleaned_data["reason"]
                    ),
                )
            if done is not None:
                messages.success(request, _("The decision is recorded."))
                return redirect("assets:writeoff-detail", writeoff.pk)
    assets = list(writeoff.assets.select_related("code", "store").order_by("sicil_no"))
    context = {
        "writeoff": writeoff,
        "assets": assets,
        "unwiped": set()
        if writeoff.reason in services.NOT_IN_HAND
        else {a.pk for a in services.unwiped(assets)},
        "members": writeoff.commission.members.all() if writeoff.commission_id else [],
        "form": form,
        "may_decide": is_director and writeoff.state == WriteOffState.PROPOSED,
    }
    return render(request, "assets/writeoff/detail.html", context)


@page
def writeoff_minute(request, pk):
    """The approved minute as printed and kept (checked against its SHA-256)."""
    from bilgiislem.core.storage import open_verified

    _readable(request)
    writeoff = get_object_or_404(WriteOff, pk=pk)
    if not writeoff.minute_sha256:
        raise Http404(_("No minute yet."))
    response = HttpResponse(open_verified(writeoff.minute_sha256), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"kayittan-dusme-tutanagi-{writeoff.pk}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@page
def wipe_new(request):
    _readable(request)
    form = WipeForm(posted(request), initial={"asset": request.GET.get("asset", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = services.assets_by_sicil(data["asset"], field="asset")[0]
        except DomainError as exc:
            apply_domain_error(form, exc)
            asset = None
        if asset is not None:
            record = run_service(
                form,
                lambda: services.wipe_record(
                    actor=request.user,
                    asset=asset,
                    method=data["method"],
                    witnessed_by=data["witnessed_by"],
                    performed_at=data["performed_at"] or timezone.now(),
                    note=data["note"],
                ),
            )
            if record is not None:
                messages.success(request, _("The wipe is recorded."))
                return redirect("assets:writeoffs")
    title = _("Record a secure wipe or destruction")
    return render(request, "assets/writeoff/form.html", {"form": form, "title": title})


# ---------------------------------------------------------------- the yearly report


def _report_readable(request) -> None:
    if not writeoff_report.may_view_report(request.user):
        raise Http404(_("No such page."))


@page
def writeoff_year_report(request, year=None):
    """The consolidated write-off report of a year, for the top manager (art. 10/1-e)."""
    _report_readable(request)
    if year is None:
        # In January the report on last year is due.
        return redirect("assets:writeoff-year-report", timezone.localdate().year - 1)
    if not 2000 <= year <= 2100:
        raise Http404(_("No such page."))
    report = writeoff_report.writeoff_year_report(year)
    return render(
        request,
        "assets/writeoff/year_report.html",
        {"report": report, "previous": year - 1, "next": year + 1},
    )


@page
def writeoff_year_report_file(request, year, fmt):
    _report_readable(request)
    if not 2000 <= year <= 2100 or fmt not in ("pdf", "csv"):
        raise Http404(_("No such page."))
    report = writeoff_report.writeoff_year_report(year)
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + writeoff_report.report_csv(report), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(writeoff_report.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"kayittan-dusme-{year}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response
