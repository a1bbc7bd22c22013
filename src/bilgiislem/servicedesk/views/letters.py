"""A letter routed to the directorate becomes a request; a resolved request starts the reply.

The document page (registry) links here by URL name only: the registry does not import the
service desk (layers), and the link disappears when these pages are not installed.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.models import Document

from .. import permissions
from ..choices import Category, TicketState
from ..models import Ticket
from ..services import letters
from ._pages import Forbidden, page, posted, run_service


class FromDocumentForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=Category.choices, initial=Category.OTHER
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the technicians"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Added to the request's description after the letter's details."),
    )


@page
def ticket_from_document(request, document_pk):
    """Turn an incoming letter of the directorate into a request (GET: the form)."""
    document = get_object_or_404(
        Document.objects.visible_to(request.user).select_related("registry", "party_unit"),
        pk=document_pk,
    )
    if not letters.may_convert(request.user, document):
        raise Forbidden(
            _("Only the service desk's staff turn this directorate's letters into requests.")
        )
    existing = letters.open_request_of(document)
    form = FromDocumentForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        ticket = run_service(
            form,
            lambda: letters.ticket_from_document(
                actor=request.user, document=document, category=d["category"], note=d["note"]
            ),
        )
        if ticket is not None:
            number = ticket.number_label
            messages.success(
                request, _("Request %(number)s opened from the letter.") % {"number": number}
            )
            return redirect("servicedesk:ticket-detail", pk=ticket.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "servicedesk/letters/from_document.html",
        {
            "document": document,
            "form": form,
            "existing": existing,
            "requests": document.service_requests.exclude(state=TicketState.UNCONFIRMED),
        },
        status=status,
    )


@page
@require_POST
def ticket_start_reply(request, pk):
    """Start the reply letter of a resolved request that came from a letter."""
    ticket = get_object_or_404(Ticket.objects.select_related("source_document"), pk=pk)
    if not permissions.is_desk_side(request.user, ticket):
        raise Http404(_("No such request."))
    try:
        letter = letters.ticket_start_reply(actor=request.user, ticket=ticket)
    except PermissionDeniedError as exc:
        raise Forbidden(str(exc.errors.get("__all__", [""])[0])) from exc
    except DomainError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("servicedesk:ticket-detail", pk=ticket.pk)
    messages.success(request, _("The reply letter was started as a draft."))
    return redirect("correspondence:letter-edit", pk=letter.pk)
