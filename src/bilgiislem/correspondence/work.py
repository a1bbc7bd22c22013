"""What waits for a person in correspondence, for "İşlerim" and the menu count:
letters whose current step is theirs (Paraf Bekleyen / İmza Bekleyen, with how many business
days they have waited), their own returned drafts, and — for the superior a long wait was
escalated to — the escalated letters (``services.reminders``)."""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bilgiislem.core.work import WorkItem
from bilgiislem.organization import permissions as org

from .choices import LetterStatus, StepKind, StepStatus
from .models import ApprovalStep, Letter
from .querysets import letters
from .services import can_act
from .services.reminders import current_steps, escalation_post, waiting_days


def _url(letter_id: int) -> str:
    try:
        return reverse("correspondence:letter-detail", kwargs={"pk": letter_id})
    except NoReverseMatch:
        return ""


def letters_waiting_for(person) -> list[tuple[Letter, ApprovalStep, str]]:
    """(letter, its current step, the label the person acts under) for every letter whose
    current step the person may take now."""
    cached = getattr(person, "_bi_letters_waiting", None)
    if cached is not None:
        return cached
    posts = org.effective_posts(person)
    mine = Q(person=person) | Q(position_id__in=[p.position.pk for p in posts])
    candidates = (
        ApprovalStep.objects.filter(
            mine, status=StepStatus.WAITING, letter__status=LetterStatus.IN_APPROVAL
        )
        .select_related("letter__unit", "letter__prepared_by", "delegation")
        .order_by("letter_id", "order")
    )
    result = []
    seen = set()
    for step in candidates:
        if step.letter_id in seen:
            continue
        seen.add(step.letter_id)
        first = (
            step.letter.steps.filter(status=StepStatus.WAITING)
            .order_by("order")
            .values_list("pk", flat=True)
            .first()
        )
        if first != step.pk:
            continue
        label = can_act(person, step)
        if label is not None:
            result.append((step.letter, step, label))
    person._bi_letters_waiting = result
    return result


def _waited(days: int) -> str:
    return ngettext("waiting %(days)s business day", "waiting %(days)s business days", days) % {
        "days": days
    }


def escalated_to(person, today=None) -> list[tuple[Letter, ApprovalStep, int]]:
    """(letter, its current step, business days waited) for every letter whose wait was
    escalated to a post the person holds or acts for (the nearest post above the step's,
    which ``organization.permissions.superior_post`` confirms) and that they may see."""
    today = today or timezone.localdate()
    steps = list(current_steps().filter(escalated_on__isnull=False, position__isnull=False))
    if not steps:
        return []
    mine = {p.position.pk for p in org.effective_posts(person)}
    visible = set(
        letters(person).filter(pk__in=[s.letter_id for s in steps]).values_list("pk", flat=True)
    )
    result = []
    for step in steps:
        if step.letter_id not in visible or org.superior_post(person, step.position) is None:
            continue
        post, _people = escalation_post(step.position, today)
        if post is not None and post.pk in mine:
            result.append((step.letter, step, waiting_days(step, today)))
    return result


def work_items_for(person) -> list[WorkItem]:
    items = []
    today = timezone.localdate()
    for letter, step, label in letters_waiting_for(person):
        signature = step.kind == StepKind.SIGNATURE
        detail = str(_("Prepared by %(person)s") % {"person": letter.prepared_by})
        days = waiting_days(step, today)
        if days:
            detail = f"{detail} — {_waited(days)}"
        items.append(
            WorkItem(
                title=letter.subject,
                url=_url(letter.pk),
                category=str(_("Awaiting signature") if signature else _("Awaiting paraf")),
                due=letter.urgency_date,
                detail=detail,
                acting_for=label if label.endswith((" V.", " a.")) else "",
            )
        )
    for letter, step, days in escalated_to(person, today):
        items.append(
            WorkItem(
                title=letter.subject,
                url=_url(letter.pk),
                category=str(_("Approvals escalated to you")),
                due=letter.urgency_date,
                detail=f"{step.position.title} — {_waited(days)}",
            )
        )
    for letter in Letter.objects.filter(prepared_by=person, status=LetterStatus.RETURNED):
        items.append(
            WorkItem(
                title=letter.subject,
                url=_url(letter.pk),
                category=str(_("Returned drafts")),
                due=letter.urgency_date,
            )
        )
    return items


def waiting_count(person) -> int:
    return len(letters_waiting_for(person)) + (
        Letter.objects.filter(prepared_by=person, status=LetterStatus.RETURNED).count()
    )
