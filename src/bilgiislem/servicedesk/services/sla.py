"""The SLA clock of a request (issue 6 point 5): hooks the ticket services call.

Contract with ``services/tickets.py``: each ``sla_*`` hook runs inside the caller's
transaction, only SETS fields on the ticket (it never saves: the ticket may not be saved yet
at ``sla_start``; the one write is the day's breach count of a late resolution, in
``sla_resolved``) and returns the names of the fields it changed, for
``ticket.save(update_fields=...)`` and for the caller's audit ``changes``. ``now`` is passed in
so one action uses one instant.

- ``sla_start``: picks the agreement, sets the deadlines (or ``needs_acceptance``).
- ``sla_pause`` / ``sla_resume``: waiting for the requester, a part or (when the vendor
  contract says so) a vendor. Resuming adds the paused working minutes to the deadlines.
- ``sla_first_response``: the first message to the requester (or taking the request).
- ``sla_resolved``: marks a missed target and stops the clock; ``sla_reopen`` restarts it,
  the resolved period not counting.
- ``sla_priority_changed``: new targets from the agreement for the new priority.
- ``sla_status``: for display; computed from the ticket's own fields, no queries.

Deadlines are real moments, stored; a pause moves them on. The clock starts at the latest of
opening, e-mail confirmation and acceptance (see ``clock_start``).
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
from bilgiislem.core import calendar
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import sla
from ..choices import OPEN_STATES, SlaStatus, TicketState
from ..models import AgreementTarget, ServiceAgreement, Ticket
from ..permissions import desk_head_post
from .stats import stats_record

__all__ = [
    "SlaInfo",
    "agreement_for",
    "clock_start",
    "sla_first_response",
    "sla_pause",
    "sla_priority_changed",
    "sla_reopen",
    "sla_resolved",
    "sla_resume",
    "sla_start",
    "sla_status",
    "ticket_accept",
    "ticket_hours",
    "warn_percent",
]


def warn_percent() -> int:
    return int(getattr(settings, "BILGIISLEM_SLA_WARN_PERCENT", 80))


# ---------------------------------------------------------------- agreement and targets


def _covers(agreement: ServiceAgreement, category: str) -> bool:
    return not agreement.categories or category in agreement.categories


def agreement_for(ticket: Ticket, on: dt.date) -> ServiceAgreement | None:
    """The agreement the request is served under on ``on``.

    A partner organisation's valid agreement covering the category (the most recent one if
    several); for a municipal unit's request the valid internal default; otherwise none
    (the request then needs acceptance by the Director or the Chief).
    """
    valid = Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    if ticket.organization_id is not None:
        candidates = ServiceAgreement.objects.filter(valid, organization_id=ticket.organization_id)
    elif ticket.requester_unit_id is not None:
        candidates = ServiceAgreement.objects.filter(valid, is_internal_default=True)
    else:
        return None
    for agreement in candidates.order_by("-valid_from", "-id"):
        if _covers(agreement, ticket.category):
            return agreement
    return None


def _internal_default(on: dt.date) -> ServiceAgreement | None:
    valid = Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    return (
        ServiceAgreement.objects.filter(valid, is_internal_default=True)
        .order_by("-valid_from", "-id")
        .first()
    )


def ticket_hours(ticket: Ticket) -> sla.WorkingHours:
    """The working hours of the request's clock, without a query when the agreement is not
    already loaded (``select_related("agreement")`` on lists that show the clock)."""
    if ticket.agreement_id is None:
        return sla.DEFAULT_HOURS
    if Ticket.agreement.is_cached(ticket):
        return sla.hours_of(ticket.agreement)
    return sla.hours_of(
        ServiceAgreement.objects.only("work_start", "work_end").get(pk=ticket.agreement_id)
    )


def _cached_hours(ticket: Ticket) -> sla.WorkingHours:
    if ticket.agreement_id is not None and Ticket.agreement.is_cached(ticket):
        return sla.hours_of(ticket.agreement)
    return sla.DEFAULT_HOURS


def clock_start(ticket: Ticket) -> dt.datetime:
    """When the clock started: the latest of opening, e-mail confirmation and acceptance."""
    moments = [m for m in (ticket.created_at, ticket.confirmed_at, ticket.accepted_at) if m]
    return max(moments)


def _due_date_cap(ticket: Ticket, hours: sla.WorkingHours) -> dt.datetime | None:
    """The end of the working day of a GÜNLÜDÜR letter's due date (13:00 on an eve).

    A due date that is not a business day caps at the close of the business day before it.
    """
    if ticket.due_date is None:
        return None
    day = ticket.due_date
    if not calendar.is_business_day(day):
        day = calendar.previous_business_day(day)
    end = min(hours.end, sla.HALF_DAY_END) if calendar.is_half_day(day) else hours.end
    return timezone.make_aware(dt.datetime.combine(day, end))


def _set(ticket: Ticket, changed: list[str], **values) -> None:
    for name, value in values.items():
        if getattr(ticket, name) != value:
            setattr(ticket, name, value)
            changed.append(name)


def _deadlines(ticket: Ticket, start: dt.datetime, target, hours) -> dict:
    """Deadlines from ``start`` plus the paused minutes so far; resolution capped by due date."""
    extra = ticket.paused_minutes
    response = resolution = None
    if target is not None:
        response = sla.add_working_minutes(start, target.response_minutes + extra, hours)
        resolution = sla.add_working_minutes(start, target.resolution_minutes + extra, hours)
    cap = _due_date_cap(ticket, hours)
    if cap is not None:
        resolution = cap if resolution is None else min(resolution, cap)
        if response is not None:
            response = min(response, resolution)
    return {"response_due_at": response, "resolution_due_at": resolution}


def _target(agreement: ServiceAgreement | None, priority: str) -> AgreementTarget | None:
    if agreement is None:
        return None
    return AgreementTarget.objects.filter(agreement=agreement, priority=priority).first()


# ---------------------------------------------------------------- hooks


def sla_start(ticket: Ticket, now: dt.datetime) -> list[str]:
    """Pick the agreement and set the deadlines from its target for the request's priority.

    No valid agreement → ``needs_acceptance`` and no deadlines (``ticket_accept`` starts
    the clock). A GÜNLÜDÜR letter's ``due_date`` caps the resolution deadline. An agreement
    without a target for this priority gives no deadlines (only the due date's, if any).
    """
    changed: list[str] = []
    agreement = agreement_for(ticket, timezone.localdate(now))
    if agreement is None and ticket.accepted_at is None:
        _set(
            ticket,
            changed,
            agreement=None,
            needs_acceptance=True,
            response_due_at=None,
            resolution_due_at=None,
        )
        return changed
    if agreement is None:  # accepted without an agreement: the internal default's targets
        source = _internal_default(timezone.localdate(now))
        hours = sla.DEFAULT_HOURS
    else:
        source, hours = agreement, sla.hours_of(agreement)
    _set(ticket, changed, agreement=agreement, needs_acceptance=False)
    _set(ticket, changed, **_deadlines(ticket, now, _target(source, ticket.priority), hours))
    return changed


def sla_priority_changed(ticket: Ticket, now: dt.datetime) -> list[str]:
    """New deadlines from the clock's start for the new priority (pauses still count)."""
    if ticket.needs_acceptance or ticket.resolved_at is not None:
        return []
    on = timezone.localdate(clock_start(ticket))
    source = ticket.agreement if ticket.agreement_id else _internal_default(on)
    hours = ticket_hours(ticket)
    changed: list[str] = []
    values = _deadlines(ticket, clock_start(ticket), _target(source, ticket.priority), hours)
    if ticket.first_response_at is not None:
        values.pop("response_due_at")
    # The minutes of a pause still running are added when it ends (``sla_resume``).
    _set(ticket, changed, **values)
    return changed


def sla_pause(ticket: Ticket, now: dt.datetime) -> list[str]:
    """Stop the clock (waiting for the requester, a part, or a vendor whose contract pauses).

    Pausing a paused clock keeps the earlier start of the pause.
    """
    changed: list[str] = []
    if ticket.paused_since is None:
        _set(ticket, changed, paused_since=now)
    return changed


def sla_resume(ticket: Ticket, now: dt.datetime) -> list[str]:
    """Restart the clock: the paused working minutes move the open deadlines on."""
    changed: list[str] = []
    if ticket.paused_since is None:
        return changed
    hours = ticket_hours(ticket)
    minutes = max(0, sla.working_minutes_between(ticket.paused_since, now, hours))
    values = {"paused_since": None, "paused_minutes": ticket.paused_minutes + minutes}
    if minutes:
        if ticket.first_response_at is None and ticket.response_due_at is not None:
            values["response_due_at"] = sla.add_working_minutes(
                ticket.response_due_at, minutes, hours
            )
        if ticket.resolution_due_at is not None:
            moved = sla.add_working_minutes(ticket.resolution_due_at, minutes, hours)
            cap = _due_date_cap(ticket, hours)
            values["resolution_due_at"] = moved if cap is None else min(moved, cap)
            if "response_due_at" in values:
                values["response_due_at"] = min(
                    values["response_due_at"], values["resolution_due_at"]
                )
    _set(ticket, changed, **values)
    return changed


def sla_first_response(ticket: Ticket, now: dt.datetime) -> list[str]:
    """The first response to the requester: records it once, and whether it was late."""
    changed: list[str] = []
    if ticket.first_response_at is not None:
        return changed
    _set(ticket, changed, first_response_at=now)
    if ticket.response_due_at is not None and now > ticket.response_due_at:
        _set(ticket, changed, response_breached=True)
    # A warning was about the response; the resolution deadline gets its own.
    if ticket.warned_at is not None and not ticket.resolution_breached:
        _set(ticket, changed, warned_at=None)
    return changed


def sla_resolved(ticket: Ticket, now: dt.datetime) -> list[str]:
    """Resolution: a late one marks the target missed; the clock stops (as a pause, so a
    reopened request does not count the time it stood resolved). Resolving also answers."""
    changed = sla_first_response(ticket, now)
    late = ticket.resolution_due_at is not None and now > ticket.resolution_due_at
    if late and not ticket.resolution_breached:
        # Missed between two sweeps of the escalation task: counted here, once.
        _set(ticket, changed, resolution_breached=True)
        stats_record(ticket.queue_id, now, breached=1)
    if ticket.resolved_at is None:
        _set(ticket, changed, resolved_at=now)
    changed += sla_pause(ticket, now)
    return changed


def sla_reopen(ticket: Ticket, now: dt.datetime) -> list[str]:
    """The requester reopened it: the clock runs again from the resolution deadline moved by
    the time it stood resolved. The caller clears ``resolved_at``/``resolution``."""
    return sla_resume(ticket, now)


# ---------------------------------------------------------------- display


@dataclasses.dataclass(frozen=True)
class SlaInfo:
    """What the clock says now: status, the deadline in view and working minutes left
    (negative when overdue)."""

    status: SlaStatus
    due_at: dt.datetime | None
    remaining_minutes: int | None
    target: str  # "response" or "resolution"

    def __str__(self):
        return str(self.status.label)


def sla_status(ticket: Ticket, now: dt.datetime, *, hours=None) -> SlaInfo | None:
    """The clock of one request for display; None when it has none (awaiting acceptance or
    confirmation, cancelled, merged, or no target). No queries: working hours come from the
    agreement if loaded (``select_related("agreement")``), else the default hours."""
    if ticket.state in (TicketState.CANCELLED, TicketState.MERGED, TicketState.UNCONFIRMED):
        return None
    if ticket.response_due_at is None and ticket.resolution_due_at is None:
        return None
    hours = hours or _cached_hours(ticket)
    if ticket.resolved_at is not None and ticket.state not in OPEN_STATES:
        missed = ticket.resolution_breached or ticket.response_breached
        return SlaInfo(
            SlaStatus.BREACHED if missed else SlaStatus.MET,
            ticket.resolution_due_at,
            None,
            "resolution",
        )
    target, due = "resolution", ticket.resolution_due_at
    response_open = ticket.first_response_at is None and ticket.response_due_at is not None
    if response_open and (due is None or ticket.response_due_at <= due):
        target, due = "response", ticket.response_due_at
    if due is None:  # answered, and only a response target: nothing left to run
        return None
    # While paused the remaining time is frozen at the moment the pause began.
    at = ticket.paused_since or now
    remaining = sla.working_minutes_between(at, due, hours)
    breached = (
        ticket.resolution_breached
        or ticket.response_breached
        or at > due
        or (
            ticket.resolution_due_at is not None
            and target == "response"
            and at > ticket.resolution_due_at
        )
    )
    if breached:
        status = SlaStatus.BREACHED
    elif ticket.paused_since is not None:
        status = SlaStatus.PAUSED
    elif _used_percent(ticket, due, remaining, hours) >= warn_percent():
        status = SlaStatus.WARNING
    else:
        status = SlaStatus.RUNNING
    return SlaInfo(status, due, remaining, target)


def _used_percent(ticket: Ticket, due: dt.datetime, remaining: int, hours) -> float:
    """How much of the deadline's working time is used up, in percent."""
    budget = sla.working_minutes_between(clock_start(ticket), due, hours) - ticket.paused_minutes
    if budget <= 0:
        return 100.0
    return 100.0 * (budget - remaining) / budget


# ---------------------------------------------------------------- acceptance


def ticket_accept(*, actor, ticket: Ticket) -> Ticket:
    """The Director or the Chief accepts a request that has no valid agreement (art. 9(c)).

    The clock then starts under the internal default agreement's targets.
    """
    if desk_head_post(actor) is None:
        raise PermissionDeniedError(
            _("Only the Director or the Chief of the directorate can accept this request.")
        )
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not ticket.needs_acceptance:
            raise DomainError(_("This request does not need acceptance."), field="ticket")
        if ticket.state not in OPEN_STATES:
            raise DomainError(_("This request is no longer open."), field="ticket")
        now = timezone.now()
        ticket.accepted_by, ticket.accepted_at = actor, now
        changed = ["accepted_by", "accepted_at", *sla_start(ticket, now)]
        ticket.save(update_fields=sorted(set(changed)))
        audit_record(
            actor=actor,
            action="servicedesk.ticket.accepted",
            obj=ticket,
            changes={
                "accepted_at": now.isoformat(),
                "resolution_due_at": (
                    ticket.resolution_due_at.isoformat() if ticket.resolution_due_at else None
                ),
            },
        )
    return ticket
