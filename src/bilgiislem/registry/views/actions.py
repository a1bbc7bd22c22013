"""The small POST forms of a document page. Each calls one service; a refusal by the rules is
403 (the service records it in the audit trail), bad input re-shows the page with the error
on the named field, and a document the person may not see is 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import (
    AcknowledgeForm,
    CloseForm,
    ForwardForm,
    HandOverForm,
    NoteForm,
    ReturnForm,
    RouteForm,
    SendForm,
)
from .common import Forbidden, custody_for, document_for, page, routing_for, run_service
from .detail import (
    detail_context,
    directorate_people_and_units,
    forward_people,
    reply_choices,
)


def _done(request, document, message):
    messages.success(request, message)
    return redirect("registry:document-detail", pk=document.pk)


def _again(request, document, key, form):
    context = detail_context(request, document, {key: form})
    return render(request, "registry/document_detail.html", context)


def _offered(context, key) -> bool:
    """Whether the page offers this action to the person now (the same slots it renders)."""
    if isinstance(key, str):
        return f"{key}_form" in context
    kind, pk = key
    if kind == "acknowledge":
        return any(getattr(c, "ack_form", None) for c in context["custody"] if c.pk == pk)
    for r in context["routings"]:
        if r.pk == pk:
            return bool(getattr(r, "forward_form", None)) if kind == "forward" else r.is_mine
    return False


def _post(request, document, key, form, call, message, field_map=None):
    """Validate the form, run the service, and answer: redirect on success, page on error.

    Input that does not even have the right shape, from someone the page would not offer the
    action to, is 403 like the service's own refusal (not a form they were never shown).
    """
    if form.is_valid():
        if run_service(form, call, field_map=field_map) is not None:
            return _done(request, document, message)
    elif not _offered(detail_context(request, document), key):
        raise Forbidden()
    return _again(request, document, key, form)


@page
@require_POST
def document_route(request, pk):
    """Havale by the Director (or whoever acts for the Director)."""
    document = document_for(request.user, pk)
    people, units = directorate_people_and_units(document.registry)
    form = RouteForm(request.POST, prefix="route", people=people, units=units)
    return _post(
        request,
        document,
        "route",
        form,
        lambda: services.routing_create(
            actor=request.user,
            document=document,
            recipients=form.recipients(),
            instruction=form.cleaned_data["instruction"],
            due_date=form.cleaned_data.get("due_date"),
            deadline_basis=form.cleaned_data.get("deadline_basis") or "",
        ),
        _("The document is routed."),
        field_map={"recipients": "action_people", "document": "__all__"},
    )


@page
@require_POST
def routing_forward(request, pk):
    """A unit head routes on what was routed to the unit."""
    routing = routing_for(request.user, pk)
    form = ForwardForm(
        request.POST, prefix=f"forward-{routing.pk}", people=forward_people(request.user, routing)
    )
    return _post(
        request,
        routing.document,
        ("forward", routing.pk),
        form,
        lambda: services.routing_forward(
            actor=request.user,
            routing=routing,
            to_person=form.cleaned_data["to_person"],
            instruction=form.cleaned_data["instruction"],
            due_date=form.cleaned_data.get("due_date"),
        ),
        _("The document is routed on."),
        field_map={"recipients": "to_person", "routing": "__all__"},
    )


@page
@require_POST
def routing_return(request, pk):
    """İade: the recipient sends it back with a reason."""
    routing = routing_for(request.user, pk)
    form = ReturnForm(request.POST, prefix=f"return-{routing.pk}")
    return _post(
        request,
        routing.document,
        ("return", routing.pk),
        form,
        lambda: services.routing_return(
            actor=request.user, routing=routing, reason=form.cleaned_data["reason"]
        ),
        _("The document is returned."),
        field_map={"routing": "__all__"},
    )


@page
@require_POST
def routing_close(request, pk):
    """The recipient finishes the work with an outcome (and optionally the reply)."""
    routing = routing_for(request.user, pk)
    form = CloseForm(
        request.POST,
        prefix=f"close-{routing.pk}",
        replies=reply_choices(request.user, routing.document),
    )
    return _post(
        request,
        routing.document,
        ("close", routing.pk),
        form,
        lambda: services.routing_close(
            actor=request.user,
            routing=routing,
            outcome=form.cleaned_data["outcome"],
            reply=form.cleaned_data.get("reply"),
        ),
        _("The work is closed."),
        field_map={"routing": "__all__"},
    )


@page
@require_POST
def note_add(request, pk):
    document = document_for(request.user, pk)
    form = NoteForm(request.POST, request.FILES, prefix="note")
    return _post(
        request,
        document,
        "note",
        form,
        lambda: services.note_add(
            actor=request.user,
            document=document,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data.get("file"),
        ),
        _("The note is added."),
    )


@page
@require_POST
def custody_hand_over(request, pk):
    """Zimmet: hand the paper original to a person or another directorate."""
    document = document_for(request.user, pk)
    form = HandOverForm(request.POST, prefix="hand")
    return _post(
        request,
        document,
        "hand_over",
        form,
        lambda: services.custody_hand_over(
            actor=request.user,
            document=document,
            to_person=form.cleaned_data.get("to_person"),
            to_unit=form.cleaned_data.get("to_unit"),
        ),
        _("The paper original is handed over; the receiver acknowledges it."),
        field_map={"document": "__all__"},
    )


@page
@require_POST
def custody_acknowledge(request, pk):
    """The receiver acknowledges, or the registry uploads the scanned signed zimmet list."""
    custody = custody_for(request.user, pk)
    form = AcknowledgeForm(request.POST, request.FILES, prefix=f"ack-{custody.pk}")
    return _post(
        request,
        custody.document,
        ("acknowledge", custody.pk),
        form,
        lambda: services.custody_acknowledge(
            actor=request.user, custody=custody, proof_upload=form.cleaned_data.get("proof")
        ),
        _("The hand-over is acknowledged."),
        field_map={"file": "proof", "custody": "__all__"},
    )


@page
@require_POST
def document_send(request, pk):
    """The Director sends the document to another directorate's incoming registry."""
    document = document_for(request.user, pk)
    form = SendForm(request.POST, prefix="send", exclude=document.registry_id)
    return _post(
        request,
        document,
        "send",
        form,
        lambda: services.document_send_internal(
            actor=request.user, document=document, to_registry=form.cleaned_data["to_registry"]
        ),
        _("The document is sent to the other directorate."),
    )
