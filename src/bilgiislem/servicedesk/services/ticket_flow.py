"""Doing the work of a request (issue 6 point 3; RYY art. 9(c)): assign, take, start, pause,
resume, resolve; the requester confirms or reopens; closed after a quiet period; cancel,
parent and child, merging duplicates, moving to another queue, priority.

Each function locks the request row, checks who may act and the state table
(``workflows.py``), changes the state, calls the SLA clock's hooks (services/sla.py), writes a
history line and the audit event, counts the day's figures and tells the people concerned —
all in one transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import permissions as desk
from .. import workflows
from ..choices import PAUSED_STATES, Priority, TicketState
from ..models import Queue, Ticket
from .notify import notify, notify_requester
from .sla import (
    sla_first_response,
    sla_pause,
    sla_priority_changed,
    sla_reopen,
    sla_resolved,
    sla_resume,
)
from .stats import stats_record
from .tickets import clean_minutes, clean_text, event

# Days a resolved request waits for the requester's confirmation before it closes by itself.
CLOSE_AFTER_DAYS = 5


def close_after_days() -> int:
    return int(getattr(settings, "BILGIISLEM_SERVICEDESK_CLOSE_AFTER_DAYS", CLOSE_AFTER_DAYS))


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("queue").get(pk=ticket.pk)


def _name(person) -> str:
    return person.get_full_name() or person.get_username()


def _acting_for(actor):
    post = desk.desk_head_post(actor)
    return post.position if post is not None and post.acting is not None else None


def _save(ticket: Ticket, changed) -> None:
    ticket.save(update_fields=sorted({*changed, "updated_at"}))


def _must_be_assignee(actor, ticket: Ticket, message: str) -> None:
    if ticket.assignee_id is None or ticket.assignee_id != actor.pk:
        raise PermissionDeniedError(message)


def _must_be_accepted(ticket: Ticket) -> None:
    if ticket.needs_acceptance and ticket.accepted_at is None:
        raise DomainError(
            _(
                "This request has no valid service agreement: "
                "the Director or the Chief must accept it first."
            ),
            field="state",
        )


def _sync(target: Ticket, source: Ticket) -> None:
    """Give the caller's object the locked row's new values (views render it next)."""
    for field in Ticket._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# ---------------------------------------------------------------- dividing the work


def ticket_assign(*, actor, ticket: Ticket, assignee, note: str = "") -> Ticket:
    """The Chief, the Director or the queue's unit head gives the request to a technician of
    its queue (art. 9(c)); reassigning works the same way."""
    if not desk.may_assign(actor, ticket):
        raise PermissionDeniedError(_("Only the Chief or the unit head assigns requests."))
    if assignee is None:
        raise DomainError(_("Choose whom to assign it to."), field="assignee")
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "assign")
        _must_be_accepted(locked)
        if assignee.pk not in desk.assignable_ids(locked.queue) or not assignee.is_active:
            raise DomainError(
                _("%(name)s does not work in the %(queue)s queue.")
                % {"name": _name(assignee), "queue": locked.queue.name},
                field="assignee",
            )
        if locked.assignee_id == assignee.pk:
            raise DomainError(
                _("The request is already assigned to this person."), field="assignee"
            )
        before = (locked.state, locked.assignee_id)
        locked.assignee = assignee
        locked.state = workflows.after_assign(locked.state)
        _save(locked, ["assignee", "state"])
        event(locked, actor, _("Assigned to %(name)s.") % {"name": _name(assignee)})
        if note.strip():
            event(locked, actor, note.strip()[:2000])
        audit_record(
            actor=actor,
            action="servicedesk.ticket.assigned",
            obj=locked,
            changes={"assignee": [before[1], assignee.pk], "state": [before[0], locked.state]},
            acting_for=_acting_for(actor),
        )
        notify(
            locked,
            [assignee],
            _("Request %(number)s was assigned to you: %(title)s")
            % {"number": locked.number_label, "title": locked.title},
        )
    _sync(ticket, locked)
    return ticket


def ticket_take(*, actor, ticket: Ticket) -> Ticket:
    """A technician of the queue takes a new request; taking it is the first response."""
    if not desk.may_take(actor, ticket):
        raise PermissionDeniedError(_("Only the technicians of this queue take its requests."))
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "take")
        _must_be_accepted(locked)
        locked.assignee = actor
        locked.state = TicketState.ASSIGNED
        changed = ["assignee", "state", *sla_first_response(locked, now)]
        _save(locked, changed)
        event(locked, actor, _("%(name)s took the request.") % {"name": _name(actor)})
        audit_record(
            actor=actor,
            action="servicedesk.ticket.taken",
            obj=locked,
            changes={"assignee": [None, actor.pk], "state": [TicketState.NEW, locked.state]},
        )
    _sync(ticket, locked)
    return ticket


def ticket_move(*, actor, ticket: Ticket, queue: Queue, note: str = "") -> Ticket:
    """Send a request to another unit's queue (it was routed wrongly); it waits there as new."""
    if not desk.may_assign(actor, ticket):
        raise PermissionDeniedError(_("Only the Chief or the unit head moves requests."))
    if queue is None or not queue.active:
        raise DomainError(_("Choose an active queue."), field="queue")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "move")
        if locked.queue_id == queue.pk:
            raise DomainError(_("The request is already in this queue."), field="queue")
        before = (locked.queue_id, locked.state, locked.assignee_id)
        changed = ["queue", "assignee", "state"]
        if locked.paused_since is not None and locked.state in workflows.WAITING:
            changed += sla_resume(locked, now)
        locked.queue, locked.assignee, locked.state = queue, None, TicketState.NEW
        _save(locked, changed)
        event(locked, actor, _("Moved to the %(queue)s queue.") % {"queue": queue.name})
        if note.strip():
            event(locked, actor, note.strip()[:2000])
        audit_record(
            actor=actor,
            action="servicedesk.ticket.moved",
            obj=locked,
            changes={
                "queue": [before[0], queue.pk],
                "state": [before[1], locked.state],
                "assignee": [before[2], None],
            },
            acting_for=_acting_for(actor),
        )
    _sync(ticket, locked)
    return ticket


