"""Who may do what at the service desk, from posts only (issue 6, "Access"; RYY art. 9(c)).

- The desk's heads: the Chief (Şef) and the Director (Müdür) of the directorate that runs the
  system (Bilgi İşlem), held or acted for. They see every request and assign any of them.
- Technicians: people with a post in a queue's unit; they see and work that queue. The unit's
  head (Birim Sorumlusu) also assigns its requests.
- Staff: their own requests, and those of the units they lead.
- Partner accounts: their organisation's requests only.
- Desk agents (anyone posted in Bilgi İşlem) record requests on someone's behalf.

Answers are remembered per person object (one request) with ``organization.permissions.
remembered``, so a page asks the database once however many rows it shows.
"""

from __future__ import annotations

from django.utils import timezone

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind

DESK_HEAD_KINDS = {PositionKind.SEF, PositionKind.MUDUR}


def _remember(person, name, compute):
    return org.remembered(person, ("servicedesk", name, timezone.localdate()), compute)


def _queue_units(person=None) -> dict[int, int]:
    """queue id → unit id of the active queues (a handful of rows; once per request)."""
    from .models import Queue

    def compute():
        return dict(Queue.objects.filter(active=True).values_list("id", "unit_id"))

    return compute() if person is None else _remember(person, "queues", compute)


def desk_head_post(person) -> org.EffectivePost | None:
    """The Chief's or Director's post of the system-owner directorate, if the person has one."""
    if not getattr(person, "is_authenticated", False):
        return None
    return _remember(
        person,
        "head",
        lambda: org.post_of_kind(
            person, DESK_HEAD_KINDS, unit_ids=org.system_owner_unit_ids(person)
        ),
    )


def is_desk_head(person) -> bool:
    return desk_head_post(person) is not None


def desk_unit_ids(person) -> set[int]:
    """The system-owner directorate and every unit under it (Bilgi İşlem and its units)."""
    parents = org.unit_parents(person)
    units: set[int] = set()
    for owner in org.system_owner_unit_ids(person):
        units |= org.subtree(owner, parents)
    return units


def technician_queue_ids(person) -> set[int]:
    """Queues whose unit the person has a post in (held or acted for)."""
    if not getattr(person, "is_authenticated", False):
        return set()

    def compute():
        my_units = {p.unit_id for p in org.effective_posts(person)}
        return {q for q, unit in _queue_units(person).items() if unit in my_units}

    return _remember(person, "tech", compute)


def lead_queue_ids(person) -> set[int]:
    """Queues the person divides the work of: every queue for the desk's heads, their own
    unit's queue for a unit head (Birim Sorumlusu)."""
    if not getattr(person, "is_authenticated", False):
        return set()

    def compute():
        queues = _queue_units(person)
        if is_desk_head(person):
            return set(queues)
        led = {
            p.unit_id for p in org.effective_posts(person) if p.kind == PositionKind.BIRIM_SORUMLUSU
        }
        return {q for q, unit in queues.items() if unit in led}

    return _remember(person, "lead", compute)


def worked_queue_ids(person) -> set[int]:
    """Queues whose requests the person sees as the desk (internal notes included)."""
    if is_desk_head(person):
        return set(_queue_units(person))
    return technician_queue_ids(person) | lead_queue_ids(person)


