"""Warning before a target is missed, escalation after (issue 6 point 5; DESIGN.md invariant
6: a late item is shown to the person above).

``sla_sweep`` runs every few minutes (tasks.py). For each open request whose clock runs:

- at ``BILGIISLEM_SLA_WARN_PERCENT`` (80) of the working time to the deadline in view used up,
  the assignee is warned (nobody assigned yet: who divides the queue's work) — once per
  deadline (the first response clears it for the resolution deadline);
- when a deadline passes, the missed target is marked and the request escalates to the Chief
  (level 1); ``BILGIISLEM_SLA_DIRECTOR_AFTER_MINUTES`` working minutes (240) later, still
  overdue, to the Director (level 2).

Each step is taken once (the flags and the level are the memory; the row is locked and read
again before acting), so a sweep that runs twice, or two sweeps at once, tell nobody twice.
Every step writes an internal note on the request, the audit event and the notices.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind

from .. import sla
from ..choices import OPEN_STATES, EntryKind, SlaStatus
from ..models import Ticket, TicketEntry
from .notify import notify
from .sla import sla_status, ticket_hours
from .stats import stats_record

DIRECTOR_AFTER_MINUTES = 240
LEVEL_CHIEF, LEVEL_DIRECTOR = 1, 2


def director_after_minutes() -> int:
    return int(getattr(settings, "BILGIISLEM_SLA_DIRECTOR_AFTER_MINUTES", DIRECTOR_AFTER_MINUTES))


@dataclasses.dataclass
class SweepRun:
    checked: int = 0
    warned: int = 0
    breached: int = 0
    escalated_chief: int = 0
    escalated_director: int = 0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def desk_heads(kind: str) -> list:
    """Who holds or acts for the Chief's (SEF) or Director's (MUDUR) post of Bilgi İşlem."""
    from bilgiislem.organization.models import ActingAssignment, Person, PositionHolding

    today = timezone.localdate()
    posts = Q(position__unit_id__in=org.system_owner_unit_ids(), position__kind=kind)
    held = PositionHolding.objects.active_on(today).filter(posts).values("person_id")
    acting = ActingAssignment.objects.active_on(today).filter(posts).values("acting_person_id")
    return list(Person.objects.filter(Q(pk__in=held) | Q(pk__in=acting)).order_by("pk"))


def _queue_leads(ticket: Ticket) -> list:
    """Who divides the work of the request's queue: its unit's head, else the Chief."""
    from bilgiislem.organization.models import Person, PositionHolding

    heads = PositionHolding.objects.active_on(timezone.localdate()).filter(
        position__unit_id=ticket.queue.unit_id, position__kind=PositionKind.BIRIM_SORUMLUSU
    )
    found = list(Person.objects.filter(holdings__in=heads).distinct())
    return found or desk_heads(PositionKind.SEF)


def _overdue_since(ticket: Ticket, now: dt.datetime) -> dt.datetime | None:
    """The earliest deadline in view that has passed (None when none has)."""
    passed = []
    response_open = ticket.first_response_at is None and ticket.response_due_at is not None
    if response_open and now > ticket.response_due_at:
        passed.append(ticket.response_due_at)
    if ticket.resolution_due_at is not None and now > ticket.resolution_due_at:
        passed.append(ticket.resolution_due_at)
    return min(passed) if passed else None


def _may_act(ticket: Ticket, now: dt.datetime) -> bool:
    """A cheap look (no lock, no query) whether the sweep has anything to do."""
    hours = ticket_hours(ticket)
    overdue = _overdue_since(ticket, now)
    if overdue is not None:
        if ticket.escalation_level < LEVEL_CHIEF:
            return True
        late_by = sla.working_minutes_between(overdue, now, hours)
        if ticket.escalation_level < LEVEL_DIRECTOR and late_by >= director_after_minutes():
            return True
        response_unmarked = (
            ticket.first_response_at is None
            and ticket.response_due_at is not None
            and now > ticket.response_due_at
            and not ticket.response_breached
        )
        resolution_unmarked = (
            ticket.resolution_due_at is not None
            and now > ticket.resolution_due_at
            and not ticket.resolution_breached
        )
        return response_unmarked or resolution_unmarked
    if ticket.warned_at is not None:
        return False
    info = sla_status(ticket, now, hours=hours)
    return info is not None and info.status == SlaStatus.WARNING


def _note(ticket: Ticket, text: str) -> None:
    TicketEntry.objects.create(ticket=ticket, kind=EntryKind.NOTE, author=None, text=text)


def _due_label(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _escalate(ticket: Ticket, level: int, now: dt.datetime, since: dt.datetime) -> None:
    kind = PositionKind.SEF if level == LEVEL_CHIEF else PositionKind.MUDUR
    before = ticket.escalation_level
    ticket.escalation_level = level
    if level == LEVEL_CHIEF:
        text = _("Request %(number)s is past its SLA target (due %(due)s): escalated to the Chief.")
    else:
        text = _(
            "Request %(number)s is still past its SLA target (due %(due)s): escalated to the "
            "Director."
        )
    text = text % {"number": ticket.number_label, "due": _due_label(since)}
    _note(ticket, text)
    audit_record(
        actor=None,
        action="servicedesk.ticket.escalated",
        obj=ticket,
        changes={"escalation_level": [before, level], "overdue_since": since.isoformat()},
    )
    notify(ticket, [*desk_heads(kind), ticket.assignee], text)


def _act(pk: int, now: dt.datetime, run: SweepRun) -> None:
    with transaction.atomic():
        ticket = (
            # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
            Ticket.objects.select_for_update(of=("self",))
            .select_related("agreement", "queue", "assignee")
            .filter(pk=pk, state__in=[str(s) for s in OPEN_STATES], paused_since__isnull=True)
            .first()
        )
        if ticket is None or not _may_act(ticket, now):
            return  # changed since the look: another sweep or the technician was quicker
        changed: list[str] = []
        overdue = _overdue_since(ticket, now)
        response_late = ticket.first_response_at is None and (
            ticket.response_due_at is not None and now > ticket.response_due_at
        )
        if response_late and not ticket.response_breached:
            ticket.response_breached = True
            changed.append("response_breached")
        resolution_late = ticket.resolution_due_at is not None and now > ticket.resolution_due_at
        if resolution_late and not ticket.resolution_breached:
            ticket.resolution_breached = True
            changed.append("resolution_breached")
            stats_record(ticket.queue_id, now, breached=1)
            run.breached += 1
        if overdue is not None:
            if ticket.escalation_level < LEVEL_CHIEF:
                _escalate(ticket, LEVEL_CHIEF, now, overdue)
                changed.append("escalation_level")
                run.escalated_chief += 1
            late_by = sla.working_minutes_between(overdue, now, ticket_hours(ticket))
            if ticket.escalation_level < LEVEL_DIRECTOR and late_by >= director_after_minutes():
                _escalate(ticket, LEVEL_DIRECTOR, now, overdue)
                changed.append("escalation_level")
                run.escalated_director += 1
        elif ticket.warned_at is None:
            info = sla_status(ticket, now, hours=ticket_hours(ticket))
            ticket.warned_at = now
            changed.append("warned_at")
            text = _(
                "Request %(number)s: %(minutes)s working minutes left to its SLA target "
                "(due %(due)s)."
            ) % {
                "number": ticket.number_label,
                "minutes": info.remaining_minutes,
                "due": _due_label(info.due_at),
            }
            _note(ticket, text)
            audit_record(
                actor=None,
                action="servicedesk.ticket.sla_warned",
                obj=ticket,
                changes={"target": info.target, "due_at": info.due_at.isoformat()},
            )
            notify(ticket, [ticket.assignee] if ticket.assignee_id else _queue_leads(ticket), text)
            run.warned += 1
        if changed:
            ticket.save(update_fields=sorted({*changed, "updated_at"}))


def sla_sweep(now: dt.datetime | None = None) -> SweepRun:
    """Warn, mark missed targets and escalate, for every open request whose clock runs."""
    now = now or timezone.now()
    run = SweepRun()
    candidates = (
        Ticket.objects.filter(
            state__in=[str(s) for s in OPEN_STATES],
            paused_since__isnull=True,
        )
        .filter(Q(response_due_at__isnull=False) | Q(resolution_due_at__isnull=False))
        .filter(
            Q(warned_at__isnull=True)
            | Q(escalation_level__lt=LEVEL_DIRECTOR)
            | Q(resolution_breached=False)
        )
        .select_related("agreement")
        .only(
            "pk",
            "state",
            "created_at",
            "confirmed_at",
            "accepted_at",
            "agreement",
            "agreement__work_start",
            "agreement__work_end",
            "response_due_at",
            "resolution_due_at",
            "first_response_at",
            "paused_since",
            "paused_minutes",
            "warned_at",
            "escalation_level",
            "response_breached",
            "resolution_breached",
            "resolved_at",
        )
        .order_by("pk")
    )
    for ticket in candidates.iterator(chunk_size=2000):
        run.checked += 1
        if _may_act(ticket, now):
            _act(ticket.pk, now, run)
    return run