# ---------------------------------------------------------------- doing it


def ticket_start(*, actor, ticket: Ticket, minutes_spent=0) -> Ticket:
    """The assignee starts working (the first response, if nothing was said before)."""
    _must_be_assignee(actor, ticket, _("Only the person it is assigned to starts the work."))
    minutes = clean_minutes(minutes_spent)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        _must_be_assignee(actor, locked, _("Only the person it is assigned to starts the work."))
        workflows.check(locked, "start")
        locked.state = TicketState.IN_PROGRESS
        _save(locked, ["state", *sla_first_response(locked, now)])
        event(locked, actor, _("Work started."), minutes=minutes)
        audit_record(
            actor=actor,
            action="servicedesk.ticket.started",
            obj=locked,
            changes={"state": [TicketState.ASSIGNED, locked.state], "minutes_spent": minutes},
        )
    _sync(ticket, locked)
    return ticket


def ticket_pause(*, actor, ticket: Ticket, reason: str, note: str = "", minutes_spent=0) -> Ticket:
    """Wait for the requester, a vendor or a part. The clock stops while waiting for the
    requester or a part; for a vendor only when the contract says so (the vendor handoff)."""
    _must_be_assignee(actor, ticket, _("Only the person it is assigned to pauses the work."))
    if reason not in workflows.PAUSE_STATES:
        raise DomainError(_("Choose what the request waits for."), field="reason")
    target = workflows.PAUSE_STATES[reason]
    minutes = clean_minutes(minutes_spent)
    note = (note or "").strip()[:2000]
    if target == TicketState.WAITING_REQUESTER and not note:
        raise DomainError(_("Write what you need from the requester."), field="note")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        _must_be_assignee(actor, locked, _("Only the person it is assigned to pauses the work."))
        workflows.check(locked, "pause")
        if locked.state == target:
            raise DomainError(_("The request is already waiting for that."), field="reason")
        before = locked.state
        changed = ["state"]
        if target in PAUSED_STATES:
            changed += sla_pause(locked, now)
        elif locked.paused_since is not None and before in PAUSED_STATES:
            changed += sla_resume(locked, now)  # from "waiting for a part" to the vendor
        locked.state = target
        if target == TicketState.WAITING_REQUESTER:
            changed += sla_first_response(locked, now)  # the question is an answer too
        _save(locked, changed)
        event(
            locked,
            actor,
            _("Waiting: %(state)s.") % {"state": locked.get_state_display()},
            minutes=minutes,
        )
        audit_record(
            actor=actor,
            action="servicedesk.ticket.paused",
            obj=locked,
            changes={"state": [before, target], "minutes_spent": minutes},
        )
        if target == TicketState.WAITING_REQUESTER:
            from ..choices import EntryKind
            from ..models import TicketEntry

            TicketEntry.objects.create(
                ticket=locked, kind=EntryKind.MESSAGE, author=actor, text=note
            )
            notify_requester(
                locked,
                _("Request %(number)s waits for your answer: %(note)s")
                % {"number": locked.number_label, "note": note[:300]},
            )
        elif note:
            event(locked, actor, note)
    _sync(ticket, locked)
    return ticket


