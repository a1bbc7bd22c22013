"""One document's page: metadata, files, links, routing, custody, notes, audit — and the
actions this person may take now (UI.md "one screen per thing")."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.downloads import attachment_response
from bilgiislem.core.storage import StorageCorruptionError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.models import OrgUnit, Person, PositionHolding

from .. import permissions, services
from ..choices import DeadlineBasis, Direction, DocumentStatus, Medium, RoutingStatus
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
from ..models import Document
from .common import document_for, page, visible_documents

REPLY_WINDOW_DAYS = 180


def directorate_people_and_units(registry):
    """Who a Director can route to: the people and units of the directorate."""
    units = org.subtree(registry.pk, org.unit_parents())
    people = Person.objects.filter(
        is_active=True,
        pk__in=PositionHolding.objects.active_on()
        .filter(position__unit_id__in=units)
        .values("person_id"),
    ).order_by("first_name", "last_name", "username")
    unit_qs = OrgUnit.objects.filter(pk__in=units, valid_to__isnull=True).order_by("name")
    return people, unit_qs


def reply_choices(user, document):
    since = timezone.now() - datetime.timedelta(days=REPLY_WINDOW_DAYS)
    return (
        visible_documents(user)
        .filter(direction=Direction.OUTGOING, registered_at__gte=since)
        .exclude(pk=document.pk)
    )


def addressed_to(user, routing) -> bool:
    if routing.to_person_id == user.pk:
        return True
    return bool(routing.to_unit_id and permissions.is_member(user, routing.to_unit))


def may_forward(user, routing) -> bool:
    if routing.to_unit_id and permissions.unit_head_post(user, routing.to_unit):
        return True
    return routing.to_person_id == user.pk and bool(org.managed_unit_ids(user))


def forward_people(user, routing):
    """Whom a routing can be routed on to: the people of the document's directorate."""
    people, _units = directorate_people_and_units(routing.document.registry)
    return people.exclude(pk=user.pk)


def _audit_events(document, routings, custody):
    query = Q(object_type="registry.document", object_id=str(document.pk))
    if routings:
        query |= Q(object_type="registry.routing", object_id__in=[str(r.pk) for r in routings])
    if custody:
        query |= Q(object_type="registry.custody", object_id__in=[str(c.pk) for c in custody])
    return AuditEvent.objects.filter(query).order_by("seq")


def _may_hand_over(user, document, holder) -> bool:
    if document.medium != Medium.PAPER:
        return False
    if user.is_superuser or permissions.director_post(user, document.registry):
        return True
    if permissions.clerk_post(user, document.registry):
        return True
    return bool(
        holder is not None
        and holder.acknowledged_at is not None
        and (
            holder.holder_id == user.pk
            or (holder.holder_unit_id and permissions.is_member(user, holder.holder_unit))
        )
    )


