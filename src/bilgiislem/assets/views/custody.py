"""Custody pages: İstek Belgesi (ask, decide, issue), Teslim Belgesi (acknowledge, signed
scan, return), "my items", the ilişik kesme check and a shared room's Dayanıklı Taşınırlar
Listesi. Objects a person may not see answer 404; a visible one whose act is not theirs 403.
"""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.organization.models import OrgUnit, Person

from .. import permissions
from ..choices import AssetStatus, RequestState
from ..models import Asset, AssetRequest, HandoverDocument, Room, SharedListSignOff, TasinirCode
from ..pdf import handover_pdf, request_pdf, shared_list_pdf
from ..services import custody as services
from ._pages import Forbidden, page, posted, run_service


def _errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- İstek Belgesi -----------------------------------------------------------------------


def requests_visible(person):
    queryset = AssetRequest.objects.select_related(
        "unit", "code", "requested_by", "for_person", "decided_by"
    )
    if permissions.is_asset_staff(person):
        return queryset
    units = services.requesting_unit_ids(person) | permissions.own_unit_ids(person)
    return queryset.filter(Q(requested_by=person) | Q(for_person=person) | Q(unit_id__in=units))


class RequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Requesting unit"), queryset=OrgUnit.objects)
    code = forms.ModelChoiceField(
        label=gettext_lazy("Movable property code"), queryset=TasinirCode.objects
    )
    quantity = forms.IntegerField(label=gettext_lazy("Quantity"), initial=1, required=False)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), widget=forms.Textarea, required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            pk__in=services.requesting_unit_ids(person)
        )


class DecideForm(forms.Form):
    decision_note = forms.CharField(
        label=gettext_lazy("Decision note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Required when the request is rejected."),
    )


class IssueForm(forms.Form):
    asset = forms.ModelChoiceField(label=gettext_lazy("Asset"), queryset=Asset.objects.none())
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("Receiver"),
        queryset=Person.objects.filter(is_active=True).order_by("first_name", "last_name"),
    )

    def __init__(self, *args, code=None, **kwargs):
        super().__init__(*args, **kwargs)
        assets = Asset.objects.filter(status=AssetStatus.IN_STORE, holder__isnull=True)
        if code is not None:
            assets = assets.filter(code=code)
        self.fields["asset"].queryset = assets.order_by("sicil_no")


@page
def request_list(request):
    rows = requests_visible(request.user)
    state = request.GET.get("state", "")
    if state in RequestState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "assets/custody/request_list.html",
        {"rows": rows[:200], "states": RequestState.choices, "state": state},
    )


@page
def request_new(request):
    if not services.requesting_unit_ids(request.user):
        raise Forbidden(_("You may ask only for your own unit."))
    form = RequestForm(posted(request), person=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.asset_request_submit(
                actor=request.user,
                unit=data["unit"],
                code=data["code"],
                quantity=data["quantity"] or 1,
                purpose=data["purpose"],
                for_person=request.user,
            ),
        )
        if created is not None:
            messages.success(request, _("Your request was sent to the Director."))
            return redirect("assets:request-detail", created.pk)
    return render(request, "assets/custody/request_form.html", {"form": form})


@page
def request_detail(request, pk):
    item = get_object_or_404(requests_visible(request.user), pk=pk)
    user = request.user
    may_decide = item.state == RequestState.REQUESTED and bool(permissions.harcama_post(user))
    may_issue = item.state in (RequestState.APPROVED,) and bool(permissions.kayit_post(user))
    decide_form = DecideForm(request.POST if request.POST.get("decide") else None)
    issue_form = IssueForm(
        request.POST if request.POST.get("issue") else None,
        code=item.code,
        initial={"receiver": item.for_person_id},
    )
    if request.method == "POST":
        if request.POST.get("decide"):
            if not may_decide:
                raise Forbidden(_("Only the Director decides on requests."))
            if decide_form.is_valid():
                done = run_service(
                    decide_form,
                    lambda: services.asset_request_decide(
                        actor=user,
                        request=item,
                        approve=request.POST["decide"] == "approve",
                        note=decide_form.cleaned_data["decision_note"],
                    ),
                )
                if done is not None:
                    messages.success(request, _("Decision saved."))
                    return redirect("assets:request-detail", item.pk)
        elif request.POST.get("issue"):
            if not may_issue:
                raise Forbidden(_("Only the movable property officer may do this."))
            if issue_form.is_valid():
                handover = run_service(
                    issue_form,
                    lambda: services.handover_issue(
                        actor=user,
                        asset=issue_form.cleaned_data["asset"],
                        receiver=issue_form.cleaned_data["receiver"],
                        request=item,
                    ),
                )
                if handover is not None:
                    messages.success(request, _("Handed over on a Teslim Belgesi."))
                    return redirect("assets:handover-detail", handover.pk)
    return render(
        request,
        "assets/custody/request_detail.html",
        {
            "item": item,
            "handovers": item.handovers.select_related("asset", "receiver"),
            "may_decide": may_decide,
            "may_issue": may_issue,
            "decide_form": decide_form,
            "issue_form": issue_form,
        },
    )