def ticket_resume(*, actor, ticket: Ticket, minutes_spent=0) -> Ticket:
    """Back to work after waiting; the paused working minutes move the deadlines on."""
    _must_be_assignee(actor, ticket, _("Only the person it is assigned to resumes the work."))
    minutes = clean_minutes(minutes_spent)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        _must_be_assignee(actor, locked, _("Only the person it is assigned to resumes the work."))
        workflows.check(locked, "resume")
        before = locked.state
        locked.state = TicketState.IN_PROGRESS
        _save(locked, ["state", *sla_resume(locked, now)])
        event(locked, actor, _("Work resumed."), minutes=minutes)
        audit_record(
            actor=actor,
            action="servicedesk.ticket.resumed",
            obj=locked,
            changes={"state": [before, locked.state], "minutes_spent": minutes},
        )
    _sync(ticket, locked)
    return ticket


def ticket_resolve(*, actor, ticket: Ticket, resolution: str, minutes_spent=0) -> Ticket:
    """The assignee — and only the assignee — resolves it with a resolution note; the
    requester is asked to confirm. Child requests must be finished first."""
    _must_be_assignee(actor, ticket, _("Only the person it is assigned to resolves it."))
    resolution = clean_text(
        resolution, field="resolution", message=_("Write how the problem was resolved.")
    )
    minutes = clean_minutes(minutes_spent)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        _must_be_assignee(actor, locked, _("Only the person it is assigned to resolves it."))
        workflows.check(locked, "resolve")
        open_children = locked.children.filter(state__in=[str(s) for s in workflows.OPEN])
        if open_children.exists():
            raise DomainError(_("Resolve or cancel its child requests first."), field="resolution")
        before = locked.state
        if locked.paused_since is not None and before in workflows.WAITING:
            sla_changed = sla_resume(locked, now)
        else:
            sla_changed = []
        locked.state = TicketState.RESOLVED
        locked.resolution = resolution
        changed = ["state", "resolution", *sla_changed, *sla_resolved(locked, now)]
        _save(locked, changed)
        event(locked, actor, _("Resolved: %(text)s") % {"text": resolution}, minutes=minutes)
        audit_record(
            actor=actor,
            action="servicedesk.ticket.resolved",
            obj=locked,
            changes={
                "state": [before, locked.state],
                "minutes_spent": minutes,
                "resolution_breached": locked.resolution_breached,
            },
        )
        stats_record(locked.queue_id, now, resolved=1)
        notify_requester(
            locked,
            _("Request %(number)s is resolved. Please confirm it or reopen it: %(text)s")
            % {"number": locked.number_label, "text": resolution[:300]},
        )
    _sync(ticket, locked)
    return ticket


# ---------------------------------------------------------------- the requester's answer


def _must_be_requester(actor, ticket: Ticket, message: str) -> None:
    if not desk.is_requester_side(actor, ticket):
        raise PermissionDeniedError(message)


