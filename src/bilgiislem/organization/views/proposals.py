"""Birim Sorumlusu appointments (RYY art. 7(2)) and organisation changes (art. 7(3)).

The Director proposes, the Mayor decides. A request outside ``visible_to`` is a 404; a
visible one the person may not decide is a 403.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..choices import RequestStatus
from ..forms import AppointmentForm, ReasonForm, UnitChangeForm
from .common import Forbidden, page, posted, run_service


def _split(requests):
    requests = list(requests)
    pending = [r for r in requests if r.status == RequestStatus.PENDING]
    decided = [r for r in requests if r.status != RequestStatus.PENDING]
    return pending, decided


def _decision_forms(request, obj, **bound):
    can_decide = obj.status == RequestStatus.PENDING and (
        permissions.mayor_post(request.user) is not None
    )
    return {
        "can_decide": can_decide,
        "approve_form": bound.get("approve_form") or ReasonForm(prefix="approve", required=False),
        "reject_form": bound.get("reject_form") or ReasonForm(prefix="reject"),
    }


def _decide(request, obj, *, approve: bool, service, page_name: str):
    """Approve or reject a request the person can see; only the Mayor may.

    ``page_name`` is ``appointment`` or ``unit_change``: the detail template and URL follow it.
    """
    template = f"organization/{page_name}_detail.html"
    detail_url = "organization:{}-detail".format(page_name.replace("_", "-"))
    if permissions.mayor_post(request.user) is None:
        raise Forbidden(_("Only the Mayor decides these requests."))
    prefix = "approve" if approve else "reject"
    form = ReasonForm(request.POST, prefix=prefix, required=not approve)
    if form.is_valid():
        done = run_service(
            form,
            lambda: service(actor=request.user, request=obj, reason=form.cleaned_data["reason"]),
        )
        if done is not None:
            messages.success(request, _("Approved.") if approve else _("Rejected."))
            return redirect(detail_url, pk=obj.pk)
    obj.refresh_from_db()
    context = {"obj": obj, **_decision_forms(request, obj, **{f"{prefix}_form": form})}
    return render(request, template, context)


# --- appointments ----------------------------------------------------------------------------


@page
def appointment_list(request):
    pending, decided = _split(selectors.appointment_requests_for(request.user))
    context = {
        "pending": pending,
        "decided": decided,
        "can_create": selectors.proposable_units(request.user).exists(),
    }
    return render(request, "organization/appointment_list.html", context)


@page
def appointment_create(request):
    units = selectors.proposable_units(request.user)
    if not units.exists():
        raise Forbidden(_("Only a Director proposes the head of a unit of the directorate."))
    form = AppointmentForm(posted(request), units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = run_service(
            form,
            lambda: services.appointment_propose(
                actor=request.user,
                unit=data["unit"],
                person=data["person"],
                justification=data["justification"],
            ),
        )
        if proposal is not None:
            messages.success(request, _("The proposal is sent to the Mayor."))
            return redirect("organization:appointment-detail", pk=proposal.pk)
    return render(request, "organization/appointment_form.html", {"form": form})


def _appointment(request, pk):
    return get_object_or_404(selectors.appointment_requests_for(request.user), pk=pk)


@page
def appointment_detail(request, pk):
    obj = _appointment(request, pk)
    context = {"obj": obj, **_decision_forms(request, obj)}
    return render(request, "organization/appointment_detail.html", context)


@page
@require_POST
def appointment_approve(request, pk):
    obj = _appointment(request, pk)
    return _decide(
        request,
        obj,
        approve=True,
        service=services.appointment_approve,
        page_name="appointment",
    )


@page
@require_POST
def appointment_reject(request, pk):
    obj = _appointment(request, pk)
    return _decide(
        request,
        obj,
        approve=False,
        service=services.appointment_reject,
        page_name="appointment",
    )


# --- organisation changes --------------------------------------------------------------------


@page
def unit_change_list(request):
    pending, decided = _split(selectors.unit_change_requests_for(request.user))
    context = {
        "pending": pending,
        "decided": decided,
        "can_create": selectors.director_post(request.user) is not None,
    }
    return render(request, "organization/unit_change_list.html", context)


@page
def unit_change_create(request):
    post = selectors.director_post(request.user)
    if post is None:
        raise Forbidden(_("Only a Director can propose a change to the organisation."))
    form = UnitChangeForm(posted(request), units=selectors.directorate_units(post))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = run_service(
            form,
            lambda: services.unit_change_propose(
                actor=request.user,
                kind=data["kind"],
                unit=data["unit"],
                name=data["name"],
                parent=data["parent"],
                justification=data["justification"],
            ),
        )
        if proposal is not None:
            messages.success(request, _("The proposal is sent to the Mayor."))
            return redirect("organization:unit-change-detail", pk=proposal.pk)
    return render(request, "organization/unit_change_form.html", {"form": form})


def _unit_change(request, pk):
    return get_object_or_404(selectors.unit_change_requests_for(request.user), pk=pk)


@page
def unit_change_detail(request, pk):
    obj = _unit_change(request, pk)
    context = {"obj": obj, **_decision_forms(request, obj)}
    return render(request, "organization/unit_change_detail.html", context)


@page
@require_POST
def unit_change_approve(request, pk):
    obj = _unit_change(request, pk)
    return _decide(
        request,
        obj,
        approve=True,
        service=services.unit_change_approve,
        page_name="unit_change",
    )


@page
@require_POST
def unit_change_reject(request, pk):
    obj = _unit_change(request, pk)
    return _decide(
        request,
        obj,
        approve=False,
        service=services.unit_change_reject,
        page_name="unit_change",
    )