@page
def request_print(request, pk):
    item = get_object_or_404(requests_visible(request.user), pk=pk)
    return _pdf(request_pdf(item), f"istek-{item.pk}.pdf")


# --- Teslim Belgesi ------------------------------------------------------------------------


def handovers_visible(person):
    queryset = HandoverDocument.objects.select_related(
        "asset__code", "receiver", "issued_by", "return_received_by", "request__unit"
    )
    if permissions.is_asset_staff(person):
        return queryset
    return queryset.filter(receiver=person)


class ScanForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Signed copy (scan)"), required=False)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Condition on return"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


@page
def handover_detail(request, pk):
    handover = get_object_or_404(handovers_visible(request.user), pk=pk)
    user = request.user
    is_open = handover.returned_at is None
    may_manage = is_open and bool(permissions.kayit_post(user))
    scan_form = ScanForm(
        request.POST if "scan" in request.POST else None,
        request.FILES if "scan" in request.POST else None,
    )
    return_form = ReturnForm(request.POST if "return" in request.POST else None)
    if request.method == "POST" and (may_manage or "acknowledge" in request.POST):
        result = None
        if "acknowledge" in request.POST:
            form = forms.Form()
            result = run_service(
                form, lambda: services.handover_acknowledge(actor=user, handover=handover)
            )
            for error in _errors(form):
                messages.error(request, error)
        elif "scan" in request.POST and scan_form.is_valid():
            result = run_service(
                scan_form,
                lambda: services.handover_upload_scan(
                    actor=user, handover=handover, upload=scan_form.cleaned_data["file"]
                ),
            )
        elif "return" in request.POST and return_form.is_valid():
            result = run_service(
                return_form,
                lambda: services.handover_return(
                    actor=user, handover=handover, note=return_form.cleaned_data["note"]
                ),
            )
        if result is not None:
            messages.success(request, _("Saved."))
            return redirect("assets:handover-detail", handover.pk)
    elif request.method == "POST":
        raise Forbidden(_("Only the movable property officer may do this."))
    return render(
        request,
        "assets/custody/handover_detail.html",
        {
            "h": handover,
            "may_manage": may_manage,
            "may_acknowledge": is_open
            and handover.acknowledged_at is None
            and handover.receiver_id == user.pk,
            "scan_form": scan_form,
            "return_form": return_form,
        },
    )


@page
def handover_print(request, pk):
    handover = get_object_or_404(handovers_visible(request.user), pk=pk)
    return _pdf(handover_pdf(handover), f"teslim-{handover.year}-{handover.number}.pdf")


# --- What a person holds -----------------------------------------------------------------


@page
def my_items(request):
    return render(
        request,
        "assets/custody/my_items.html",
        {"my_handovers": services.open_handovers(request.user)},
    )


@page
def clearance(request):
    """The ilişik kesme check: what a person still holds (Director, HR, kayıt yetkilisi)."""
    if not services.can_see_clearance(request.user):
        raise Http404(_("No such page."))
    username = (request.GET.get("person") or "").strip()
    person = Person.objects.filter(username=username).first() if username else None
    return render(
        request,
        "assets/custody/clearance.html",
        {
            "username": username,
            "person": person,
            "held": services.person_clearance(person) if person else [],
            "handovers": services.open_handovers(person) if person else [],
        },
    )


# --- Dayanıklı Taşınırlar Listesi ------------------------------------------------------


def _shared_room(request, pk) -> Room:
    room = get_object_or_404(Room.objects.select_related("site", "unit"), pk=pk, shared=True)
    user = request.user
    if not (
        permissions.is_asset_staff(user)
        or (room.unit_id is not None and room.unit_id in permissions.own_unit_ids(user))
        or services.may_sign_shared_list(user, room)
    ):
        raise Http404(_("No such page."))
    return room


@page
def shared_list(request, pk):
    room = _shared_room(request, pk)
    last = SharedListSignOff.objects.filter(room=room).select_related("signed_by").first()
    return render(
        request,
        "assets/custody/shared_list.html",
        {
            "room": room,
            "items": services.shared_room_items(room),
            "last": last,
            "may_sign": services.may_sign_shared_list(request.user, room),
        },
    )


@page
@require_POST
def shared_list_sign(request, pk):
    room = _shared_room(request, pk)
    form = forms.Form()
    done = run_service(form, lambda: services.shared_list_sign(actor=request.user, room=room))
    if done is None:
        for error in _errors(form):
            messages.error(request, error)
    else:
        messages.success(request, _("The list is signed."))
    return redirect("assets:shared-list", room.pk)


@page
def shared_list_print(request, pk):
    room = _shared_room(request, pk)
    last = SharedListSignOff.objects.filter(room=room).select_related("signed_by").first()
    items = last.items if last is not None else services.shared_list_rows(room)
    return _pdf(shared_list_pdf(room, items, last), f"dtl-{room.pk}.pdf")
