"""What waits for a person in correspondence, for "İşlerim" and the menu count:
letters whose current step is theirs (Paraf Bekleyen / İmza Bekleyen) and their own
returned drafts."""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from bilgiislem.core.work import WorkItem
from bilgiislem.organization import permissions as org

from .choices import LetterStatus, StepKind, StepStatus
from .models import ApprovalStep, Letter
from .services import can_act


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


def work_items_for(person) -> list[WorkItem]:
    items = []
    for letter, step, label in letters_waiting_for(person):
        signature = step.kind == StepKind.SIGNATURE
        items.append(
            WorkItem(
                title=letter.subject,
                url=_url(letter.pk),
                category=str(_("Awaiting signature") if signature else _("Awaiting paraf")),
                due=letter.urgency_date,
                detail=str(_("Prepared by %(person)s") % {"person": letter.prepared_by}),
                acting_for=label if label.endswith((" V.", " a.")) else "",
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
