"""Opening a request and writing in it (issue 6 points 1 and 3).

- ``ticket_create``: staff ask for themselves (their unit), a desk or call-centre agent
  records a request on someone's behalf (a member of staff, or a partner organisation's
  contact), a partner account asks for its own organisation; the API uses the same service.
- The number (``2026-000123``) comes from ``TicketCounter``, bumped by one locked UPDATE in
  the creating transaction (as registry numbers are): no duplicates, no gaps.
- The queue comes from the category (``Queue.categories``), else Teknik Destek.
- Messages to the requester, replies, internal notes and time spent are ``TicketEntry``
  rows; attachments are stored by SHA-256 after the registry's upload checks.

The building blocks ``open_ticket``, ``ticket_opened`` and ``attach_uploads`` are shared with
the public form and the letter → request service (services/intake.py and friends).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.text import fold
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind
from bilgiislem.registry.services.files import (
    check_upload,
    new_blobs_removed_on_error,
    store_upload,
)

from .. import permissions as desk
from ..choices import Category, Channel, EntryKind, Priority, TicketState
from ..models import Queue, Ticket, TicketAttachment, TicketCounter, TicketEntry
from .notify import notify, notify_requester
from .sla import sla_first_response, sla_resume, sla_start
from .stats import stats_record

TITLE_MAX = Ticket._meta.get_field("title").max_length
TEXT_MAX = 10_000
MAX_ATTACHMENTS = 5
MINUTES_MAX = 24 * 60
# Where a category no queue lists goes (RYY art. 7(4): Teknik Destek is the first line).
DEFAULT_QUEUE_UNIT = "bilgi-islem-teknik-destek"
STAFF_CHANNELS = {Channel.WEB, Channel.API}
BEHALF_CHANNELS = {Channel.PHONE, Channel.DESK, Channel.WEB, Channel.API}


# ---------------------------------------------------------------- checks of input


def clean_minutes(value, *, required: bool = False) -> int:
    """Time spent on one action: 1 to 1440 minutes (0 or empty = none, when not required)."""
    if value in (None, "") and not required:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise DomainError(
                _("Give the time spent in whole minutes."), field="minutes_spent"
            ) from None
    if value == 0 and not required:
        return 0
    if not 1 <= value <= MINUTES_MAX:
        raise DomainError(
            _("Time spent must be between 1 and %(max)d minutes (one day).") % {"max": MINUTES_MAX},
            field="minutes_spent",
        )
    return value


def clean_text(value: str, *, field: str, message: str, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if len(value) > limit:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": limit},
            field=field,
        )
    return value


def _clean_choice(value, choices, *, field: str, message: str) -> str:
    if value not in choices.values:
        raise DomainError(message, field=field)
    return value


def check_uploads(uploads) -> list:
    """Every attachment checked (type sniffed against the extension, size) before anything
    is numbered or written."""
    uploads = [u for u in (uploads or []) if u is not None]
    if len(uploads) > MAX_ATTACHMENTS:
        raise DomainError(
            _("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, field="attachments"
        )
    for upload in uploads:
        try:
            check_upload(upload)
        except DomainError as exc:
            messages = [m for ms in exc.errors.values() for m in ms]
            raise DomainError(errors={"attachments": messages}) from exc
    return uploads


# ---------------------------------------------------------------- building blocks


def next_ticket_number(year: int) -> int:
    """The next request number of ``year``. Call inside the creating transaction: the
    counter row stays locked until it ends, and a rollback gives the number back."""
    return next_number(TicketCounter, year=year)


def queue_for(category: str) -> Queue:
    """The active queue that lists the category, else the default (Teknik Destek), else the
    first active queue."""
    active = list(Queue.objects.filter(active=True).select_related("unit").order_by("pk"))
    for queue in active:
        if category in (queue.categories or []):
            return queue
    default_code = getattr(settings, "BILGIISLEM_SERVICEDESK_DEFAULT_QUEUE", DEFAULT_QUEUE_UNIT)
    for queue in active:
        if queue.unit.code == default_code:
            return queue
    if active:
        return active[0]
    raise DomainError(_("No service desk queue is set up yet."), field="category")


def search_text_of(ticket: Ticket) -> str:
    parts = [
        ticket.number_label,
        ticket.title,
        ticket.description,
        ticket.contact_name,
        ticket.contact_email,
    ]
    if ticket.organization_id:
        parts.append(ticket.organization.name)
    return fold(" ".join(p for p in parts if p))


def open_ticket(*, actor, now: datetime.datetime, state: str, channel: str, **fields) -> Ticket:
    """Number, route and save a new request (inside the caller's transaction). No clock, no
    notices: ``ticket_opened`` does that once the request is really open (not UNCONFIRMED)."""
    queue = fields.pop("queue", None) or queue_for(fields["category"])
    year = timezone.localdate(now).year
    ticket = Ticket(
        year=year,
        number=next_ticket_number(year),
        created_at=now,
        state=state,
        channel=channel,
        queue=queue,
        **fields,
    )
    # Whoever writes a request down for someone else records it — also for an organisation
    # with no named person (requester empty); the public form has no actor.
    if actor is not None and ticket.requester_id != actor.pk:
        ticket.recorded_by = actor
    ticket.search_text = search_text_of(ticket)
    ticket.save()
    return ticket


def _queue_leads(queue: Queue) -> list:
    """Who divides a queue's work: its unit's head, else the Chief(s) (art. 9(c))."""
    from bilgiislem.organization.models import Person

    today = timezone.localdate()
    heads = Person.objects.filter(
        holdings__in=_holdings(today).filter(
            position__unit_id=queue.unit_id, position__kind=PositionKind.BIRIM_SORUMLUSU
        )
    )
    found = list(heads)
    if not found:
        found = list(
            Person.objects.filter(
                holdings__in=_holdings(today).filter(
                    position__unit_id__in=org.system_owner_unit_ids(),
                    position__kind=PositionKind.SEF,
                )
            )
        )
    return found


def _holdings(today):
    from bilgiislem.organization.models import PositionHolding

    return PositionHolding.objects.active_on(today)


def ticket_opened(ticket: Ticket, *, now: datetime.datetime, changed: list[str]) -> None:
    """The request is open (created NEW, or its sender confirmed it): start the SLA clock,
    count it in the day's figures, tell the people who divide the queue's work. Saves the
    fields in ``changed`` with those the clock set. A request still UNCONFIRMED is only
    saved: its clock starts when the sender confirms it."""
    if ticket.state != TicketState.NEW:
        if changed:
            ticket.save(update_fields=sorted({*changed, "updated_at"}))
        return
    changed = [*changed, *sla_start(ticket, now)]
    if changed:
        ticket.save(update_fields=sorted({*changed, "updated_at"}))
    stats_record(ticket.queue_id, now, opened=1)
    notify(
        ticket,
        _queue_leads(ticket.queue),
        _("New request %(number)s in %(queue)s: %(title)s")
        % {"number": ticket.number_label, "queue": ticket.queue.name, "title": ticket.title},
    )


def attach_uploads(
    ticket: Ticket, uploads, *, uploaded_by, entry: TicketEntry | None = None, internal=False
) -> list[TicketAttachment]:
    """Store checked uploads as the request's files (inside the caller's transaction; wrap
    the transaction in ``attach_uploads.guard()`` so a rollback leaves no blob behind)."""
    made = []
    for upload in uploads:
        stored, content_type, _text = store_upload(upload)
        made.append(
            TicketAttachment.objects.create(
                ticket=ticket,
                entry=entry,
                filename=upload.name[:255],
                content_type=content_type,
                size=stored.size,
                sha256=stored.sha256,
                internal=internal,
                uploaded_by=uploaded_by,
            )
        )
    return made


attach_uploads.guard = new_blobs_removed_on_error


def event(ticket: Ticket, actor, text: str, *, minutes: int = 0) -> TicketEntry:
    """A line of the request's history (kind EVENT), shown to both sides."""
    return TicketEntry.objects.create(
        ticket=ticket, kind=EntryKind.EVENT, author=actor, text=text, minutes_spent=minutes
    )


