"""The letter list: Taslaklarım, Paraf/İmza Bekleyenler, Gönderilenler."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..choices import LetterStatus
from ..querysets import letters
from ..work import letters_waiting_for
from .common import page

TABS = [
    ("drafts", _("My drafts")),
    ("waiting", _("Awaiting my paraf or signature")),
    ("sent", _("Sent")),
]


@page
def letter_list(request):
    tab = request.GET.get("tab", "drafts")
    if tab not in dict(TABS):
        tab = "drafts"
    visible = letters(request.user).select_related("unit", "prepared_by")
    if tab == "drafts":
        rows = list(
            visible.filter(
                prepared_by=request.user, status__in=[LetterStatus.DRAFT, LetterStatus.RETURNED]
            )
        )
    elif tab == "waiting":
        rows = [letter for letter, _step, _label in letters_waiting_for(request.user)]
    else:
        rows = visible.filter(status=LetterStatus.SIGNED).order_by("-signed_at", "-id")
    page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "correspondence/letter_list.html",
        {
            "tabs": [{"key": k, "label": label, "current": k == tab} for k, label in TABS],
            "tab": tab,
            "page_obj": page_obj,
            "letters": page_obj.object_list,
        },
    )
