"""Disposal pages (İmha, RYY art. 13(ç)): the year's candidates, the commission, the lists
with their items, the members' and the superior's approvals, carrying a list out, and the
list and minute PDFs.

For the authorised superiors, commission members and archive officers; anyone else gets 404
as if the pages did not exist. An action the person may not take is 403 (the service records
the refusal); bad input re-shows the form with the error on the named field.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import Person
from bilgiislem.registry.views.common import Forbidden, page, posted, run_service

from .. import disposal_access as access
from .. import disposal_pdf, permissions
from ..choices import CommissionRole, DisposalListState
from ..models import (
    CommissionMember,
    DisposalApproval,
    DisposalCommission,
    DisposalItem,
    DisposalList,
)
from ..services import commission as commission_services
from ..services import disposal as services
from ..services import disposal_execution as execution

S = DisposalListState
PER_PAGE = 50
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


# --- forms -----------------------------------------------------------------------------------


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Disposal year"), min_value=1900, max_value=2999)


def _people():
    return Person.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class CommissionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    chair = forms.ModelChoiceField(label=gettext_lazy("Chair"), queryset=Person.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy("At least two besides the chair (hold Ctrl to choose several)."),
    )
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), input_formats=DATE_INPUT_FORMATS)
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"), required=False, input_formats=DATE_INPUT_FORMATS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _people()
        self.fields["members"].queryset = _people()


class ListCreateForm(forms.Form):
    commission = forms.ModelChoiceField(
        label=gettext_lazy("Commission"),
        queryset=DisposalCommission.objects.none(),
        empty_label=None,
    )
    year = forms.IntegerField(label=gettext_lazy("Disposal year"), min_value=1900, max_value=2999)

    def __init__(self, *args, commissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = commissions


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,  # the service names the field when it is empty
    )


class ExecuteForm(forms.Form):
    method = forms.CharField(
        label=gettext_lazy("Method of destruction"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("E.g. shredded with the paper shredder, sent for recycling."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=300, required=False)
    carried_out_on = forms.DateField(
        label=gettext_lazy("Date"), required=False, input_formats=DATE_INPUT_FORMATS
    )
    participants = forms.CharField(
        label=gettext_lazy("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("One name per line; empty: the members of the commission."),
    )


# --- helpers ---------------------------------------------------------------------------------


def _require_access(user) -> None:
    if not access.may_see_disposal(user):
        raise Http404


def _list_for(user, pk) -> DisposalList:
    return get_object_or_404(
        access.lists_visible_to(user).select_related(
            "commission", "created_by", "approved_by", "executed_by"
        ),
        pk=pk,
    )


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _messages(exc: DomainError) -> str:
    return " ".join(m for ms in exc.errors.values() for m in ms)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- pages -----------------------------------------------------------------------------------


@page
def disposal_home(request):
    """The year's candidates and State Archives transfers, the commissions and the lists."""
    _require_access(request.user)
    year = _year(request)
    candidates = (
        services.disposal_candidates(year)
        .select_related("unit", "code")
        .order_by("unit__name", "code__code", "year", "pk")
    )
    paged = Paginator(candidates, PER_PAGE).get_page(request.GET.get("page"))
    commissions = list(
        DisposalCommission.objects.prefetch_related(
            Prefetch("members", queryset=CommissionMember.objects.select_related("person"))
        ).order_by("-valid_from", "-pk")[:10]
    )
    lists = (
        access.lists_visible_to(request.user)
        .select_related("commission")
        .annotate(kept_count=Count("items", filter=Q(items__removed=False)))
        .order_by("-year", "-created_at")[:50]
    )
    chaired = access.commissions_in_force().filter(
        members__person=request.user, members__role=CommissionRole.CHAIR
    )
    context = {
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "candidates": paged,
        "transfers": services.state_archives_candidates(year).count(),
        "commissions": commissions,
        "lists": lists,
        "is_approver": access.approver_post(request.user) is not None,
        "can_create_list": chaired.exists(),
        "can_prepare_transfer": access.approver_post(request.user) is not None
        or permissions.is_institution_archive_officer(request.user),
    }
    return render(request, "archive/disposal/home.html", context)


@page
@require_POST
def state_archives_prepare(request):
    _require_access(request.user)
    try:
        transfer = services.state_archives_transfer_prepare(
            actor=request.user, year=request.POST.get("year")
        )
    except PermissionDeniedError as exc:
        raise Forbidden(_messages(exc)) from exc
    except DomainError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(
            request,
            _("The transfer list to the State Archives is proposed with %(n)s folders.")
            % {"n": transfer.folders.count()},
        )
    query = urlencode({"year": request.POST.get("year", "")})
    return redirect(f"{reverse('archive:disposal')}?{query}")


@page
def commission_create(request):
    _require_access(request.user)
    if access.approver_post(request.user) is None:
        raise Forbidden(_("Only the authorised superior can appoint the disposal commission."))
    form = CommissionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: commission_services.commission_appoint(
                actor=request.user,
                name=data["name"],
                chair=data["chair"],
                members=list(data["members"]),
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            ),
        )
        if done is not None:
            messages.success(request, _("The disposal commission is appointed."))
            return redirect("archive:disposal")
    return render(request, "archive/disposal/commission_form.html", {"form": form})