# ---------------------------------------------------------------- opening a request


def _requester_unit(person, unit):
    """The unit a member of staff asks for: one of their posts' units (the first by default)."""
    posts = org.effective_posts(person)
    units = [p.position.unit for p in posts]
    if unit is None:
        return units[0] if units else None
    if unit.pk not in {u.pk for u in units}:
        raise DomainError(
            _("Choose one of the units you work in."),
            field="requester_unit",
        )
    return unit


def ticket_create(
    *,
    actor,
    title: str,
    description: str,
    category: str,
    priority: str = Priority.NORMAL,
    channel: str | None = None,
    requester=None,
    requester_unit=None,
    organization=None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    due_date: datetime.date | None = None,
    parent: Ticket | None = None,
    attachments=(),
) -> Ticket:
    """Open a request (staff for themselves, an agent on someone's behalf, a partner account
    for its organisation). Refused input names its field; nothing is written then."""
    if not getattr(actor, "is_authenticated", False) or not desk.may_use_desk(actor):
        raise PermissionDeniedError(_("Your posts do not allow asking the service desk."))
    title = clean_text(title, field="title", message=_("Give a short title."), limit=TITLE_MAX)
    description = clean_text(description, field="description", message=_("Describe the problem."))
    category = _clean_choice(category, Category, field="category", message=_("Choose a category."))
    priority = _clean_choice(
        priority or Priority.NORMAL, Priority, field="priority", message=_("Choose a priority.")
    )
    contact = {
        "contact_name": (contact_name or "").strip()[:200],
        "contact_email": (contact_email or "").strip()[:254],
        "contact_phone": (contact_phone or "").strip()[:50],
    }
    partner_org = desk.partner_organization_id(actor)
    on_behalf = (requester is not None and requester.pk != actor.pk) or (
        organization is not None and partner_org is None
    )
    if partner_org is not None and not org.effective_posts(actor):
        # A partner account asks for its own organisation, and for no other.
        if organization is not None and organization.pk != partner_org:
            raise DomainError(
                _("You can ask only for your own organisation."), field="organization"
            )
        if requester is not None and requester.pk != actor.pk:
            raise DomainError(_("You can ask only for yourself."), field="requester")
        fields = {"requester": actor, "organization_id": partner_org}
        channel = channel or Channel.PARTNER
    elif on_behalf:
        if not desk.may_record_on_behalf(actor):
            raise PermissionDeniedError(
                _("Only the service desk records requests on someone's behalf.")
            )
        if requester is None and organization is None:
            raise DomainError(_("Choose the person or organisation asking."), field="requester")
        if organization is not None and not organization.active:
            raise DomainError(_("This organisation is no longer supported."), field="organization")
        unit = None
        if requester is not None and organization is None:
            unit = _requester_unit(requester, requester_unit)
            if unit is None:
                raise DomainError(
                    _("This person holds no post; record the request for their organisation."),
                    field="requester",
                )
        if requester is None and not (contact["contact_name"] or contact["contact_phone"]):
            raise DomainError(_("Give the name of the person asking."), field="contact_name")
        fields = {"requester": requester, "requester_unit": unit, "organization": organization}
        channel = channel or Channel.PHONE
        if channel not in BEHALF_CHANNELS:
            raise DomainError(_("Choose how the request came in."), field="channel")
    else:
        unit = _requester_unit(actor, requester_unit)
        fields = {"requester": actor, "requester_unit": unit}
        channel = channel or Channel.WEB
        if channel not in STAFF_CHANNELS:
            raise DomainError(_("Choose how the request came in."), field="channel")
    if parent is not None and not desk.is_desk_side(actor, parent):
        raise DomainError(_("Choose a request you work on as the parent."), field="parent")
    uploads = check_uploads(attachments)
    now = timezone.now()
    with attach_uploads.guard(), transaction.atomic():
        ticket = open_ticket(
            actor=actor,
            now=now,
            state=TicketState.NEW,
            channel=channel,
            title=title,
            description=description,
            category=category,
            priority=priority,
            due_date=due_date,
            parent=parent,
            **contact,
            **fields,
        )
        attach_uploads(ticket, uploads, uploaded_by=actor)
        audit_record(
            actor=actor,
            action="servicedesk.ticket.created",
            obj=ticket,
            changes={
                "number": ticket.number_label,
                "channel": ticket.channel,
                "category": ticket.category,
                "priority": ticket.priority,
                "queue": ticket.queue_id,
                "requester": ticket.requester_id,
                "organization": ticket.organization_id,
                "parent": ticket.parent_id,
                "attachments": len(uploads),
            },
        )
        ticket_opened(ticket, now=now, changed=[])
        if ticket.recorded_by_id is not None:
            notify_requester(
                ticket,
                _("Your request %(number)s was recorded: %(title)s")
                % {"number": ticket.number_label, "title": ticket.title},
            )
    return ticket


