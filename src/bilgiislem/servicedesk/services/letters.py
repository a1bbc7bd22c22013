"""Official letters and requests (issue 6 point 1): an incoming letter routed to the
directorate becomes a request that keeps the link both ways, and closing it can start the
reply letter.

- ``ticket_from_document``: the request carries the letter's Sayı and sender; GÜNLÜDÜR gives
  the due date (it caps the SLA deadline), ACELE a high priority. The document page lists
  its requests through ``Ticket.source_document`` (related name ``service_requests``).
- ``ticket_start_reply``: a draft reply (correspondence ``letter_create`` with ``reply_to``
  the document, the document as ilgi, the sender as recipient), kept in
  ``Ticket.reply_letter``; the draft then follows the normal paraf and signature chain.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence.choices import RecipientKind
from bilgiislem.correspondence.models import Letter
from bilgiislem.correspondence.services import letter_create
from bilgiislem.organization import permissions as org
from bilgiislem.registry.choices import Direction, PartyKind, Purpose, Urgency
from bilgiislem.registry.models import Document

from .. import permissions
from ..choices import Category, Channel, EntryKind, Priority, TicketState
from ..models import PartnerOrganization, Ticket, TicketEntry
from .intake import refuse_markup
from .tickets import open_ticket, ticket_opened

# States a request no longer counts as open in, for "already turned into a request".
_FINISHED = {TicketState.CANCELLED, TicketState.MERGED, TicketState.CLOSED}
_REPLY_STATES = {TicketState.RESOLVED, TicketState.CLOSED}
# Reply letters of a request whose letter has no file plan code take this one.
DEFAULT_REPLY_SDP = "700.02"


def reply_sdp_code(document: Document) -> str:
    return document.sdp_code or getattr(
        settings, "BILGIISLEM_SERVICEDESK_REPLY_SDP", DEFAULT_REPLY_SDP
    )


def may_convert(person, document: Document) -> bool:
    """Whether ``person`` may turn ``document`` into a request: an incoming document of the
    system-owner directorate's registry (a letter routed to Bilgi İşlem), and a desk agent
    (anyone posted in Bilgi İşlem) who may see it."""
    return (
        document.direction == Direction.INCOMING
        and document.registry_id in org.system_owner_unit_ids(person)
        and permissions.may_record_on_behalf(person)
        and Document.objects.visible_to(person).filter(pk=document.pk).exists()
    )


def open_request_of(document: Document) -> Ticket | None:
    """The document's request that is still being worked on, if any."""
    return (
        Ticket.objects.filter(source_document=document)
        .exclude(state__in=_FINISHED)
        .order_by("-created_at")
        .first()
    )


def _partner_of(document: Document) -> PartnerOrganization | None:
    if not document.party_identifier:
        return None
    return PartnerOrganization.objects.filter(
        active=True, identifier=document.party_identifier
    ).first()


def _letter_summary(document: Document) -> str:
    facts = {
        "sender": document.party_name,
        "sayi": document.sayi or "—",
        "date": document.document_date.strftime("%d.%m.%Y") if document.document_date else "—",
        "number": document.number_label,
        "subject": document.subject,
    }
    return (
        _(
            "Official letter from %(sender)s, Sayı %(sayi)s of %(date)s "
            "(registry number %(number)s).\nSubject: %(subject)s"
        )
        % facts
    )