def _close(locked: Ticket, actor, now: datetime.datetime, action: str, text: str) -> None:
    before = locked.state
    locked.state = TicketState.CLOSED
    locked.closed_at = now
    _save(locked, ["state", "closed_at"])
    event(locked, actor, text)
    audit_record(
        actor=actor,
        action=action,
        obj=locked,
        changes={"state": [before, locked.state]},
    )
    stats_record(locked.queue_id, now, closed=1)


def ticket_confirm(*, actor, ticket: Ticket) -> Ticket:
    """The requester confirms the resolution: the request is closed."""
    _must_be_requester(actor, ticket, _("Only the requester confirms the resolution."))
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "confirm")
        _close(
            locked,
            actor,
            now,
            "servicedesk.ticket.confirmed_resolution",
            _("The requester confirmed the resolution."),
        )
        notify(
            locked,
            [locked.assignee],
            _("Request %(number)s was confirmed and closed.") % {"number": locked.number_label},
        )
    _sync(ticket, locked)
    return ticket


def ticket_reopen(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """The requester says it is not solved: back to its assignee, the clock running again."""
    _must_be_requester(actor, ticket, _("Only the requester reopens the request."))
    reason = clean_text(reason, field="reason", message=_("Write what is still wrong."))
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "reopen")
        locked.state = TicketState.IN_PROGRESS if locked.assignee_id else TicketState.NEW
        changed = ["state", "resolved_at", *sla_reopen(locked, now)]
        locked.resolved_at = None
        _save(locked, changed)
        event(locked, actor, _("Reopened: %(text)s") % {"text": reason})
        audit_record(
            actor=actor,
            action="servicedesk.ticket.reopened",
            obj=locked,
            changes={"state": [TicketState.RESOLVED, locked.state]},
            reason=reason,
        )
        notify(
            locked,
            [locked.assignee],
            _("Request %(number)s was reopened: %(text)s")
            % {"number": locked.number_label, "text": reason[:300]},
        )
    _sync(ticket, locked)
    return ticket