# ---------------------------------------------------------------- writing in a request


def ticket_message_add(
    *,
    actor,
    ticket: Ticket,
    text: str,
    internal: bool = False,
    minutes_spent=0,
    attachments=(),
) -> TicketEntry:
    """Write in a request: the desk writes to the requester or an internal note; the
    requester side replies (never internally). A reply to "waiting for you" resumes the work;
    the desk's first message to the requester is its first response (SLA)."""
    desk_side = desk.is_desk_side(actor, ticket)
    requester_side = desk.is_requester_side(actor, ticket)
    if not desk_side and not requester_side:
        raise PermissionDeniedError(_("Only the requester and the service desk write here."))
    if internal and not desk_side:
        raise PermissionDeniedError(_("Only the service desk writes internal notes."))
    text = clean_text(text, field="text", message=_("Write your message."))
    minutes = clean_minutes(minutes_spent)
    if minutes and not desk_side:
        raise DomainError(_("Only the service desk books time."), field="minutes_spent")
    uploads = check_uploads(attachments)
    kind = EntryKind.REPLY
    if desk_side:
        kind = EntryKind.NOTE if internal else EntryKind.MESSAGE
    now = timezone.now()
    with attach_uploads.guard(), transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.state in (TicketState.CLOSED, TicketState.CANCELLED, TicketState.MERGED):
            raise DomainError(_("This request is closed."), field="text")
        entry = TicketEntry.objects.create(
            ticket=ticket, kind=kind, author=actor, text=text, minutes_spent=minutes
        )
        attach_uploads(ticket, uploads, uploaded_by=actor, entry=entry, internal=internal)
        changed: list[str] = []
        changes = {"entry": entry.pk, "kind": kind, "minutes_spent": minutes}
        if kind == EntryKind.MESSAGE:
            changed += sla_first_response(ticket, now)
        if kind == EntryKind.REPLY and ticket.state == TicketState.WAITING_REQUESTER:
            changed += ["state", *sla_resume(ticket, now)]
            ticket.state = TicketState.IN_PROGRESS
            changes["state"] = [TicketState.WAITING_REQUESTER, TicketState.IN_PROGRESS]
        ticket.save(update_fields=sorted({*changed, "updated_at"}))
        audit_record(
            actor=actor,
            action="servicedesk.ticket.note_added" if internal else "servicedesk.ticket.message",
            obj=ticket,
            changes=changes,
        )
        summary = _("%(name)s wrote on request %(number)s.") % {
            "name": actor.get_full_name() or actor.get_username(),
            "number": ticket.number_label,
        }
        if kind == EntryKind.MESSAGE:
            notify_requester(ticket, summary)
        elif kind == EntryKind.REPLY:
            notify(ticket, [ticket.assignee], summary)
    return entry


def ticket_time_add(*, actor, ticket: Ticket, minutes_spent, text: str = "") -> TicketEntry:
    """Book time spent on a request (an internal note with minutes; 1–1440 each)."""
    if not desk.is_desk_side(actor, ticket):
        raise PermissionDeniedError(_("Only the service desk books time."))
    minutes = clean_minutes(minutes_spent, required=True)
    text = (text or "").strip()[:TEXT_MAX]
    with transaction.atomic():
        entry = TicketEntry.objects.create(
            ticket=ticket, kind=EntryKind.NOTE, author=actor, text=text, minutes_spent=minutes
        )
        audit_record(
            actor=actor,
            action="servicedesk.ticket.time_added",
            obj=ticket,
            changes={"entry": entry.pk, "minutes_spent": minutes},
        )
    return entry
