"""Count pages (sayım): the list, the board and count forms (the Director), a count's page
with its differences, the phone-friendly scan page per room, and the closed count's PDFs.

A count is seen by the Director, the kayıt yetkilisi and its board's members; everyone else
gets 404. Refusals of a visible count's actions answer 403, bad input 400 on the form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.organization.models import Person

from .. import count_pdf, roles
from ..choices import CountState
from ..models import Asset, Board, Count, CountScan, Room, Vif, WriteOff
from ..services import count as services
from ._pages import Forbidden, page, posted, run_service


def _director(request):
    """The Director appoints boards and opens counts. Those who see the counts (the kayıt
    yetkilisi, board members) are told so (403); anyone else finds no such page (404)."""
    person = request.user
    if roles.harcama_post(person) is not None:
        return
    if (
        roles.kayit_post(person)
        or Board.objects.filter(purpose=Board.Purpose.COUNT, members=person).exists()
    ):
        raise Forbidden(_("Only the Director appoints count boards and opens counts."))
    raise Http404(_("No such page."))


def _visible_count(request, pk) -> Count:
    count = get_object_or_404(Count.objects.select_related("board__chair", "closed_by"), pk=pk)
    if not services.can_view_count(request.user, count):
        raise Http404(_("No such count."))
    return count


class BoardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=Person.objects.filter(is_active=True),
        required=False,
        help_text=gettext_lazy("At least three, including the taşınır kayıt yetkilisi."),
    )
    chair = forms.ModelChoiceField(
        label=gettext_lazy("Chair"), queryset=Person.objects.filter(is_active=True), required=False
    )


class CountForm(forms.Form):
    board = forms.ModelChoiceField(
        label=gettext_lazy("Count board"),
        queryset=Board.objects.filter(purpose=Board.Purpose.COUNT),
        required=False,
    )
    rooms = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Rooms to count"),
        queryset=Room.objects.select_related("site"),
        required=False,
    )


class ScanForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Scanned label"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}
        ),
        help_text=gettext_lazy("Scan the QR label or type the registration number."),
    )


@page
def count_list(request):
    person = request.user
    qs = Count.objects.select_related("board")
    if not (roles.harcama_post(person) or roles.kayit_post(person)):
        qs = qs.filter(board__members=person)
    is_director = roles.harcama_post(person) is not None
    if not is_director and not qs.exists() and not roles.kayit_post(person):
        raise Http404(_("No such page."))
    return render(
        request,
        "assets/count/list.html",
        {"counts": qs.distinct()[:200], "is_director": is_director},
    )


@page
def board_new(request):
    _director(request)
    form = BoardForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        board = run_service(
            form,
            lambda: services.count_board_appoint(
                actor=request.user,
                name=data["name"],
                members=data["members"],
                chair=data["chair"],
            ),
        )
        if board is not None:
            messages.success(request, _("The count board is appointed."))
            return redirect("assets:count-list")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "assets/count/form.html",
        {"form": form, "title": _("Appoint a count board")},
        status=status,
    )


@page
def count_new(request):
    _director(request)
    form = CountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["board"] is None:
            form.add_error("board", _("Choose the count board."))
        else:
            count = run_service(
                form,
                lambda: services.count_start(
                    actor=request.user, board=data["board"], rooms=data["rooms"]
                ),
            )
            if count is not None:
                return redirect("assets:count-detail", count.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "assets/count/form.html",
        {"form": form, "title": _("Start a count")},
        status=status,
    )


def _named(ids) -> list[Asset]:
    return list(
        Asset.objects.filter(pk__in=list(ids)).select_related("room", "code").order_by("sicil_no")
    )


@page
def count_detail(request, pk):
    count = _visible_count(request, pk)
    person = request.user
    context = {
        "count": count,
        "rooms": list(count.rooms.select_related("site")),
        "is_member": services.is_board_member(person, count),
        "may_lead": count.board.chair_id == person.pk or roles.harcama_post(person) is not None,
        "may_close": roles.harcama_post(person) is not None
        or (roles.kayit_post(person) and services.is_board_member(person, count)),
    }
    if count.state == CountState.CLOSED:
        result = services.count_result(count) or {}
        context["result"] = result
        # The VİFs the close prepared (older results: those referring to its minute).
        vifs = Vif.objects.filter(pk__in=result["vifs"]) if "vifs" in result else None
        if vifs is None:
            vifs = Vif.objects.filter(supporting_reference=services.count_reference(count))
        context["vifs"] = list(vifs.order_by("pk"))
        context["writeoffs"] = list(
            WriteOff.objects.filter(pk__in=result.get("writeoffs", [])).select_related("vif")
        )
    else:
        rec = services.count_reconcile(count)
        rooms = {r.pk: r for r in context["rooms"]}
        context.update(
            {
                "rec": rec,
                "missing": _named(rec.missing),
                "elsewhere": [
                    (a, rooms.get(rec.elsewhere[a.pk][1])) for a in _named(rec.elsewhere)
                ],
                "surplus": _named(rec.surplus),
            }
        )
    return render(request, "assets/count/detail.html", context)


@page
def count_scan(request, pk, room):
    count = _visible_count(request, pk)
    room = get_object_or_404(count.rooms.select_related("site"), pk=room)
    if not services.is_board_member(request.user, count):
        raise Forbidden(_("Only the members of the count board may do this."))
    form = ScanForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        if count.state == CountState.CLOSED:
            form.add_error(None, _("The count is closed."))
        else:
            done = run_service(
                form,
                lambda: services.count_scan(
                    actor=request.user, count=count, room=room, label=form.cleaned_data["label"]
                ),
            )
            if done is not None:
                scan, new = done
                if new:
                    messages.success(request, _("%(sicil)s counted.") % {"sicil": scan.label})
                else:
                    messages.info(
                        request, _("%(sicil)s was already counted.") % {"sicil": scan.label}
                    )
                return redirect("assets:count-scan", count.pk, room.pk)
        status = 400
    scans = (
        CountScan.objects.filter(count=count, room=room, round=services.current_round(count))
        .select_related("asset")
        .order_by("-scanned_at", "-id")
    )
    return render(
        request,
        "assets/count/scan.html",
        {"count": count, "room": room, "form": form, "scans": scans[:500], "total": scans.count()},
        status=status,
    )


@require_POST
@page
def count_action(request, pk, action):
    count = _visible_count(request, pk)
    calls = {
        "ikinci": services.count_second_round,
        "kapat": services.count_close,
    }
    if action not in calls:
        raise Http404(_("No such page."))
    form = forms.Form()
    done = run_service(form, lambda: calls[action](actor=request.user, count=count))
    if done is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("assets:count-detail", count.pk)


@page
def count_print(request, pk, which):
    count = _visible_count(request, pk)
    result = services.count_result(count)
    if result is None or which not in ("tutanak", "cetvel"):
        raise Http404(_("No such document."))
    render_pdf = count_pdf.minute_pdf if which == "tutanak" else count_pdf.sheet_pdf
    response = HttpResponse(render_pdf(count, result), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="sayim-{count.year}-{count.pk}-{which}.pdf"'
    )
    return response
