"""What waits for a person at the service desk, for "İşlerim" and the menu count:
requests assigned to them; new requests of the queues they divide (art. 9(c)); their own
requests waiting for their answer or their confirmation; for the Chief and the Director,
requests needing acceptance (no valid agreement) and those escalated to them."""

from django.core.cache import cache
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.work import WorkItem
from bilgiislem.organization.choices import PositionKind

from . import permissions as desk
from . import workflows
from .choices import TicketState
from .models import Ticket

# A long list helps nobody on İşlerim: the queue page has the rest.
PER_GROUP = 50


def _url(pk: int) -> str:
    try:
        return reverse("servicedesk:ticket-detail", args=[pk])
    except NoReverseMatch:
        return ""


def _due(ticket):
    moment = ticket.resolution_due_at or ticket.response_due_at
    if moment is not None:
        return timezone.localdate(moment)
    return ticket.due_date


def _items(queryset, category, detail=None) -> list[WorkItem]:
    rows = queryset.select_related("queue").order_by("resolution_due_at", "created_at", "id")[
        :PER_GROUP
    ]
    return [
        WorkItem(
            title=f"{t.number_label} {t.title}",
            url=_url(t.pk),
            category=category,
            due=_due(t),
            detail=detail(t) if detail else f"{t.queue.name} · {t.get_state_display()}",
        )
        for t in rows
    ]


def _escalation_levels(person) -> set[int]:
    """Escalation level 1 reaches the Chief, level 2 the Director too (services/escalation.py);
    the Chief keeps seeing what went on up."""
    post = desk.desk_head_post(person)
    if post is None:
        return set()
    return {1, 2} if post.kind == PositionKind.SEF else {2}


def work_items_for(person) -> list[WorkItem]:
    cached = getattr(person, "_bi_servicedesk_work", None)
    if cached is not None:
        return cached
    items: list[WorkItem] = []
    if getattr(person, "is_authenticated", False) and person.is_active:
        working = [str(s) for s in workflows.WORKING]
        open_states = [str(s) for s in workflows.OPEN]
        items += _items(
            Ticket.objects.filter(assignee=person, state__in=working),
            _("Support requests assigned to me"),
        )
        led = desk.lead_queue_ids(person)
        if led:
            items += _items(
                Ticket.objects.filter(queue_id__in=led, state=TicketState.NEW).filter(
                    Q(needs_acceptance=False) | Q(accepted_at__isnull=False)
                ),
                _("Support requests to assign"),
            )
        mine = Q(requester=person) | Q(recorded_by=person)
        items += _items(
            Ticket.objects.filter(mine, state=TicketState.WAITING_REQUESTER),
            _("My support requests waiting for my answer"),
        )
        items += _items(
            Ticket.objects.filter(mine, state=TicketState.RESOLVED),
            _("My support requests to confirm"),
            detail=lambda t: _("Resolved; confirm it or reopen it."),
        )
        if desk.is_desk_head(person):
            items += _items(
                Ticket.objects.filter(
                    needs_acceptance=True, accepted_at__isnull=True, state__in=open_states
                ),
                _("Support requests needing acceptance"),
                detail=lambda t: _("No valid service agreement."),
            )
            levels = _escalation_levels(person)
            if levels:
                items += _items(
                    Ticket.objects.filter(escalation_level__in=levels, state__in=open_states),
                    _("Support requests escalated to me"),
                )
    person._bi_servicedesk_work = items
    return items


# The menu shows the count on every page; like the İşlerim count (accounts.selectors) it may
# be a minute old, so most pages skip the half dozen queries behind it.
COUNT_SECONDS = 60


def _count_key(person) -> str:
    return f"bilgiislem:servicedesk-count:{person.pk}"


def waiting_count(person) -> int:
    """The menu count of the "Destek" section, at most a minute old."""
    items = getattr(person, "_bi_servicedesk_work", None)
    if items is None:
        count = cache.get(_count_key(person))
        if count is not None:
            return count
        items = work_items_for(person)
    cache.set(_count_key(person), len(items), COUNT_SECONDS)
    return len(items)
