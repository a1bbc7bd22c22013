"""Who may see which request (issue 6, "Access"; DESIGN.md invariant 4).

- The desk's heads (the Chief and the Director of Bilgi İşlem): every request.
- Technicians: the requests of the queues of their units (and those assigned to them).
- Staff: their own requests (and those they recorded for someone), and — if they lead a
  unit — the requests of that unit and the units under it.
- Partner accounts: their organisation's requests only.
- Everyone else: nothing (404).

Public-form requests not yet confirmed (UNCONFIRMED) are in no queue list: only the desk's
heads see them, so spam never reaches a technician. Internal notes are filtered by the
entry lists (``entries_visible_to``), never shown to the requester side.
"""

from django.db import models
from django.db.models import Q

from .choices import EntryKind, TicketState

# What a list row shows, joined so a page of 50 rows costs one query.
LIST_RELATED = ("queue", "requester", "requester_unit", "organization", "assignee", "agreement")


class TicketQuerySet(models.QuerySet):
    def visible_to(self, person):
        from bilgiislem.organization.permissions import managed_unit_ids

        from . import permissions as desk

        if not getattr(person, "is_authenticated", False) or not person.is_active:
            return self.none()
        if person.is_superuser or desk.is_desk_head(person):
            return self
        rule = Q(requester=person) | Q(recorded_by=person) | Q(assignee=person)
        queues = desk.worked_queue_ids(person)
        if queues:
            rule |= Q(queue_id__in=queues) & ~Q(state=TicketState.UNCONFIRMED)
        managed = managed_unit_ids(person)
        if managed:
            rule |= Q(requester_unit_id__in=managed)
        org_id = desk.partner_organization_id(person)
        if org_id is not None:
            # Another member's public-form request is not theirs until it is confirmed.
            rule |= Q(organization_id=org_id) & ~Q(state=TicketState.UNCONFIRMED)
        return self.filter(rule)

    def open(self):
        from .choices import OPEN_STATES

        return self.filter(state__in=[str(s) for s in OPEN_STATES])


def tickets():
    """All requests as a ``TicketQuerySet`` (the model keeps Django's plain manager)."""
    from .models import Ticket

    return TicketQuerySet(model=Ticket)


def ticket_get_for_user(person, pk, *, related=()):
    """The request if the person may see it, else 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(tickets().visible_to(person).select_related(*related), pk=pk)


def entries_visible_to(person, ticket):
    """The request's conversation as the person may read it: internal notes (and the time
    booked with them) only for the desk side."""
    from . import permissions as desk

    entries = ticket.entries.select_related("author").order_by("created_at", "id")
    if not desk.is_desk_side(person, ticket):
        entries = entries.exclude(kind=EntryKind.NOTE)
    return entries


def attachments_visible_to(person, ticket):
    from . import permissions as desk

    files = ticket.attachments.select_related("uploaded_by").order_by("id")
    if not desk.is_desk_side(person, ticket):
        files = files.filter(internal=False)
    return files
