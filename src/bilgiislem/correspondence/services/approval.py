"""Sending a letter round its chain: paraf, coordination, return (issue 4 point 2)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind, UnitKind
from bilgiislem.organization.models import Position

from .. import chain
from ..choices import LetterStatus, StepKind, StepStatus
from ..models import ApprovalStep, Letter
from .preparations import abandon_preparations

MAX_COORDINATION = 10


def current_step(letter: Letter) -> ApprovalStep | None:
    """The first step still waiting; every step before it is approved (order is enforced)."""
    return letter.steps.filter(status=StepStatus.WAITING).order_by("order").first()


def can_act(person, step: ApprovalStep) -> str | None:
    """The label the person acts under on this step ("Bilgi İşlem Müdürü", "… V.",
    "Başkan a."), or None when it is not theirs."""
    if step.person_id is not None:
        return str(person) if step.person_id == person.pk else None
    for post in org.effective_posts(person):
        if post.position.pk == step.position_id:
            if step.delegation_id is not None:
                if step.delegation.delegate_id != person.pk:
                    return None
                return "Başkan a."
            return post.label
    return None


def coordination_choices(letter: Letter):
    """The posts a letter can be coordinated with (koordinasyon, RYY art. 22): the Directors
    of the other open directorates."""
    return (
        Position.objects.filter(
            kind=PositionKind.MUDUR,
            unit__kind=UnitKind.MUDURLUK,
            unit__valid_to__isnull=True,
        )
        .exclude(unit_id=letter.unit_id)
        .select_related("unit")
        .order_by("unit__name", "pk")
    )


def _clean_coordination(letter: Letter, coordination) -> list[Position]:
    chosen = list(coordination or ())
    if len(chosen) > MAX_COORDINATION:
        raise DomainError(
            _("Choose at most %(n)s posts to coordinate with.") % {"n": MAX_COORDINATION},
            field="coordination",
        )
    ids = [p.pk for p in chosen]
    if len(set(ids)) != len(ids):
        raise DomainError(_("Each post is coordinated with once."), field="coordination")
    allowed = set(coordination_choices(letter).filter(pk__in=ids).values_list("pk", flat=True))
    for post in chosen:
        if post.pk not in allowed:
            raise DomainError(
                _(
                    "%(post)s cannot coordinate this letter: choose the Director of another "
                    "directorate."
                )
                % {"post": post.title},
                field="coordination",
            )
    return chosen


def _start_waiting(letter: Letter, now) -> ApprovalStep | None:
    """The step that has just become current starts waiting (reminders count from here)."""
    step = current_step(letter)
    if step is not None and step.waiting_since is None:
        step.waiting_since = now
        step.save(update_fields=["waiting_since"])
    return step


@transaction.atomic
def letter_submit(*, actor, letter: Letter, coordination=()) -> Letter:
    """The preparer sends the draft round its computed chain; their own paraf is the first.

    ``coordination``: posts (Directors of other directorates) whose coordination steps come
    after the Chief's paraf and before the Director's step, in the order given.
    """
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.prepared_by_id != actor.pk:
        raise PermissionDeniedError(_("Only the preparer sends the letter for approval."))
    if letter.status not in {LetterStatus.DRAFT, LetterStatus.RETURNED}:
        raise DomainError(_("The letter is already in approval or signed."))
    coordination = _clean_coordination(letter, coordination)
    planned = chain.plan(letter, coordination)
    if any(s.position is None and s.person is None for s in planned):
        raise DomainError(_("A post of the approval chain is missing in the organisation."))
    letter.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.VOIDED)
    start = (letter.steps.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    now = timezone.now()
    for i, s in enumerate(planned):
        ApprovalStep.objects.create(
            letter=letter,
            order=start + i,
            kind=s.kind,
            position=s.position,
            person=s.person,
            delegation=s.delegation,
            **(
                {
                    "status": StepStatus.APPROVED,
                    "acted_by": actor,
                    "acted_as": str(actor),
                    "acted_at": now,
                    "version": letter.version,
                }
                if i == 0
                else {}
            ),
        )
    letter.status = LetterStatus.IN_APPROVAL
    letter.save(update_fields=["status"])
    _start_waiting(letter, now)
    audit_record(
        actor=actor,
        action="correspondence.letter.submitted",
        obj=letter,
        changes={
            "version": letter.version,
            "steps": len(planned),
            "coordination": [p.title for p in coordination],
        },
    )
    return letter


def _my_step(actor, letter, *, signature: bool):
    if letter.status != LetterStatus.IN_APPROVAL:
        raise DomainError(_("The letter is not awaiting approval."))
    step = current_step(letter)
    label = can_act(actor, step) if step else None
    if step is None or label is None:
        raise PermissionDeniedError(_("It is not your turn on this letter."))
    if (step.kind == StepKind.SIGNATURE) != signature:
        raise DomainError(
            _("This step is a signature.")
            if step.kind == StepKind.SIGNATURE
            else _("This step is not a signature.")
        )
    return step, label


@transaction.atomic
def step_approve(*, actor, letter: Letter, comment: str = "") -> ApprovalStep:
    """Paraf (elektronik onay) or coordination by the person whose turn it is."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    step, label = _my_step(actor, letter, signature=False)
    step.status, step.acted_by, step.acted_as = StepStatus.APPROVED, actor, label
    step.acted_at, step.version, step.comment = timezone.now(), letter.version, comment.strip()
    step.save(update_fields=["status", "acted_by", "acted_as", "acted_at", "version", "comment"])
    _start_waiting(letter, step.acted_at)
    audit_record(
        actor=actor,
        action="correspondence.step.approved",
        obj=letter,
        changes={"step": step.order, "kind": step.kind, "as": label, "version": letter.version},
    )
    return step


@transaction.atomic
def step_return(*, actor, letter: Letter, comment: str) -> Letter:
    """The person whose turn it is returns the letter to the preparer with a comment."""
    if not (comment or "").strip():
        raise DomainError(_("Say why you return it."), field="comment")
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    step = current_step(letter)
    label = can_act(actor, step) if step else None
    if letter.status != LetterStatus.IN_APPROVAL or label is None:
        raise PermissionDeniedError(_("It is not your turn on this letter."))
    step.status, step.acted_by, step.acted_as = StepStatus.RETURNED, actor, label
    step.acted_at, step.comment = timezone.now(), comment.strip()
    step.save(update_fields=["status", "acted_by", "acted_as", "acted_at", "comment"])
    letter.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.VOIDED)
    letter.status = LetterStatus.RETURNED
    letter.save(update_fields=["status"])
    abandon_preparations(
        actor=actor,
        letter=letter,
        reason=_("Letter returned to its preparer: %(comment)s") % {"comment": comment.strip()},
    )
    audit_record(
        actor=actor,
        action="correspondence.letter.returned",
        obj=letter,
        reason=comment,
        changes={"step": step.order, "as": label},
    )
    return letter
