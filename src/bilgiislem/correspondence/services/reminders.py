"""Reminders and escalation of letters waiting for a paraf or a signature (issue 4 point 2).

A step starts waiting when it becomes the current one (``ApprovalStep.waiting_since``).
After ``BILGIISLEM_APPROVAL_REMIND_DAYS`` business days (default 2) the people who may take
it are reminded, once a day; after ``BILGIISLEM_APPROVAL_ESCALATE_DAYS`` (default 4) it is
also escalated, once a day, to the holder of the nearest post above the step's post (the
Director above the Chief, the Deputy Mayor above a Director, the Mayor above a Deputy Mayor)
— the post ``organization.permissions.superior_post`` recognises as superior.

Like the registry's routing reminders (``registry.services.reminders``) each reminder and
escalation is an audit event naming who is late and to whom it went; the claim on
``reminded_on`` / ``escalated_on`` is a conditional UPDATE, so a task that runs twice on
one day records each once. Days are Turkish business days (``core.calendar``).
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bilgiislem.audit.services import audit_record
from bilgiislem.core import calendar
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import MANAGERIAL_RANK, rank_of
from bilgiislem.organization.models import ActingAssignment, Position, PositionHolding
from bilgiislem.registry.choices import RESTRICTED_SECRECY

from ..choices import LetterStatus, StepStatus
from ..models import ApprovalStep


@dataclasses.dataclass(frozen=True)
class ApprovalReminderRun:
    reminded: int
    escalated: int


def remind_after_days() -> int:
    return int(getattr(settings, "BILGIISLEM_APPROVAL_REMIND_DAYS", 2))


def escalate_after_days() -> int:
    return int(getattr(settings, "BILGIISLEM_APPROVAL_ESCALATE_DAYS", 4))


def current_steps():
    """Every step that is the current one of a letter in approval (the first waiting)."""
    earlier = ApprovalStep.objects.filter(
        letter=OuterRef("letter"), status=StepStatus.WAITING, order__lt=OuterRef("order")
    )
    return (
        ApprovalStep.objects.filter(
            status=StepStatus.WAITING, letter__status=LetterStatus.IN_APPROVAL
        )
        .exclude(Exists(earlier))
        .select_related("letter", "position__unit", "person", "delegation__delegate")
    )


def waiting_days(step: ApprovalStep, today: datetime.date) -> int:
    """Business days the step has waited: after the day it became current, up to today."""
    if step.waiting_since is None:
        return 0
    return max(0, calendar.business_days_between(step.waiting_since, today))


def _holders(position: Position, on: datetime.date) -> list:
    """The people holding or acting for a post on a date."""
    held = PositionHolding.objects.active_on(on).filter(position=position)
    acting = ActingAssignment.objects.active_on(on).filter(position=position)
    people = [h.person for h in held.select_related("person")]
    people += [a.acting_person for a in acting.select_related("acting_person")]
    return list({p.pk: p for p in people if p.is_active}.values())


def actors_of(step: ApprovalStep, on: datetime.date) -> list:
    """Who may take the step: its person, the delegate of a delegated signature, or whoever
    holds or acts for its post."""
    if step.person_id is not None:
        return [step.person]
    if step.delegation_id is not None:
        return [step.delegation.delegate]
    return _holders(step.position, on)


def escalation_post(position: Position, on: datetime.date) -> tuple[Position | None, list]:
    """The nearest post above ``position`` that somebody holds or acts for, and those people.

    "Above" is ``organization.permissions.superior_post``'s: a managerial post of higher rank
    in the same unit or an ancestor unit. Nearer units come first, then the lower rank.
    """
    parents = org.unit_parents()
    line = org.ancestors_or_self(position.unit_id, parents)
    rank = rank_of(position.kind)
    posts = [
        p
        for p in Position.objects.filter(unit_id__in=line).select_related("unit")
        if rank_of(p.kind) >= MANAGERIAL_RANK and rank_of(p.kind) > rank
    ]
    posts.sort(key=lambda p: (line.index(p.unit_id), rank_of(p.kind), p.pk))
    for post in posts:
        people = _holders(post, on)
        if people:
            return post, people
    return None, []


def _names(people) -> list[str]:
    return sorted(p.get_username() for p in people)


def _repr(letter) -> str:
    if letter.secrecy in RESTRICTED_SECRECY:
        return f"#{letter.pk}"
    return f"#{letter.pk} {letter.subject}"


def approval_remind_waiting(today: datetime.date) -> ApprovalReminderRun:
    """Record reminders for steps waiting ``remind_after_days`` business days or more and an
    escalation for those waiting ``escalate_after_days`` or more. Idempotent per step per day.
    """
    reminded = escalated = 0
    remind_at, escalate_at = remind_after_days(), escalate_after_days()
    with transaction.atomic():
        for step in current_steps().filter(waiting_since__isnull=False):
            days = waiting_days(step, today)
            if days < remind_at:
                continue
            late = actors_of(step, today)
            if step.reminded_on != today and (
                ApprovalStep.objects.filter(pk=step.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            ):
                audit_record(
                    actor=None,
                    action="correspondence.step.reminded",
                    obj=step.letter,
                    changes={
                        "step": step.order,
                        "kind": step.kind,
                        "to": _names(late),
                        "waiting_since": timezone.localdate(step.waiting_since),
                        "business_days": days,
                    },
                    object_repr=_repr(step.letter),
                )
                reminded += 1
            if days < escalate_at or step.position_id is None or step.escalated_on == today:
                continue
            post, superiors = escalation_post(step.position, today)
            if post is None:
                continue  # nobody above (the Mayor's own signature): reminders only
            claimed = ApprovalStep.objects.filter(pk=step.pk).exclude(escalated_on=today)
            if not claimed.update(escalated_on=today):
                continue
            audit_record(
                actor=None,
                action="correspondence.step.escalated",
                obj=step.letter,
                changes={
                    "step": step.order,
                    "kind": step.kind,
                    "late": _names(late),
                    "post": step.position.title,
                    "business_days": days,
                    "escalated_to": _names(superiors),
                    "escalated_post": post.title,
                },
                object_repr=_repr(step.letter),
            )
            escalated += 1
    return ApprovalReminderRun(reminded=reminded, escalated=escalated)
