"""Accounts and post holdings (görevlendirme), for the system's Director."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, services
from ..forms import HoldingEndForm, HoldingForm, PersonCreateForm
from ..models import Person, PositionHolding
from .common import Forbidden, page, posted, run_service


def _require_people_admin(request):
    if not (request.user.is_superuser or permissions.people_admin_post(request.user)):
        raise Forbidden(_("Only the system's Director manages accounts."))


@page
def person_create(request):
    """Open an account: name, contact details, and an initial password (or none)."""
    _require_people_admin(request)
    form = PersonCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = run_service(
            form,
            lambda: services.person_create(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                title=data["title"],
                phone=data["phone"],
                password=data["password"] or None,
            ),
        )
        if person is not None:
            messages.success(request, _("The account is open."))
            return redirect("organization:person-detail", pk=person.pk)
    return render(request, "organization/person_form.html", {"form": form})


@page
def holding_create(request, pk):
    """Assign a post to a person from a date (and, if known, to a date)."""
    person = get_object_or_404(Person, pk=pk)
    _require_people_admin(request)
    form = HoldingForm(posted(request), initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.holding_start(
                actor=request.user,
                person=person,
                position=data["position"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            ),
        )
        if done is not None:
            messages.success(request, _("The post is assigned."))
            return redirect("organization:person-detail", pk=person.pk)
    return render(request, "organization/holding_form.html", {"person": person, "form": form})


@page
def holding_end(request, pk):
    """Confirm (GET) and record (POST) the last day of a holding."""
    holding = get_object_or_404(
        PositionHolding.objects.select_related("person", "position__unit"), pk=pk
    )
    _require_people_admin(request)
    form = HoldingEndForm(posted(request), initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.holding_end(
                actor=request.user, holding=holding, end_date=form.cleaned_data["end_date"]
            ),
        )
        if done is not None:
            messages.success(request, _("The holding ends on the given day."))
            return redirect("organization:person-detail", pk=holding.person_id)
    return render(request, "organization/holding_end.html", {"holding": holding, "form": form})
