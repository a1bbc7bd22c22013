"""Havale: routing documents to people and units, routing on, returning, closing (RYY art. 12).

Electronic routing is custody (zimmet) in itself (art. 12(b)): each routing records a
custody row for its recipient in the same transaction.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import calendar
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    CustodyKind,
    DeadlineBasis,
    DocumentStatus,
    Purpose,
    RoutingStatus,
    Urgency,
)
from ..models import Custody, Document, Routing
from ._common import acting_for, atomic_service, refuse
from .documents import document_mark_done_if_finished


def default_due_date(document: Document, basis: str, start: datetime.date) -> datetime.date | None:
    """The due date a routing gets from its document (standards.md 1.5, RYY art. 33).

    ACELE → the next business day; GÜNLÜDÜR → its date; otherwise 5 business days for a
    request for documents and 15 for a request for an opinion.
    """
    if document.urgency == Urgency.ACELE or basis == DeadlineBasis.ACELE:
        return calendar.next_business_day(start)
    if document.urgency == Urgency.GUNLUDUR or basis == DeadlineBasis.GUNLUDUR:
        return document.urgency_date
    if basis == DeadlineBasis.DOCUMENTS:
        return calendar.add_business_days(start, 5)
    if basis == DeadlineBasis.OPINION:
        return calendar.add_business_days(start, 15)
    return None


def _resolve_due(document, purpose, due_date, basis):
    arrival = timezone.localdate(document.registered_at)
    if purpose == Purpose.INFORMATION:
        return None, ""
    if due_date is not None:
        if due_date < arrival:
            raise DomainError(_("The due date cannot be before the arrival."), field="due_date")
        return due_date, DeadlineBasis.CUSTOM
    if document.urgency == Urgency.ACELE:
        basis = DeadlineBasis.ACELE
    elif document.urgency == Urgency.GUNLUDUR:
        basis = DeadlineBasis.GUNLUDUR
    if basis not in DeadlineBasis.values or basis == DeadlineBasis.CUSTOM:
        raise DomainError(
            _("Choose the deadline rule (request for documents or for an opinion) or a date."),
            field="deadline_basis",
        )
    # The answer periods run from the arrival (the day of receipt itself does not count).
    return default_due_date(document, basis, arrival), basis


def _custody_for(routing, actor):
    Custody.objects.create(
        document=routing.document,
        kind=CustodyKind.ELECTRONIC,
        holder=routing.to_person,
        holder_unit=routing.to_unit,
        given_by=actor,
        routing=routing,
        acknowledged_at=timezone.now(),
        acknowledged_by=routing.to_person,
    )


def _create(document, *, actor, post, parent, recipient, purpose, instruction, due_date, basis):
    from bilgiislem.organization.models import OrgUnit

    if purpose not in Purpose.values:
        raise DomainError(_("Choose for action or for information."), field="purpose")
    due, basis = _resolve_due(document, purpose, due_date, basis)
    to_unit = recipient if isinstance(recipient, OrgUnit) else None
    to_person = None if to_unit else recipient
    if to_person is not None and not to_person.is_active:
        raise DomainError(_("This account is disabled."), field="recipients")
    if to_unit is not None and to_unit.valid_to is not None:
        raise DomainError(_("This unit is closed."), field="recipients")
    routing = Routing.objects.create(
        document=document,
        parent=parent,
        routed_by=actor,
        routed_as=post.label if post else "",
        to_person=to_person,
        to_unit=to_unit,
        purpose=purpose,
        instruction=(instruction or "").strip(),
        due_date=due,
        deadline_basis=basis,
    )
    _custody_for(routing, actor)
    audit_record(
        actor=actor,
        action="registry.routing.created",
        obj=routing,
        changes={
            "document": document.number_label,
            "to": str(recipient),
            "purpose": purpose,
            "due_date": due,
            "deadline_basis": basis,
            "parent": parent.pk if parent else None,
        },
        acting_for=acting_for(post),
        object_repr=f"{document.number_label} → {recipient}",
    )
    return routing


@atomic_service
def routing_create(
    *,
    actor,
    document: Document,
    recipients,
    instruction: str = "",
    due_date=None,
    deadline_basis: str = "",
) -> list[Routing]:
    """The Director (or the Chief acting for the Director) routes a document.

    ``recipients`` is a list of (person or unit, Purpose).
    """
    post = permissions.director_post(actor, document.registry)
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="registry.routing.refused",
            obj=document,
            message=_("Only the Director (or someone acting for the Director) routes documents."),
        )
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.OPEN:
        raise DomainError(_("This document is closed; it cannot be routed."), field="document")
    if not recipients:
        raise DomainError(_("Choose at least one person or unit."), field="recipients")
    return [
        _create(
            document,
            actor=actor,
            post=post,
            parent=None,
            recipient=r,
            purpose=p,
            instruction=instruction,
            due_date=due_date,
            basis=deadline_basis,
        )
        for r, p in recipients
    ]


@atomic_service
def routing_forward(
    *,
    actor,
    routing: Routing,
    to_person,
    purpose: str | None = None,
    instruction: str = "",
    due_date=None,
) -> Routing:
    """Route on (havale) to one of one's people: what was routed to a unit, by its head;
    what was routed to a manager in person (Şef, Birim Sorumlusu), by that manager."""
    from bilgiislem.organization.choices import MANAGERIAL_RANK

    org = permissions.org
    routing = (
        # Only the routing row: the unit is an outer join, which PostgreSQL cannot lock.
        Routing.objects.select_for_update(of=("self",))
        .select_related("document", "to_unit")
        .get(pk=routing.pk)
    )
    post, scope = None, set()
    if routing.to_unit_id:
        post = permissions.unit_head_post(actor, routing.to_unit)
        scope = org.subtree(routing.to_unit_id, org.unit_parents(actor))
    elif routing.to_person_id == actor.pk:
        post = next((p for p in org.effective_posts(actor) if p.rank >= MANAGERIAL_RANK), None)
        scope = org.managed_unit_ids(actor)
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="registry.routing.forward_refused",
            obj=routing,
            message=_("Only the head of the unit it was routed to can route it on."),
        )
    if routing.status != RoutingStatus.OPEN or routing.document.status != DocumentStatus.OPEN:
        raise DomainError(_("This routing is no longer open."), field="routing")
    if to_person is None or to_person.pk == actor.pk:
        raise DomainError(_("Choose the person to route it on to."), field="to_person")
    if not actor.is_superuser and not any(
        p.unit_id in scope for p in org.effective_posts(to_person)
    ):
        raise DomainError(_("Route it on to someone who works in your unit."), field="to_person")
    purpose = purpose or routing.purpose
    due = due_date or routing.due_date
    child = _create(
        routing.document,
        actor=actor,
        post=post,
        parent=routing,
        recipient=to_person,
        purpose=purpose,
        instruction=instruction,
        due_date=due,
        basis=DeadlineBasis.CUSTOM,
    )
    # Routing on for action hands the work over; routing on for information only informs,
    # and the work stays with this routing (else nobody would be left to close it).
    if purpose == Purpose.ACTION or routing.purpose == Purpose.INFORMATION:
        routing.status = RoutingStatus.FORWARDED
        routing.save(update_fields=["status"])
    return child


def _recipient_check(actor, routing, action):
    if routing.to_person_id == actor.pk or actor.is_superuser:
        return
    if routing.to_unit_id and permissions.is_member(actor, routing.to_unit):
        return
    refuse(
        actor=actor, action=action, obj=routing, message=_("This routing is not addressed to you.")
    )


@atomic_service
def routing_return(*, actor, routing: Routing, reason: str) -> Routing:
    """The recipient returns (iade) a routing to the person who routed it, with a reason."""
    _recipient_check(actor, routing, "registry.routing.return_refused")
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for returning it."), field="reason")
    routing = Routing.objects.select_for_update().get(pk=routing.pk)
    if routing.status != RoutingStatus.OPEN:
        raise DomainError(_("This routing is no longer open."), field="routing")
    routing.status = RoutingStatus.RETURNED
    routing.return_reason = reason.strip()
    routing.closed_at = timezone.now()
    routing.closed_by = actor
    routing.save(update_fields=["status", "return_reason", "closed_at", "closed_by"])
    Custody.objects.filter(routing=routing, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    if routing.parent_id:
        Routing.objects.filter(pk=routing.parent_id, status=RoutingStatus.FORWARDED).update(
            status=RoutingStatus.OPEN
        )
    audit_record(actor=actor, action="registry.routing.returned", obj=routing, reason=reason)
    return routing


@atomic_service
def routing_close(
    *, actor, routing: Routing, outcome: str, reply: Document | None = None
) -> Routing:
    """The recipient finishes the work with an outcome (and optionally the reply)."""
    _recipient_check(actor, routing, "registry.routing.close_refused")
    routing = Routing.objects.select_for_update().select_related("document").get(pk=routing.pk)
    if routing.status != RoutingStatus.OPEN:
        raise DomainError(_("This routing is no longer open."), field="routing")
    if routing.purpose == Purpose.ACTION and not (outcome or "").strip():
        raise DomainError(_("Say how it was finished."), field="outcome")
    routing.status = RoutingStatus.CLOSED
    routing.outcome = (outcome or "").strip()
    routing.closed_at = timezone.now()
    routing.closed_by = actor
    routing.reply = reply
    routing.save(update_fields=["status", "outcome", "closed_at", "closed_by", "reply"])
    Custody.objects.filter(routing=routing, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="registry.routing.closed",
        obj=routing,
        changes={"outcome": routing.outcome, "reply": reply.number_label if reply else ""},
    )
    document_mark_done_if_finished(routing.document)
    return routing


@atomic_service
def routings_close_by_reply(*, actor, document: Document, reply: Document, holder) -> list[Routing]:
    """A signed reply closes the open for-action routings of the document it answers that
    ``holder`` (the reply's preparer) holds, in person or through a unit of one of their
    posts, with the outcome "Cevap verildi: <Sayı>" and the reply linked (issue 4 point 1).

    The signature is the authority here (the correspondence service checked that ``actor``
    is the required signer); call inside the signing transaction. Returns the closed ones.
    """
    units = {p.unit_id for p in permissions.org.effective_posts(holder)}
    routings = list(
        Routing.objects.select_for_update(of=("self",))
        .filter(document=document, status=RoutingStatus.OPEN, purpose=Purpose.ACTION)
        .filter(Q(to_person=holder) | Q(to_unit_id__in=units))
        .order_by("pk")
    )
    now = timezone.now()
    outcome = _("Reply sent: %(sayi)s") % {"sayi": reply.sayi or reply.number_label}
    for routing in routings:
        routing.status = RoutingStatus.CLOSED
        routing.outcome = outcome
        routing.closed_at = now
        routing.closed_by = holder
        routing.reply = reply
        routing.save(update_fields=["status", "outcome", "closed_at", "closed_by", "reply"])
        Custody.objects.filter(routing=routing, released_at__isnull=True).update(released_at=now)
        audit_record(
            actor=actor,
            action="registry.routing.closed_by_reply",
            obj=routing,
            changes={
                "outcome": outcome,
                "reply": reply.number_label,
                "sayi": reply.sayi,
                "holder": holder.get_username(),
            },
            object_repr=f"{document.number_label} → {routing.to_person or routing.to_unit}",
        )
    if routings:
        document_mark_done_if_finished(document)
    return routings


@atomic_service
def routing_mark_read(*, actor, routing: Routing) -> Routing:
    """The first time the recipient (or, for a unit, its head) opens a routing."""
    if routing.read_at is not None:
        return routing
    addressed = routing.to_person_id == actor.pk or bool(
        routing.to_unit_id and permissions.unit_head_post(actor, routing.to_unit)
    )
    if addressed:
        routing.read_at = timezone.now()
        routing.save(update_fields=["read_at"])
        audit_record(actor=actor, action="registry.routing.read", obj=routing)
    return routing


def may_work_on(person, document: Document) -> bool:
    """Someone with an open routing of the document, or the registry's Director."""
    if person.is_superuser or permissions.director_post(person, document.registry):
        return True
    units = {p.unit_id for p in permissions.org.effective_posts(person)}
    open_routings = document.routings.filter(status=RoutingStatus.OPEN)
    return (
        open_routings.filter(to_person=person).exists()
        or open_routings.filter(to_unit_id__in=units).exists()
    )