@page
def list_create(request):
    _require_access(request.user)
    commissions = access.commissions_in_force().filter(
        members__person=request.user, members__role=CommissionRole.CHAIR
    )
    if not commissions.exists():
        raise Forbidden(_("Only the chair of a commission in office prepares a disposal list."))
    initial = {"year": _year(request)}
    form = ListCreateForm(posted(request), initial=initial, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        disposal_list = run_service(
            form,
            lambda: services.disposal_list_create(
                actor=request.user, commission=data["commission"], year=data["year"]
            ),
        )
        if disposal_list is not None:
            messages.success(request, _("The disposal list is prepared."))
            return redirect("archive:disposal-list-detail", pk=disposal_list.pk)
    return render(request, "archive/disposal/list_form.html", {"form": form})


def _detail_context(request, disposal_list, **forms_) -> dict:
    user = request.user
    member = access.membership(user, disposal_list.commission_id)
    items = list(
        disposal_list.items.select_related("removed_by", "folder").order_by("code", "folder_year")
    )
    approvals = {
        a.member_id: a for a in DisposalApproval.objects.filter(disposal_list=disposal_list)
    }
    members = [
        {"member": m, "approval": approvals.get(m.pk)}
        for m in disposal_list.commission.members.select_related("person").order_by("role", "pk")
    ]
    is_open = disposal_list.state in services.OPEN_STATES
    units = {i.folder.unit_id for i in items if not i.removed}
    blockers = (
        execution.execution_blockers(disposal_list) if disposal_list.state == S.APPROVED else []
    )
    context = {
        "list": disposal_list,
        "items": items,
        "kept": [i for i in items if not i.removed],
        "members": members,
        "blockers": blockers,
        "can_remove": member is not None and is_open,
        "can_approve": member is not None
        and disposal_list.state == S.DRAFT
        and member.pk not in approvals,
        "can_superior_approve": disposal_list.state == S.COMMISSION_APPROVED
        and access.approver_post(user) is not None,
        "can_execute": disposal_list.state == S.APPROVED
        and access.executor_post(user, disposal_list, units) is not None,
        "can_cancel": is_open
        and (
            (member is not None and member.role == CommissionRole.CHAIR)
            or access.approver_post(user) is not None
        ),
        "reason_form": ReasonForm(),
        "execute_form": ExecuteForm(),
    }
    context.update(forms_)
    return context


@page
def list_detail(request, pk):
    disposal_list = _list_for(request.user, pk)
    return render(
        request, "archive/disposal/list_detail.html", _detail_context(request, disposal_list)
    )


def _act(request, disposal_list, call, success: str):
    try:
        call()
    except PermissionDeniedError as exc:
        raise Forbidden(_messages(exc)) from exc
    except DomainError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, success)
    return redirect("archive:disposal-list-detail", pk=disposal_list.pk)


@page
@require_POST
def list_approve(request, pk):
    disposal_list = _list_for(request.user, pk)
    return _act(
        request,
        disposal_list,
        lambda: services.disposal_approve(actor=request.user, disposal_list=disposal_list),
        _("Your approval is recorded."),
    )


@page
@require_POST
def list_superior_approve(request, pk):
    disposal_list = _list_for(request.user, pk)
    return _act(
        request,
        disposal_list,
        lambda: services.disposal_superior_approve(actor=request.user, disposal_list=disposal_list),
        _("The disposal list is approved."),
    )


@page
def item_remove(request, pk, item):
    disposal_list = _list_for(request.user, pk)
    item = get_object_or_404(DisposalItem, disposal_list=disposal_list, pk=item)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.disposal_item_remove(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The folder is taken off the list."))
            return redirect("archive:disposal-list-detail", pk=disposal_list.pk)
    return render(
        request,
        "archive/disposal/item_remove.html",
        {"list": disposal_list, "item": item, "form": form},
    )


@page
def list_cancel(request, pk):
    disposal_list = _list_for(request.user, pk)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.disposal_list_cancel(
                actor=request.user, disposal_list=disposal_list, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The disposal list is cancelled."))
            return redirect("archive:disposal-list-detail", pk=disposal_list.pk)
    return render(
        request, "archive/disposal/list_cancel.html", {"list": disposal_list, "form": form}
    )


@page
def list_execute(request, pk):
    disposal_list = _list_for(request.user, pk)
    form = ExecuteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: execution.disposal_execute(
                actor=request.user,
                disposal_list=disposal_list,
                method=data["method"],
                place=data["place"],
                carried_out_on=data["carried_out_on"],
                participants=[n for n in data["participants"].splitlines() if n.strip()],
            ),
        )
        if done is not None:
            messages.success(request, _("The disposal is carried out and its minute recorded."))
            return redirect("archive:disposal-list-detail", pk=disposal_list.pk)
    context = _detail_context(request, disposal_list, execute_form=form)
    return render(request, "archive/disposal/list_detail.html", context)


@page
def list_pdf(request, pk):
    disposal_list = _list_for(request.user, pk)
    return _pdf(
        disposal_pdf.list_pdf_current(disposal_list), f"imha-listesi-{disposal_list.year}.pdf"
    )


@page
def minute_pdf(request, pk):
    disposal_list = _list_for(request.user, pk)
    data = disposal_pdf.minute_pdf_stored(disposal_list)
    if data is None:
        raise Http404
    return _pdf(data, f"imha-tutanagi-{disposal_list.year}.pdf")
