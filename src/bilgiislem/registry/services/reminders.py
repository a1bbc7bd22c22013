"""Reminders before the due date and escalation of overdue routings (issue 3 point 8).

RYY art. 9(ç): the Chief follows that work is done on time and reports delays to the
Director; an overdue routing is therefore escalated to both. Each is recorded as an audit
event (who was reminded, who the late person is, to whom it was escalated) at most once per
routing per day, whatever the number of times the daily task runs.
"""

import dataclasses
import datetime

from django.db import transaction

from bilgiislem.audit.services import audit_record
from bilgiislem.core import calendar
from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import PositionHolding

from ..choices import Purpose, RoutingStatus
from ..models import Routing


@dataclasses.dataclass(frozen=True)
class ReminderRun:
    reminded: int
    escalated: int


def _open_with_due():
    return Routing.objects.filter(
        status=RoutingStatus.OPEN, purpose=Purpose.ACTION, due_date__isnull=False
    ).select_related("document__registry", "to_person", "to_unit")


def escalation_recipients(registry_id: int, on: datetime.date) -> list[str]:
    """The Director and the Chief of a directorate on a date (holders and those acting)."""
    from bilgiislem.organization.models import ActingAssignment

    kinds = [PositionKind.MUDUR, PositionKind.SEF]
    holders = PositionHolding.objects.active_on(on).filter(
        position__unit_id=registry_id, position__kind__in=kinds
    )
    acting = ActingAssignment.objects.active_on(on).filter(
        position__unit_id=registry_id, position__kind__in=kinds
    )
    names = [h.person.get_username() for h in holders.select_related("person")]
    names += [a.acting_person.get_username() for a in acting.select_related("acting_person")]
    return sorted(set(names))


def _late_one(routing: Routing) -> str:
    return routing.to_person.get_username() if routing.to_person_id else str(routing.to_unit)


def routing_remind_due(today: datetime.date) -> ReminderRun:
    """Record a reminder for routings due by the next business day and an escalation for
    overdue ones. Idempotent per routing per day: the claim on ``reminded_on`` /
    ``escalated_on`` is a conditional UPDATE, so two runs on the same day record each once.
    """
    reminded = escalated = 0
    horizon = calendar.next_business_day(today)
    with transaction.atomic():
        due_soon = _open_with_due().filter(due_date__gt=today, due_date__lte=horizon)
        for routing in due_soon.exclude(reminded_on=today):
            claimed = Routing.objects.filter(pk=routing.pk).exclude(reminded_on=today)
            if not claimed.update(reminded_on=today):
                continue
            audit_record(
                actor=None,
                action="registry.routing.reminded",
                obj=routing,
                changes={
                    "document": routing.document.number_label,
                    "to": _late_one(routing),
                    "due_date": routing.due_date,
                },
                object_repr=f"{routing.document.number_label} → {_late_one(routing)}",
            )
            reminded += 1
        overdue = _open_with_due().filter(due_date__lt=today)
        for routing in overdue.exclude(escalated_on=today):
            claimed = Routing.objects.filter(pk=routing.pk).exclude(escalated_on=today)
            if not claimed.update(escalated_on=today):
                continue
            audit_record(
                actor=None,
                action="registry.routing.escalated",
                obj=routing,
                changes={
                    "document": routing.document.number_label,
                    "late": _late_one(routing),
                    "due_date": routing.due_date,
                    "business_days_late": calendar.business_days_between(routing.due_date, today),
                    "escalated_to": escalation_recipients(routing.document.registry_id, today),
                },
                object_repr=f"{routing.document.number_label} → {_late_one(routing)}",
            )
            escalated += 1
    return ReminderRun(reminded=reminded, escalated=escalated)