def detail_context(request, document, bound=None):
    """Everything the page shows; ``bound`` carries a form that failed, to show its errors
    (in its place, even when the action is no longer offered, e.g. the document closed)."""
    bound = bound or {}
    user = request.user
    registry = document.registry
    routings = list(
        document.routings.select_related("to_person", "to_unit", "routed_by", "closed_by", "reply")
    )
    custody = list(
        document.custody.select_related(
            "holder", "holder_unit", "given_by", "acknowledged_by", "proof"
        )
    )
    holder = services.paper_holder(document) if document.medium == Medium.PAPER else None
    is_open = document.status == DocumentStatus.OPEN
    director = user.is_superuser or bool(permissions.director_post(user, registry))
    clerk = user.is_superuser or bool(permissions.clerk_post(user, registry))
    today = timezone.localdate()

    for routing in routings:
        routing.forward_form = None
        mine = routing.status == RoutingStatus.OPEN and is_open and addressed_to(user, routing)
        mine = mine or any(key in bound for key in (("return", routing.pk), ("close", routing.pk)))
        routing.is_mine = mine
        routing.is_overdue = bool(
            routing.status == RoutingStatus.OPEN and routing.due_date and routing.due_date < today
        )
        if mine:
            routing.return_form = bound.get(("return", routing.pk)) or ReturnForm(
                prefix=f"return-{routing.pk}"
            )
            routing.close_form = bound.get(("close", routing.pk)) or CloseForm(
                prefix=f"close-{routing.pk}", replies=reply_choices(user, document)
            )
            if may_forward(user, routing) or ("forward", routing.pk) in bound:
                routing.forward_form = bound.get(("forward", routing.pk)) or ForwardForm(
                    prefix=f"forward-{routing.pk}", people=forward_people(user, routing)
                )
    for item in custody:
        item.may_acknowledge = (
            item.acknowledged_at is None
            and item.released_at is None
            and (
                item.holder_id == user.pk
                or (item.holder_unit_id and permissions.is_member(user, item.holder_unit))
            )
        )
        item.may_upload_proof = item.acknowledged_at is None and item.released_at is None and clerk
        if item.may_acknowledge or item.may_upload_proof or ("acknowledge", item.pk) in bound:
            item.ack_form = bound.get(("acknowledge", item.pk)) or AcknowledgeForm(
                prefix=f"ack-{item.pk}"
            )

    context = {
        "document": document,
        "files": list(document.files.select_related("uploaded_by")),
        "annexes": list(document.annexes.select_related("file")),
        "references": list(document.references.select_related("referenced")),
        "referenced_by": list(
            visible_documents(user).filter(references__referenced=document).distinct()
        ),
        "copies": list(visible_documents(user).filter(source=document)),
        "source": visible_documents(user).filter(pk=document.source_id).first()
        if document.source_id
        else None,
        "routings": routings,
        "custody": custody,
        "holder": holder,
        "notes": list(document.notes.select_related("author", "file")),
        "events": list(_audit_events(document, routings, custody)),
        "today": today,
    }
    if (is_open and director) or "route" in bound or "send" in bound:
        people, units = directorate_people_and_units(registry)
        context["route_form"] = bound.get("route") or RouteForm(
            prefix="route", people=people, units=units
        )
        context["default_due"] = {
            "documents": services.default_due_date(document, DeadlineBasis.DOCUMENTS, today),
            "opinion": services.default_due_date(document, DeadlineBasis.OPINION, today),
        }
        context["send_form"] = bound.get("send") or SendForm(prefix="send", exclude=registry.pk)
    if (is_open and services.may_work_on(user, document)) or "note" in bound:
        context["note_form"] = bound.get("note") or NoteForm(prefix="note")
    if (is_open and _may_hand_over(user, document, holder)) or "hand_over" in bound:
        context["hand_over_form"] = bound.get("hand_over") or HandOverForm(prefix="hand")
    return context


@page
def document_detail(request, pk):
    document = document_for(request.user, pk)
    services.document_record_view(actor=request.user, document=document)
    for routing in document.routings.filter(to_person=request.user, read_at__isnull=True):
        services.routing_mark_read(actor=request.user, routing=routing)
    return render(request, "registry/document_detail.html", detail_context(request, document))


def _granted_document(user, pk) -> Document:
    """A document outside the person's visibility whose files an installed app lets them open
    (``BILGIISLEM_EXTRA_DOCUMENT_ACCESS``: functions (person, document) -> bool), else 404."""
    document = get_object_or_404(Document.objects.select_related("registry"), pk=pk)
    for path in getattr(settings, "BILGIISLEM_EXTRA_DOCUMENT_ACCESS", ()):
        if import_string(path)(user, document):
            return document
    raise Http404


@page
def file_download(request, pk, file_pk):
    """A file of a visible document (or of one another app grants access to, such as an
    archive retrieval), always as an attachment (core.downloads)."""
    try:
        document = document_for(request.user, pk)
    except Http404:
        document = _granted_document(request.user, pk)
    stored = get_object_or_404(document.files.all(), pk=file_pk)
    services.document_record_view(actor=request.user, document=document)
    try:
        return attachment_response(stored.sha256, stored.filename, stored.content_type)
    except StorageCorruptionError:
        return HttpResponse(
            _("The stored file is damaged or missing; tell the system administrators."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