def ticket_from_document(
    *,
    actor,
    document: Document,
    category: str = Category.OTHER,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Ticket:
    """Turn an incoming letter routed to the directorate into a request (audited)."""
    now = now or timezone.now()
    if not Document.objects.visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDeniedError(_("You may not see this document."))
    if not permissions.may_record_on_behalf(actor):
        raise PermissionDeniedError(_("Only the service desk's staff turn letters into requests."))
    if document.direction != Direction.INCOMING or document.registry_id not in (
        org.system_owner_unit_ids(actor)
    ):
        raise DomainError(
            _("Only incoming letters of this directorate's registry become requests."),
            field="document",
        )
    if category not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    note = (note or "").strip()
    refuse_markup(note, "note")
    description = _letter_summary(document)
    if note:
        description = f"{description}\n\n{note}"
    urgency = document.urgency
    with transaction.atomic():
        # The document row is the lock: two agents converting at once make one request.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        existing = open_request_of(document)
        if existing is not None:
            raise DomainError(
                _("This letter is already request %(number)s.") % {"number": existing.number_label},
                field="document",
            )
        internal = document.party_kind == PartyKind.INTERNAL
        ticket = open_ticket(
            actor=actor,
            now=now,
            state=TicketState.NEW,
            channel=Channel.LETTER,
            title=document.subject[: Ticket._meta.get_field("title").max_length],
            description=description,
            category=category,
            priority=Priority.HIGH if urgency == Urgency.ACELE else Priority.NORMAL,
            requester_unit=document.party_unit if internal else None,
            organization=None if internal else _partner_of(document),
            contact_name=document.party_name[:200],
            recorded_by=actor,
            source_document=document,
            due_date=document.urgency_date if urgency == Urgency.GUNLUDUR else None,
        )
        audit_record(
            actor=actor,
            action="servicedesk.ticket.created_from_letter",
            obj=ticket,
            changes={
                "document": document.pk,
                "sayi": document.sayi,
                "priority": ticket.priority,
                "due_date": ticket.due_date.isoformat() if ticket.due_date else None,
            },
        )
        ticket_opened(ticket, now=now, changed=[])
    return ticket


def _recipient(document: Document) -> dict:
    kind = document.party_kind
    if kind == PartyKind.INTERNAL:
        if document.party_unit is None:
            raise DomainError(
                _("The letter does not name the directorate it came from."), field="document"
            )
        return {"kind": RecipientKind.INTERNAL, "unit": document.party_unit}
    mapped = {
        PartyKind.PUBLIC_BODY: RecipientKind.PUBLIC_BODY,
        PartyKind.COMPANY: RecipientKind.COMPANY,
        PartyKind.PERSON: RecipientKind.CITIZEN,
    }[kind]
    return {
        "kind": mapped,
        "name": document.party_name,
        "identifier": document.party_identifier,
        "purpose": Purpose.ACTION,
    }


def _reply_body(ticket: Ticket, document: Document) -> str:
    return "\n\n".join(
        [
            _(
                "The request in the letter under reference was recorded as support request "
                "%(number)s and has been dealt with as follows:"
            )
            % {"number": ticket.number_label},
            ticket.resolution or "—",
            _("For your information."),
        ]
    )


def may_start_reply(person, ticket: Ticket) -> bool:
    return (
        ticket.source_document_id is not None
        and ticket.reply_letter_id is None
        and ticket.state in _REPLY_STATES
        and permissions.is_desk_side(person, ticket)
    )


def ticket_start_reply(*, actor, ticket: Ticket) -> Letter:
    """Start the draft reply to the letter a resolved or closed request came from."""
    if not permissions.is_desk_side(actor, ticket):
        raise PermissionDeniedError(_("Only the service desk's staff start the reply."))
    with transaction.atomic():
        ticket = (
            # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
            Ticket.objects.select_for_update(of=("self",))
            .select_related("source_document__party_unit")
            .get(pk=ticket.pk)
        )
        document = ticket.source_document
        if document is None:
            raise DomainError(_("This request did not come from a letter."), field="ticket")
        if ticket.reply_letter_id is not None:
            raise DomainError(_("The reply letter has already been started."), field="ticket")
        if ticket.state not in _REPLY_STATES:
            raise DomainError(
                _("Resolve the request before starting the reply letter."), field="ticket"
            )
        letter = letter_create(
            actor=actor,
            subject=document.subject,
            body=_reply_body(ticket, document),
            sdp_code=reply_sdp_code(document),
            recipients=[_recipient(document)],
            references=[document],
            reply_to=document,
        )
        ticket.reply_letter = letter
        ticket.save(update_fields=["reply_letter", "updated_at"])
        TicketEntry.objects.create(
            ticket=ticket,
            kind=EntryKind.EVENT,
            author=actor,
            text=_("Reply letter started."),
        )
        audit_record(
            actor=actor,
            action="servicedesk.ticket.reply_started",
            obj=ticket,
            changes={"letter": letter.pk, "document": document.pk},
        )
    return letter
