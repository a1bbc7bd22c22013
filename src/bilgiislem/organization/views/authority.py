"""Acting (vekalet, RYY art. 9(b)) and signature delegation (imza yetkisi devri, art. 11(b))."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, selectors, services
from ..forms import ActingForm, DelegationForm, ReasonForm
from ..models import ActingAssignment, SignatureDelegation
from .common import Forbidden, page, posted, run_service

PAST_ROWS = 50


@page
def acting_list(request):
    """Current, upcoming and past acting assignments; who may end which."""
    today = timezone.localdate()
    visible = ActingAssignment.objects.visible_to(request.user).select_related(
        "position__unit", "acting_person", "created_by", "cancelled_by"
    )
    groups = selectors.acting_groups(visible.current_or_future(today), today)
    past = visible.exclude(pk__in=[a.pk for a in groups["current"] + groups["upcoming"]])
    groups["past"] = list(past.order_by("-end_date", "-pk")[:PAST_ROWS])
    manageable = selectors.acting_manageable_position_ids(request.user)
    context = {
        "groups": groups,
        "today": today,
        "manageable": manageable,
        "can_create": bool(manageable),
    }
    return render(request, "organization/acting_list.html", context)


@page
def acting_create(request):
    position_ids = selectors.acting_manageable_position_ids(request.user)
    if not position_ids:
        raise Forbidden(_("You hold no post you could arrange acting for."))
    initial = {"position": request.GET.get("position")} if request.GET.get("position") else None
    form = ActingForm(posted(request), initial=initial, position_ids=position_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.acting_create(
                actor=request.user,
                position=data["position"],
                acting_person=data["acting_person"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                reason=data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("The acting assignment is recorded."))
            return redirect("organization:acting-list")
    return render(request, "organization/acting_form.html", {"form": form})


@page
def acting_end(request, pk):
    """Confirm (GET) and end early (POST) an acting assignment."""
    assignment = get_object_or_404(
        ActingAssignment.objects.visible_to(request.user).select_related(
            "position__unit", "acting_person"
        ),
        pk=pk,
    )
    if assignment.position_id not in selectors.acting_manageable_position_ids(request.user):
        raise Forbidden(_("Only the holder of the post or someone above it can end acting for it."))
    form = ReasonForm(posted(request), required=False)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.acting_end(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The acting assignment has ended."))
            return redirect("organization:acting-list")
    return render(request, "organization/acting_end.html", {"assignment": assignment, "form": form})


@page
def delegation_list(request):
    today = timezone.localdate()
    delegations = list(
        SignatureDelegation.objects.visible_to(request.user)
        .select_related("delegator", "delegate", "delegate_position", "revoked_by")
        .prefetch_related("units")
        .order_by("-start_date", "-pk")
    )
    is_mayor = permissions.mayor_post(request.user) is not None
    rows = [
        {
            "delegation": d,
            "state": (state := selectors.delegation_state(d, today)),
            "can_revoke": is_mayor and state in ("current", "upcoming"),
        }
        for d in delegations
    ]
    return render(
        request, "organization/delegation_list.html", {"rows": rows, "can_create": is_mayor}
    )


@page
def delegation_create(request):
    if permissions.mayor_post(request.user) is None:
        raise Forbidden(_("Only the Mayor can delegate signature authority."))
    form = DelegationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.delegation_create(
                actor=request.user,
                delegate=data["delegate"],
                recipient_classes=data["recipient_classes"],
                units=data["units"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                description=data["description"],
            ),
        )
        if done is not None:
            messages.success(request, _("The signature delegation is recorded."))
            return redirect("organization:delegation-list")
    return render(request, "organization/delegation_form.html", {"form": form})


@page
def delegation_revoke(request, pk):
    delegation = get_object_or_404(
        SignatureDelegation.objects.visible_to(request.user).select_related("delegate"), pk=pk
    )
    if permissions.mayor_post(request.user) is None:
        raise Forbidden(_("Only the Mayor can revoke signature authority."))
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.delegation_revoke(
                actor=request.user, delegation=delegation, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The signature delegation is revoked."))
            return redirect("organization:delegation-list")
    return render(
        request, "organization/delegation_revoke.html", {"delegation": delegation, "form": form}
    )
