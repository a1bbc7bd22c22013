"""Partner accounts' pages (RYY art. 6(o), 6(ö)): their organisation's requests and a new
one; and the satisfaction question a requester answers once the request is closed.

Anyone without an active partner account gets 404 on the partner pages: they do not exist
for them. A request is opened on the request page of the service desk, which shows partners
only their organisation's requests and never the internal notes.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..choices import OPEN_STATES, Category, TicketState
from ..models import Ticket
from ..services import intake, satisfaction
from ._pages import MultipleFileField, page, posted, run_service
from .public import RatingForm

PER_PAGE = 50
STATE_FILTERS = {
    "open": [*OPEN_STATES],
    "resolved": [TicketState.RESOLVED],
    "closed": [TicketState.CLOSED, TicketState.CANCELLED, TicketState.MERGED],
}


class PartnerRequestForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Plain text: what happens, since when, where."),
    )
    contact_phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=50, required=False)
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        help_text=gettext_lazy("Up to 5 files: PDF, images, office documents."),
    )


def _membership(request):
    member = intake.partner_membership(request.user)
    if member is None:
        raise Http404(_("No such page."))
    return member


@page
def partner_home(request):
    """The organisation's requests, newest first; filter by state in the address."""
    member = _membership(request)
    state = request.GET.get("state", "open")
    tickets = intake.organization_requests(member)
    if state in STATE_FILTERS:
        tickets = tickets.filter(state__in=STATE_FILTERS[state])
    else:
        state = "all"
    page_obj = Paginator(tickets.order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "servicedesk/partner/home.html",
        {
            "member": member,
            "organization": member.organization,
            "page_obj": page_obj,
            "state": state,
            "states": [
                ("open", _("Open")),
                ("resolved", _("Resolved")),
                ("closed", _("Closed")),
                ("all", _("All")),
            ],
        },
    )


@page
def partner_new(request):
    """A partner account asks for help for its organisation."""
    member = _membership(request)
    form = PartnerRequestForm(posted(request), request.FILES or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        ticket = run_service(
            form,
            lambda: intake.partner_request_create(
                actor=request.user,
                category=d["category"],
                title=d["title"],
                description=d["description"],
                contact_phone=d["contact_phone"],
                attachments=d["attachments"],
            ),
        )
        if ticket is not None:
            messages.success(
                request,
                _("Request %(number)s recorded.") % {"number": ticket.number_label},
            )
            return redirect("servicedesk:ticket-detail", pk=ticket.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "servicedesk/partner/new.html",
        {"form": form, "organization": member.organization},
        status=status,
    )


@page
def satisfaction_page(request, pk):
    """The requester answers the satisfaction question once the request is closed."""
    ticket = get_object_or_404(Ticket.objects.exclude(state=TicketState.UNCONFIRMED), pk=pk)
    if not permissions.is_requester_side(request.user, ticket):
        raise Http404(_("No such request."))
    form = RatingForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: satisfaction.satisfaction_give(
                actor=request.user, ticket=ticket, score=d["score"], comment=d["comment"]
            ),
        )
        if done is not None:
            messages.success(request, _("Thank you for your answer."))
            return redirect("servicedesk:ticket-detail", pk=ticket.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "servicedesk/partner/satisfaction.html",
        {
            "form": form,
            "ticket": ticket,
            "may_answer": satisfaction.may_answer(request.user, ticket),
        },
        status=status,
    )