def partner_organization_id(person) -> int | None:
    """The organisation of the person's active partner account, if any."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return None

    def compute():
        from .models import PartnerMember

        return (
            PartnerMember.objects.filter(person=person, active=True, organization__active=True)
            .values_list("organization_id", flat=True)
            .first()
        )

    return _remember(person, "partner", compute)


def may_use_desk(person) -> bool:
    """Anyone with a post or an active partner account may ask for help."""
    if not getattr(person, "is_authenticated", False):
        return False
    return bool(org.effective_posts(person)) or partner_organization_id(person) is not None


def may_record_on_behalf(person) -> bool:
    """Desk and call-centre agents: anyone posted in the system-owner directorate."""
    if not getattr(person, "is_authenticated", False):
        return False
    units = desk_unit_ids(person)
    return any(p.unit_id in units for p in org.effective_posts(person))


# Per request (the person object and the ticket), what the person is to the request.


def is_desk_side(person, ticket) -> bool:
    """Works the request: a desk head, a technician or lead of its queue, or its assignee.
    Only the desk side reads internal notes and internal attachments."""
    if not getattr(person, "is_authenticated", False):
        return False
    return (
        is_desk_head(person)
        or ticket.queue_id in worked_queue_ids(person)
        or (ticket.assignee_id is not None and ticket.assignee_id == person.pk)
    )


def is_requester_side(person, ticket) -> bool:
    """Asked for it: the requester, the agent who recorded it, or a member of the partner
    organisation it is for."""
    if not getattr(person, "is_authenticated", False):
        return False
    if ticket.requester_id is not None and ticket.requester_id == person.pk:
        return True
    if ticket.recorded_by_id is not None and ticket.recorded_by_id == person.pk:
        return True
    org_id = partner_organization_id(person)
    return org_id is not None and ticket.organization_id == org_id


def may_assign(person, ticket) -> bool:
    """Art. 9(c): the Chief (or the Director) divides the work; a unit head their unit's."""
    return is_desk_head(person) or ticket.queue_id in lead_queue_ids(person)


def may_take(person, ticket) -> bool:
    return ticket.queue_id in technician_queue_ids(person) or may_assign(person, ticket)


def assignable_ids(queue) -> set[int]:
    """Who a request of ``queue`` may be given to: the people posted in the queue's unit, and
    the desk's heads (the Chief sometimes keeps one)."""
    from django.db.models import Q

    from bilgiislem.organization.models import ActingAssignment, PositionHolding

    today = timezone.localdate()
    owners = org.system_owner_unit_ids()
    posts = Q(position__unit_id=queue.unit_id) | Q(
        position__unit_id__in=owners, position__kind__in=DESK_HEAD_KINDS
    )
    held = PositionHolding.objects.active_on(today).filter(posts).values_list("person_id")
    acting = ActingAssignment.objects.active_on(today).filter(posts).values_list("acting_person_id")
    return {pk for (pk,) in held} | {pk for (pk,) in acting}


def available_actions(user, ticket) -> set[str]:
    """What the person may do on the request now (the services check it again)."""
    from . import workflows
    from .choices import TicketState

    state = ticket.state
    found: set[str] = set()
    desk_side = is_desk_side(user, ticket)
    requester_side = is_requester_side(user, ticket)
    accepted = not ticket.needs_acceptance or ticket.accepted_at is not None
    assignee = ticket.assignee_id is not None and ticket.assignee_id == user.pk
    if state in workflows.OPEN and accepted and may_assign(user, ticket):
        found |= {"assign", "move"}
    if state == TicketState.NEW and accepted and may_take(user, ticket):
        found.add("take")
    if assignee:
        if state == TicketState.ASSIGNED:
            found.add("start")
        if state in {TicketState.ASSIGNED, TicketState.IN_PROGRESS, *workflows.WAITING}:
            found.add("pause")
        if state in workflows.WAITING:
            found.add("resume")
        if state in workflows.WORKING:
            found.add("resolve")
    if requester_side and state == TicketState.RESOLVED:
        found |= {"confirm", "reopen"}
    if state in workflows.OPEN and (requester_side or may_assign(user, ticket)):
        found.add("cancel")
    closed = state in {TicketState.CLOSED, TicketState.CANCELLED, TicketState.MERGED}
    if (desk_side or requester_side) and not closed and state != TicketState.UNCONFIRMED:
        found.add("message")
    if desk_side and state in workflows.OPEN:
        found |= {"time", "merge", "parent", "priority"}
    return found