def tickets_close_quiet(now: datetime.datetime | None = None) -> int:
    """Close the requests resolved more than BILGIISLEM_SERVICEDESK_CLOSE_AFTER_DAYS days ago
    that the requester neither confirmed nor reopened (the periodic task; idempotent)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=close_after_days())
    closed = 0
    due = Ticket.objects.filter(state=TicketState.RESOLVED, resolved_at__lt=limit)
    for pk in due.values_list("pk", flat=True).order_by("pk").iterator():
        with transaction.atomic():
            locked = (
                Ticket.objects.select_for_update()
                .filter(pk=pk, state=TicketState.RESOLVED, resolved_at__lt=limit)
                .first()
            )
            if locked is None:
                continue  # confirmed or reopened meanwhile
            _close(
                locked,
                None,
                now,
                "servicedesk.ticket.closed",
                _("Closed: no answer from the requester after the resolution."),
            )
            notify_requester(
                locked, _("Request %(number)s is closed.") % {"number": locked.number_label}
            )
            closed += 1
    return closed


def ticket_cancel(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """Withdrawn by the requester, or cancelled by the Chief or the unit head (e.g. not a
    service desk matter); a reason is required."""
    if not (desk.is_requester_side(actor, ticket) or desk.may_assign(actor, ticket)):
        raise PermissionDeniedError(_("Only the requester or the Chief cancels a request."))
    reason = clean_text(reason, field="reason", message=_("Write why it is cancelled."))
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "cancel")
        if locked.children.filter(state__in=[str(s) for s in workflows.OPEN]).exists():
            raise DomainError(_("Cancel or resolve its child requests first."), field="reason")
        before = locked.state
        locked.state = TicketState.CANCELLED
        locked.closed_at = timezone.now()
        _save(locked, ["state", "closed_at"])
        event(locked, actor, _("Cancelled: %(text)s") % {"text": reason})
        audit_record(
            actor=actor,
            action="servicedesk.ticket.cancelled",
            obj=locked,
            changes={"state": [before, locked.state]},
            reason=reason,
        )
        notify(
            locked,
            [locked.assignee, locked.requester],
            _("Request %(number)s was cancelled.") % {"number": locked.number_label},
        )
    _sync(ticket, locked)
    return ticket


# ---------------------------------------------------------------- related requests


def ticket_set_parent(*, actor, ticket: Ticket, parent: Ticket | None) -> Ticket:
    """Make the request a child of another (one outage, many reports), or free it again."""
    if not desk.is_desk_side(actor, ticket) or (
        parent is not None and not desk.is_desk_side(actor, parent)
    ):
        raise PermissionDeniedError(_("Only the service desk links requests."))
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "link")
        if parent is not None:
            if parent.state not in workflows.OPEN:
                raise DomainError(_("Choose an open request as the parent."), field="parent")
            node, seen = parent, set()
            while node is not None and node.pk not in seen:
                if node.pk == locked.pk:
                    raise DomainError(
                        _("A request cannot be its own parent or ancestor."), field="parent"
                    )
                seen.add(node.pk)
                node = node.parent
        before = locked.parent_id
        locked.parent = parent
        _save(locked, ["parent"])
        text = (
            _("Now part of request %(number)s.") % {"number": parent.number_label}
            if parent is not None
            else _("No longer part of another request.")
        )
        event(locked, actor, text)
        audit_record(
            actor=actor,
            action="servicedesk.ticket.parent_set",
            obj=locked,
            changes={"parent": [before, parent.pk if parent else None]},
        )
    _sync(ticket, locked)
    return ticket


def ticket_merge(*, actor, ticket: Ticket, into: Ticket) -> Ticket:
    """A duplicate: the request is merged into another (its children move along); the
    requester follows the other request from then on."""
    if not (desk.is_desk_side(actor, ticket) and desk.is_desk_side(actor, into)):
        raise PermissionDeniedError(_("Only the service desk merges requests."))
    if into.pk == ticket.pk:
        raise DomainError(_("A request cannot be merged into itself."), field="into")
    with transaction.atomic():
        locked = _locked(ticket)
        target = _locked(into)
        workflows.check(locked, "merge")
        if target.state not in workflows.OPEN:
            raise DomainError(_("Merge into an open request."), field="into")
        before = locked.state
        locked.state = TicketState.MERGED
        locked.merged_into = target
        locked.closed_at = timezone.now()
        _save(locked, ["state", "merged_into", "closed_at"])
        moved = list(locked.children.values_list("pk", flat=True))
        Ticket.objects.filter(pk__in=moved).update(parent=target)
        event(locked, actor, _("Merged into request %(number)s.") % {"number": target.number_label})
        event(
            target,
            actor,
            _("Request %(number)s was merged into this one.") % {"number": locked.number_label},
        )
        audit_record(
            actor=actor,
            action="servicedesk.ticket.merged",
            obj=locked,
            changes={"state": [before, locked.state], "into": target.pk, "children": moved},
        )
        notify_requester(
            locked,
            _("Request %(number)s is followed as request %(other)s from now on.")
            % {"number": locked.number_label, "other": target.number_label},
        )
    _sync(ticket, locked)
    return ticket


def ticket_set_priority(*, actor, ticket: Ticket, priority: str) -> Ticket:
    """The desk changes the priority; the SLA targets follow the agreement for it."""
    if not desk.is_desk_side(actor, ticket):
        raise PermissionDeniedError(_("Only the service desk sets the priority."))
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(ticket)
        workflows.check(locked, "link", field="priority")
        if locked.priority == priority:
            raise DomainError(_("The request already has this priority."), field="priority")
        before = locked.priority
        locked.priority = priority
        _save(locked, ["priority", *sla_priority_changed(locked, now)])
        event(locked, actor, _("Priority: %(p)s.") % {"p": locked.get_priority_display()})
        audit_record(
            actor=actor,
            action="servicedesk.ticket.priority_changed",
            obj=locked,
            changes={"priority": [before, priority]},
        )
    _sync(ticket, locked)
    return ticket
