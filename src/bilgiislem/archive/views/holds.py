"""Legal hold pages (Hukuki bloke): the holds a person may see, placing one on a folder or a
document with a reason, lifting one with a reason (the Director of the unit or above).

A hold the person may not see is 404; a folder or document the person may not put under a
hold is not offered (or, given by id, answered 404).
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import RANK, PositionKind
from bilgiislem.registry.models import Document
from bilgiislem.registry.views.common import Forbidden, page, posted, run_service

from .. import disposal_access as access
from ..choices import FolderStage
from ..models import Folder
from ..services import holds as services

PER_PAGE = 50


class HoldForm(forms.Form):
    folder = forms.ModelChoiceField(
        label=gettext_lazy("Folder"), queryset=Folder.objects.none(), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,  # the service names the field when it is empty
        help_text=gettext_lazy("E.g. the court and case number, or the inquiry."),
    )

    def __init__(self, *args, folders, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        if document is not None:
            del self.fields["folder"]
        else:
            self.fields["folder"].queryset = folders
            self.fields["folder"].required = True


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for lifting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


def holdable_folders(user):
    """Folders in the units where the person is Director or above (all for the Mayor)."""
    parents = org.unit_parents(user)
    units: set[int] = set()
    for post in org.effective_posts(user):
        if post.rank >= RANK[PositionKind.MUDUR]:
            units |= org.subtree(post.unit_id, parents)
    return (
        Folder.objects.filter(unit_id__in=units)
        .exclude(stage__in=[FolderStage.DISPOSED, FolderStage.STATE_ARCHIVES])
        .select_related("unit", "code")
        .order_by("unit__name", "code__code", "-year")
    )


@page
def hold_list(request):
    holds = access.holds_visible_to(request.user).select_related(
        "folder__code", "folder__unit", "document", "placed_by", "lifted_by"
    )
    if not access.may_place_holds(request.user) and not holds.exists():
        raise Http404
    show = request.GET.get("show", "active")
    if show != "all":
        holds = holds.filter(lifted_at__isnull=True)
    paged = Paginator(holds.order_by("-placed_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for hold in paged:
        hold.can_lift = hold.lifted_at is None and (
            access.hold_post(request.user, folder=hold.folder, document=hold.document) is not None
        )
    context = {"holds": paged, "show": show, "can_place": access.may_place_holds(request.user)}
    return render(request, "archive/holds/list.html", context)


@page
def hold_create(request):
    if not access.may_place_holds(request.user):
        raise Forbidden(_("Only a Director or someone above places a legal hold."))
    document = None
    if request.GET.get("document"):
        document = get_object_or_404(
            Document.objects.visible_to(request.user).select_related("registry"),
            pk=request.GET["document"] if request.GET["document"].isdigit() else 0,
        )
        if access.hold_post(request.user, document=document) is None:
            raise Forbidden(
                _("Only the Director of the unit or someone above can place a legal hold.")
            )
    folders = holdable_folders(request.user)
    initial = {}
    if request.GET.get("folder", "").isdigit():
        initial["folder"] = int(request.GET["folder"])
    form = HoldForm(posted(request), initial=initial, folders=folders, document=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hold = run_service(
            form,
            lambda: services.legal_hold_place(
                actor=request.user,
                folder=data.get("folder"),
                document=document,
                reason=data["reason"],
            ),
        )
        if hold is not None:
            messages.success(request, _("The legal hold is placed."))
            return redirect("archive:hold-list")
    return render(request, "archive/holds/form.html", {"form": form, "document": document})


@page
def hold_lift(request, pk):
    hold = get_object_or_404(
        access.holds_visible_to(request.user).select_related("folder__code", "document"), pk=pk
    )
    form = LiftForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.legal_hold_lift(
                actor=request.user, hold=hold, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The legal hold is lifted."))
            return redirect("archive:hold-list")
    return render(request, "archive/holds/lift.html", {"hold": hold, "form": form})
